/**
 * Decoding of request bodies the way Go's encoding/json (decode.go) decodes
 * them into a server's request structs: keys match field names
 * case-insensitively, `null` leaves most fields as they are, unknown keys
 * are refused only by a strict decoder (DisallowUnknownFields), and the
 * first problem in document order is reported with Go's own wording
 * (`json: unknown field "x"`,
 * `json: cannot unmarshal number into Go struct field S.path of type string`).
 * The struct is described by a GoType; what a field decodes to is a GoJson.
 */

import { goQuote } from "../go-strconv/quote";
import { GoSyntaxError, scanGoJson } from "./scanner";
import { goRfc3339Error } from "./time";
import { goTypeName, GoJsonError, GoUnmarshalTypeError, type GoDecodeOptions, type GoJson, type GoKeptText, type GoType } from "./types";
import { goParseUuidBytes, parseUuid, uuidParseError } from "./uuid";
import { readGoNode, rawNodeText, rawNodeValue, type GoNode } from "./value";

interface Context<K extends GoKeptText> {
  /** The innermost struct being decoded and the JSON path from the root (Go's errorContext). */
  struct?: string;
  path: string[];
  /**
   * decodeState.saveError: type mismatches and unknown fields are kept (the
   * first one wins) while decoding goes on; an error of a type's own
   * unmarshaler (UUIDs, times) stops it at once and is reported instead.
   */
  saved: { error?: GoJsonError };
  options: GoDecodeOptions<K>;
}

/** Keeps the first error; the field keeps what it had, as Go leaves it. */
function save<K extends GoKeptText>(ctx: Context<K>, error: GoJsonError, previous: GoJson<K> | undefined): GoJson<K> | undefined {
  ctx.saved.error ??= error;
  return previous;
}

function typeError<K extends GoKeptText>(node: GoNode, type: GoType, ctx: Context<K>, literal?: string): GoUnmarshalTypeError {
  const error = new GoUnmarshalTypeError(literal ?? node.t, goTypeName(type));
  return ctx.struct !== undefined ? error.withContext(ctx.struct, ctx.path) : error;
}

/**
 * What a repeated key or a `null` does to a field already decoded
 * (decode.go literalStore and indirect): pointers, slices, maps,
 * interfaces, NullUUID, NullTime and json.RawMessage are reset by `null`;
 * strings, numbers, bools, UUIDs, time.Time and struct values keep what
 * they had.
 */
function nullValue<K>(type: GoType, previous: GoJson<K> | undefined): GoJson<K> | undefined {
  switch (type.kind) {
    case "raw":
      return null;
    case "slice":
    case "map":
    case "any":
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

const isKept = <K>(value: GoJson<K> | undefined): boolean => typeof value === "object" && value !== null && kept.has(value);

/** The values keepText made, so a struct merge never mistakes one for a decoded object. */
const kept = new WeakSet<object>();

function asObject<K>(value: GoJson<K> | undefined): Record<string, GoJson<K>> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isKept(value)) return {};
  // What is left is a decoded struct or map: the values keepText made were filtered out above.
  return { ...(value as Record<string, GoJson<K>>) };
}

/** encoding/json foldName: ASCII upper-cased, and the two non-ASCII runes whose simple fold reaches an ASCII letter. */
const foldName = (name: string) =>
  name
    .replace(/[a-z]/g, (c) => c.toUpperCase())
    .replace(/\u017f/g, "S")
    .replace(/\u212a/g, "K");

const INT_LITERAL = /^-?\d+$/;

/** strconv.ParseInt / ParseUint of the literal as written, and reflect's OverflowInt / OverflowUint for the type's bits. */
function fitsInt(raw: string, type: GoType & { kind: "int" }): boolean {
  if (!INT_LITERAL.test(raw)) return false;
  const n = BigInt(raw);
  const bits = BigInt(type.bits ?? 64);
  if (type.unsigned) return n >= 0n && n < 1n << bits && !raw.startsWith("-");
  return n >= -(1n << (bits - 1n)) && n < 1n << (bits - 1n);
}

/** strconv.ParseFloat(literal, bits) and OverflowFloat: a literal past the type's range is refused. */
function fitsFloat(value: number, type: GoType & { kind: "float" }): boolean {
  if (!Number.isFinite(value)) return false;
  return type.bits !== 32 || Math.abs(value) <= 3.4028234663852886e38;
}

/** The decoded value of `node` for `type`; `previous` is what an earlier occurrence of the same key left (Go decodes into it). */
function decodeValue<K extends GoKeptText>(node: GoNode, type: GoType, ctx: Context<K>, previous?: GoJson<K>): GoJson<K> | undefined {
  // json.RawMessage keeps even `null` (it is an Unmarshaler); it is replaced, never merged.
  if (type.kind === "raw") {
    const value = rawNodeValue(node, type.numberText === true);
    if (type.keepText === true && ctx.options.keepText) {
      const text = ctx.options.keepText(rawNodeText(node), value);
      kept.add(text);
      return text;
    }
    return value as GoJson<K>;
  }
  // An Unmarshaler gets `null` too; its errors stop decoding, type errors with this field's context.
  if (type.kind === "unmarshaler") {
    try {
      return type.decode(node);
    } catch (error) {
      if (error instanceof GoUnmarshalTypeError && (ctx.struct !== undefined || ctx.path.length > 0))
        throw error.withContext(ctx.struct ?? "", ctx.path);
      throw error;
    }
  }
  if (node.t === "null") return nullValue(type, previous);
  switch (type.kind) {
    case "any":
      return rawNodeValue(node) as GoJson<K>;
    case "string":
      if (node.t !== "string") return save(ctx, typeError(node, type, ctx), previous);
      return node.v;
    case "bool":
      if (node.t !== "bool") return save(ctx, typeError(node, type, ctx), previous);
      return node.v;
    case "int":
      if (node.t !== "number") return save(ctx, typeError(node, type, ctx), previous);
      // strconv.ParseInt of the literal as written: `1.0` and `1e2` are no ints to Go, and neither is one past the type's range.
      if (!fitsInt(node.raw, type)) return save(ctx, typeError(node, type, ctx, `number ${node.raw}`), previous);
      return node.v;
    case "float":
      if (node.t !== "number") return save(ctx, typeError(node, type, ctx), previous);
      if (!fitsFloat(node.v, type)) return save(ctx, typeError(node, type, ctx, `number ${node.raw}`), previous);
      return node.v;
    case "uuid": {
      if (type.nullable) return nullUuid(node);
      if (node.t !== "string") return save(ctx, typeError(node, type, ctx), previous);
      // uuid.UUID is a TextUnmarshaler: encoding/json hands it the unquoted string; its error stops decoding.
      const parsed = parseUuid(node.v);
      if (!parsed) throw new GoJsonError(uuidParseError(node.v));
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
      return node.items.map((item, i) => decodeValue(item, type.elem, ctx, before[i]) ?? null);
    }
    case "map": {
      if (node.t !== "object") return save(ctx, typeError(node, type, ctx), previous);
      // The map is kept and its keys added to; each element is decoded afresh (decode.go object: mapElem.SetZero).
      const out = asObject(previous);
      for (const [key, item] of node.entries) {
        const decoded = decodeValue(item, type.elem, { ...ctx, path: [...ctx.path, key.v] });
        Object.defineProperty(out, key.v, { value: decoded ?? null, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case "struct":
      return decodeStruct(node, type, ctx, previous);
  }
}

/**
 * gofrs/uuid v4.4.0 NullUUID.UnmarshalJSON (sql.go): the literal's bytes
 * with only the surrounding quotes cut off — escapes stay as written — go to
 * UnmarshalText, whose error stops decoding without a field context.
 */
function nullUuid(node: Exclude<GoNode, { t: "null" }>): string {
  const text = literalBytes(node);
  const parsed = goParseUuidBytes(node.t === "string" ? text.subarray(1, text.length - 1) : text);
  if ("error" in parsed) throw new GoJsonError(parsed.error);
  return parsed.uuid;
}

/** The bytes Go hands an Unmarshaler: the literal as the body wrote it (compact for a value Go marshalled itself). */
function literalBytes(node: GoNode): Uint8Array {
  if (node.t === "string") return Buffer.from(`"${node.raw}"`, "latin1");
  if ((node.t === "object" || node.t === "array") && node.src) return node.src;
  return Buffer.from(rawNodeText(node), "utf8");
}

function decodeStruct<K extends GoKeptText>(
  node: GoNode,
  type: GoType & { kind: "struct" },
  ctx: Context<K>,
  previous: GoJson<K> | undefined,
): GoJson<K> | undefined {
  if (node.t !== "object") return save(ctx, typeError(node, type, ctx), previous);
  // A repeated struct (or pointer to one) is decoded into the same value: its fields merge.
  const out = asObject(previous);
  // Own fields first, then the promoted ones: an outer field hides an embedded one of the same name (typeFields dominance).
  const fields: { name: string; type: GoType; via: string[] }[] = Object.entries(type.fields).map(([name, t]) => ({
    name,
    type: t,
    via: [],
  }));
  for (const embedded of type.embedded ?? [])
    for (const [name, t] of Object.entries(embedded.fields))
      if (!(name in type.fields)) fields.push({ name, type: t, via: [embedded.name] });
  const structName = type.name.replace(/^\*?\w+\./, "");
  for (const [keyNode, item] of node.entries) {
    const key = keyNode.v;
    // Go prefers an exact match and falls back to a case-insensitive one (foldName).
    const field = fields.find((f) => f.name === key) ?? fields.find((f) => foldName(f.name) === foldName(key));
    if (field === undefined) {
      if (ctx.options.strict) save(ctx, new GoJsonError(`json: unknown field ${goQuote(key)}`), undefined);
      continue;
    }
    const decoded = decodeValue(
      item,
      field.type,
      { struct: structName, path: [...ctx.path, ...field.via, field.name], saved: ctx.saved, options: ctx.options },
      out[field.name],
    );
    if (decoded === undefined) delete out[field.name];
    else out[field.name] = decoded;
  }
  return out;
}

function decodeRoot<K extends GoKeptText>(node: GoNode, type: GoType, options: GoDecodeOptions<K>): GoJson<K> | undefined {
  const ctx: Context<K> = { path: [], saved: {}, options };
  const decoded = decodeValue(node, type, ctx);
  if (ctx.saved.error) throw ctx.saved.error;
  return decoded;
}

/**
 * json.Unmarshal of a value already read into a plain Go type, for an
 * UnmarshalJSON method that unmarshals its bytes into one (x.NullDuration
 * into a string): Go's error without a struct, which the outer decoder
 * completes.
 */
export function unmarshalAs(node: GoNode, type: GoType): GoJson<never> | undefined {
  return decodeRoot<never>(node, type, { strict: false });
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
export function decodeGoJson<K extends GoKeptText = GoKeptText>(
  body: Uint8Array | string,
  type: GoType & { kind: "struct" },
  options: GoDecodeOptions<K>,
): Record<string, GoJson<K>> {
  return asObject(decodeGoJsonValue(body, type, options));
}

/**
 * decodeGoJson into any type (a top-level Unmarshaler such as
 * jose.JSONWebKey, a slice…): what the value holds, undefined for `null`
 * where Go leaves the zero value.
 */
export function decodeGoJsonValue<K extends GoKeptText = GoKeptText>(
  body: Uint8Array | string,
  type: GoType,
  options: GoDecodeOptions<K>,
): GoJson<K> | undefined {
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
