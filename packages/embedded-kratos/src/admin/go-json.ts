/**
 * Decoding of admin request bodies the way Go's encoding/json decodes them
 * into Kratos' request structs: keys match field names case-insensitively,
 * `null` leaves a field unset, unknown keys are refused only by a strict
 * decoder (jsonx.NewStrictDecoder), and the first problem in document order
 * is reported with Go's own wording (`json: unknown field "x"`,
 * `json: cannot unmarshal number into Go struct field S.path of type string`).
 */

import { JsonText } from "../http/json-text";
import { GoSyntaxError, scanGoJson } from "./go-scanner";
import { goRfc3339Error } from "./go-time";
import { nodeFromValue, readGoNode, rawNodeText, rawNodeValue, type GoNode } from "./go-value";

export type GoType =
  /** A Go string type; `name` is how Go prints it (`string`, `identity.State`). */
  | { kind: "string"; name: string }
  | { kind: "bool" }
  | { kind: "int" }
  /**
   * json.RawMessage: any JSON value, kept as is. `numberText`: its numbers
   * stay JSON.rawJSON values holding their text (json-number.ts), for the
   * trait validator, which reads the text where Go reads the raw message.
   * `keepText`: the field decodes to a JsonText holding the compact text
   * Kratos stores and answers, with that value.
   */
  | { kind: "raw"; numberText?: boolean; keepText?: boolean }
  /** uuid.UUID (a JSON string) or uuid.NullUUID (also `null`). */
  | { kind: "uuid"; nullable: boolean }
  /** time.Time or sqlxx.NullTime (RFC 3339 strings). */
  | { kind: "time"; name: string }
  /** `pointer`: a *T field, which `null` resets (a struct value keeps its fields). */
  | { kind: "struct"; name: string; fields: Record<string, GoType>; pointer?: boolean }
  | { kind: "slice"; name: string; elem: GoType }
  /** A Go map with string keys; the key joins the error path as Go does. */
  | { kind: "map"; name: string; elem: GoType };

export type GoJson = null | boolean | number | string | JsonText | GoJson[] | { [key: string]: GoJson };

export class GoJsonError extends Error {
  override name = "GoJsonError";
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** How Go's UnmarshalTypeError names a JSON value. */
const JSON_KINDS: Record<GoNode["t"], string> = {
  null: "null",
  bool: "bool",
  number: "number",
  string: "string",
  array: "array",
  object: "object",
};

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

/** Keeps the first error; the field keeps what it had, as Go leaves it. */
function save(ctx: Context, error: GoJsonError, previous: GoJson | undefined): GoJson | undefined {
  ctx.saved.error ??= error;
  return previous;
}

function typeError(node: GoNode, type: GoType, ctx: Context, literal?: string): GoJsonError {
  const what = literal ?? JSON_KINDS[node.t];
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

/**
 * What a repeated key or a `null` does to a field already decoded
 * (decode.go literalStore and indirect): pointers, slices, maps, NullUUID,
 * NullTime and json.RawMessage are reset by `null`; strings, numbers, bools,
 * UUIDs, time.Time and struct values keep what they had.
 */
function nullValue(type: GoType, previous: GoJson | undefined): GoJson | undefined {
  switch (type.kind) {
    case "raw":
      return null;
    case "slice":
    case "map":
      return undefined;
    case "struct":
      return type.pointer ? undefined : previous;
    case "uuid":
      return type.nullable ? undefined : previous;
    case "time":
      return type.name === "time.Time" ? previous : undefined;
    default:
      return previous;
  }
}

const asObject = (value: GoJson | undefined): Record<string, GoJson> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof JsonText) ? { ...value } : {};

/** encoding/json foldName: ASCII upper-cased, and the two non-ASCII runes whose simple fold reaches an ASCII letter. */
const foldName = (name: string) =>
  name
    .replace(/[a-z]/g, (c) => c.toUpperCase())
    .replace(/\u017f/g, "S")
    .replace(/\u212a/g, "K");

/** The decoded value of `node` for `type`; `previous` is what an earlier occurrence of the same key left (Go decodes into it). */
function decodeValue(node: GoNode, type: GoType, ctx: Context, strict: boolean, previous?: GoJson): GoJson | undefined {
  // json.RawMessage keeps even `null` (it is an Unmarshaler); it is replaced, never merged.
  if (type.kind === "raw") {
    const value = rawNodeValue(node, type.numberText === true) as GoJson;
    return type.keepText === true ? new JsonText(rawNodeText(node), value) : value;
  }
  if (node.t === "null") return nullValue(type, previous);
  switch (type.kind) {
    case "string":
      if (node.t !== "string") return save(ctx, typeError(node, type, ctx), previous);
      return node.v;
    case "bool":
      if (node.t !== "bool") return save(ctx, typeError(node, type, ctx), previous);
      return node.v;
    case "int":
      if (node.t !== "number") return save(ctx, typeError(node, type, ctx), previous);
      // strconv.ParseInt of the literal as written: `1.0` and `1e2` are no ints to Go.
      if (!/^-?\d+$/.test(node.raw) || BigInt(node.raw) > INT64_MAX || BigInt(node.raw) < -INT64_MAX - 1n)
        return save(ctx, typeError(node, type, ctx, `number ${node.raw}`), previous);
      return node.v;
    case "uuid": {
      if (node.t !== "string") {
        // NullUUID decodes its UUID with a fresh json.Unmarshal inside its UnmarshalJSON: no struct context, and fatal.
        if (type.nullable) throw typeError(node, { kind: "uuid", nullable: false }, { path: [], saved: {} });
        return save(ctx, typeError(node, type, ctx), previous);
      }
      const parsed = parseUuid(node.v);
      if (!parsed) throw uuidError(node.v);
      return parsed;
    }
    case "time": {
      // Time.UnmarshalJSON parses the literal between the quotes as written, escapes included.
      if (node.t !== "string") throw new GoJsonError("Time.UnmarshalJSON: input is not a JSON string");
      const error = goRfc3339Error(node.raw);
      if (error) throw new GoJsonError(error);
      return node.v;
    }
    case "slice": {
      if (node.t !== "array") return save(ctx, typeError(node, type, ctx), previous);
      // Go decodes the elements into those an earlier occurrence left, and cuts the slice to the new length.
      const before = Array.isArray(previous) ? previous : [];
      return node.items.map((item, i) => decodeValue(item, type.elem, ctx, strict, before[i]) ?? null);
    }
    case "map": {
      if (node.t !== "object") return save(ctx, typeError(node, type, ctx), previous);
      // The map is kept and its keys added to; each element is decoded afresh (decode.go object: mapElem.SetZero).
      const out = asObject(previous);
      for (const [key, item] of node.entries) {
        const decoded = decodeValue(item, type.elem, { ...ctx, path: [...ctx.path, key.v] }, strict);
        Object.defineProperty(out, key.v, { value: decoded ?? null, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case "struct": {
      if (node.t !== "object") return save(ctx, typeError(node, type, ctx), previous);
      // A repeated struct (or pointer to one) is decoded into the same value: its fields merge.
      const out = asObject(previous);
      const names = Object.keys(type.fields);
      for (const [keyNode, item] of node.entries) {
        const key = keyNode.v;
        // Go prefers an exact match and falls back to a case-insensitive one (foldName).
        const name = names.find((n) => n === key) ?? names.find((n) => foldName(n) === foldName(key));
        if (name === undefined) {
          if (strict) save(ctx, new GoJsonError(`json: unknown field ${JSON.stringify(key)}`), undefined);
          continue;
        }
        const fieldType = type.fields[name] as GoType;
        const decoded = decodeValue(
          item,
          fieldType,
          { struct: type.name.replace(/^\*?\w+\./, ""), path: [...ctx.path, name], saved: ctx.saved },
          strict,
          out[name],
        );
        if (decoded === undefined) delete out[name];
        else out[name] = decoded;
      }
      return out;
    }
  }
}

const INT64_MAX = 9223372036854775807n;

function decodeRoot(node: GoNode, type: GoType & { kind: "struct" }, options: { strict: boolean }): Record<string, GoJson> {
  const ctx: Context = { path: [], saved: {} };
  const decoded = decodeValue(node, type, ctx, options.strict);
  if (ctx.saved.error) throw ctx.saved.error;
  return asObject(decoded);
}

/** Decodes an already parsed JSON value into a type (json.Unmarshal of a patched document Go marshalled). */
export function decodeGoValue(value: unknown, type: GoType & { kind: "struct" }, options: { strict: boolean }): Record<string, GoJson> {
  return decodeRoot(nodeFromValue(value), type, options);
}

/**
 * Decodes a request body (its bytes) into a struct type as json.Decoder.Decode
 * does: Go's scanner messages for bytes that do not parse (an empty body is
 * `EOF`; a stray byte is quoted as the character of that code, `'ÿ'` for
 * 0xff), whatever follows the first value unread, `null` an empty struct,
 * bytes that are not UTF-8 inside strings read as U+FFFD, and repeated keys
 * decoded into the same field. Throws GoValueTooDeepError for bodies nested
 * deeper than MAX_NODE_DEPTH.
 */
export function decodeGoJson(
  body: Uint8Array | string,
  type: GoType & { kind: "struct" },
  options: { strict: boolean },
): Record<string, GoJson> {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  let end: number;
  try {
    end = scanGoJson(bytes, "decoder");
  } catch (error) {
    if (error instanceof GoSyntaxError) throw new GoJsonError(error.message);
    throw error;
  }
  return decodeRoot(readGoNode(bytes, end), type, options);
}
