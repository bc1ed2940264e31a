/**
 * Decoding of admin request bodies the way Go's encoding/json decodes them
 * into Kratos' request structs: keys match field names case-insensitively,
 * `null` leaves a field unset, unknown keys are refused only by a strict
 * decoder (jsonx.NewStrictDecoder), and the first problem in document order
 * is reported with Go's own wording (`json: unknown field "x"`,
 * `json: cannot unmarshal number into Go struct field S.path of type string`).
 */

import { GoSyntaxError, scanGoJson } from "./go-scanner";
import { goRfc3339Error } from "./go-time";

export type GoType =
  /** A Go string type; `name` is how Go prints it (`string`, `identity.State`). */
  | { kind: "string"; name: string }
  | { kind: "bool" }
  | { kind: "int" }
  /** json.RawMessage: any JSON value, kept as is. */
  | { kind: "raw" }
  /** uuid.UUID (a JSON string) or uuid.NullUUID (also `null`). */
  | { kind: "uuid"; nullable: boolean }
  /** time.Time or sqlxx.NullTime (RFC 3339 strings). */
  | { kind: "time"; name: string }
  | { kind: "struct"; name: string; fields: Record<string, GoType> }
  | { kind: "slice"; name: string; elem: GoType }
  /** A Go map with string keys; the key joins the error path as Go does. */
  | { kind: "map"; name: string; elem: GoType };

export type GoJson = null | boolean | number | string | GoJson[] | { [key: string]: GoJson };

export class GoJsonError extends Error {
  override name = "GoJsonError";
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}

function goTypeName(type: GoType): string {
  switch (type.kind) {
    case "string":
      return type.name;
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "raw":
      return "json.RawMessage";
    case "uuid":
      return type.nullable ? "uuid.NullUUID" : "uuid.UUID";
    case "time":
      return type.name;
    case "struct":
    case "slice":
    case "map":
      return type.name;
  }
}

interface Context {
  /** The innermost struct being decoded and the JSON path from the root (Go's errorContext). */
  struct?: string;
  path: string[];
  /**
   * decodeState.saveError: type mismatches and unknown fields are kept (the
   * first one wins) while decoding goes on; an error of a type's own
   * unmarshaler (UUIDs, times) stops it at once and is reported instead.
   */
  saved: { error?: GoJsonError };
}

function save(ctx: Context, error: GoJsonError): undefined {
  ctx.saved.error ??= error;
  return undefined;
}

function typeError(value: unknown, type: GoType, ctx: Context, literal?: string): GoJsonError {
  const what = literal ?? jsonKind(value);
  if (ctx.struct !== undefined) {
    return new GoJsonError(
      `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.path.join(".")} of type ${goTypeName(type)}`,
    );
  }
  return new GoJsonError(`json: cannot unmarshal ${what} into Go value of type ${goTypeName(type)}`);
}

/** gofrs/uuid's error text for a string FromString refuses. */
export function uuidParseError(value: string): string {
  const len = Buffer.byteLength(value, "utf8");
  if (![32, 34, 36, 38, 41, 45].includes(len)) return `uuid: incorrect UUID length ${len} in string ${JSON.stringify(value)}`;
  return `uuid: incorrect UUID format in string ${JSON.stringify(value)}`;
}

const uuidError = (value: string) => new GoJsonError(uuidParseError(value));

function parseUuid(value: string): string | undefined {
  let v = value;
  if (v.startsWith("urn:uuid:")) v = v.slice(9);
  if (v.startsWith("{") && v.endsWith("}")) v = v.slice(1, -1);
  if (!UUID.test(v)) return undefined;
  const hex = v.replace(/-/g, "").toLowerCase();
  // Hyphens must be all present or all absent, at the canonical places.
  if (v.length === 36 && !/^.{8}-.{4}-.{4}-.{4}-.{12}$/.test(v)) return undefined;
  if (v.length !== 36 && v.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function decodeValue(value: unknown, type: GoType, ctx: Context, strict: boolean): GoJson | undefined {
  // json.RawMessage keeps even `null` (it is an Unmarshaler); for every other type `null` is a no-op.
  if (type.kind === "raw") return value as GoJson;
  if (value === null) return undefined;
  switch (type.kind) {
    case "string":
      if (typeof value !== "string") return save(ctx, typeError(value, type, ctx));
      return value;
    case "bool":
      if (typeof value !== "boolean") return save(ctx, typeError(value, type, ctx));
      return value;
    case "int":
      if (typeof value !== "number") return save(ctx, typeError(value, type, ctx));
      if (!Number.isSafeInteger(value)) return save(ctx, typeError(value, type, ctx, `number ${String(value)}`));
      return value;
    case "uuid": {
      if (typeof value !== "string") {
        // NullUUID decodes its UUID with a fresh json.Unmarshal inside its UnmarshalJSON: no struct context, and fatal.
        if (type.nullable) throw typeError(value, { kind: "uuid", nullable: false }, { path: [], saved: {} });
        return save(ctx, typeError(value, type, ctx));
      }
      const parsed = parseUuid(value);
      if (!parsed) throw uuidError(value);
      return parsed;
    }
    case "time": {
      if (typeof value !== "string") throw new GoJsonError("Time.UnmarshalJSON: input is not a JSON string");
      const error = goRfc3339Error(value);
      if (error) throw new GoJsonError(error);
      return value;
    }
    case "slice": {
      if (!Array.isArray(value)) return save(ctx, typeError(value, type, ctx));
      return value.map((item) => decodeValue(item, type.elem, ctx, strict) ?? null);
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) return save(ctx, typeError(value, type, ctx));
      const out: Record<string, GoJson> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const decoded = decodeValue(item, type.elem, { ...ctx, path: [...ctx.path, key] }, strict);
        out[key] = decoded ?? null;
      }
      return out;
    }
    case "struct": {
      if (typeof value !== "object" || Array.isArray(value)) return save(ctx, typeError(value, type, ctx));
      const out: Record<string, GoJson> = {};
      const names = Object.keys(type.fields);
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        // Go prefers an exact match and falls back to a case-insensitive one.
        const name = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
        if (name === undefined) {
          if (strict) save(ctx, new GoJsonError(`json: unknown field ${JSON.stringify(key)}`));
          continue;
        }
        const fieldType = type.fields[name] as GoType;
        const decoded = decodeValue(
          item,
          fieldType,
          { struct: type.name.replace(/^\*?\w+\./, ""), path: [...ctx.path, name], saved: ctx.saved },
          strict,
        );
        if (decoded !== undefined) out[name] = decoded;
      }
      return out;
    }
  }
}

/** Decodes an already parsed JSON value into a type (json.Unmarshal of a patched document). */
export function decodeGoValue(value: unknown, type: GoType & { kind: "struct" }, options: { strict: boolean }): Record<string, GoJson> {
  if (value === null) return {};
  const ctx: Context = { path: [], saved: {} };
  const decoded = decodeValue(value, type, ctx, options.strict);
  if (ctx.saved.error) throw ctx.saved.error;
  return (decoded ?? {}) as Record<string, GoJson>;
}

/**
 * Decodes a request body (raw text) into a struct type as json.Decoder.Decode
 * does: Go's scanner messages for text that does not parse (an empty body is
 * `EOF`), whatever follows the first value unread, and `null` an empty struct.
 */
export function decodeGoJson(raw: string, type: GoType & { kind: "struct" }, options: { strict: boolean }): Record<string, GoJson> {
  const bytes = Buffer.from(raw, "utf8");
  let end: number;
  try {
    end = scanGoJson(bytes, "decoder");
  } catch (error) {
    if (error instanceof GoSyntaxError) throw new GoJsonError(error.message);
    throw error;
  }
  return decodeGoValue(JSON.parse(bytes.subarray(0, end).toString("utf8")), type, options);
}
