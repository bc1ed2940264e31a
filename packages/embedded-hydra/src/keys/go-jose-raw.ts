import { GoJsonError, type GoNode } from "@olympus/server-kit/go-json";
import { goJoseBase64UrlDecode } from "@olympus/server-kit/text";

/**
 * go-jose v3.0.4's own json.Unmarshal (json/decode.go, a fork of Go 1.6's
 * encoding/json) of a JWK into rawJSONWebKey (jwk.go UnmarshalJSON), which
 * differs from encoding/json where it matters here:
 * - member names match exactly (no case folding): `KID` is an unknown member;
 * - a repeated member name stops decoding: `json: duplicate key 'kid' in object`;
 * - a number where a string belongs stops decoding at once (literalStore's
 *   d.error), other type mismatches are kept and the first one reported;
 * - its UnmarshalTypeError is not encoding/json's, so the outer decoder adds
 *   no field context: `json: cannot unmarshal number into Go value of type string`.
 * The result holds the members go-jose reads, by their json names (one
 * absent or null is not set): strings, byteBuffer members as their
 * base64url text ("" is a buffer holding nothing) and `x5c`.
 */

export type RawJwk = Record<string, string | string[] | undefined>;

const STRING_MEMBERS = new Set(["use", "kty", "kid", "crv", "alg", "x5u", "x5t", "x5t#S256"]);
const BUFFER_MEMBERS = new Set(["k", "x", "y", "n", "e", "d", "p", "q", "dp", "dq", "qi"]);

/** go-jose json's UnmarshalTypeError text (no struct or field named). */
const typeError = (value: string, type: string) => new GoJsonError(`json: cannot unmarshal ${value} into Go value of type ${type}`);

class Decoding {
  /** decodeState.savedError: the first mismatch that did not stop decoding. */
  saved: GoJsonError | undefined;

  /** A value for a Go string: a string is taken, null leaves it, a number stops decoding, the rest is saved. */
  string(node: GoNode, type = "string"): string | undefined {
    if (node.t === "string") return node.v;
    if (node.t === "null") return undefined;
    if (node.t === "number") throw typeError("number", type);
    this.saved ??= typeError(node.t, type);
    return undefined;
  }
}

/**
 * byteBuffer.UnmarshalJSON: its own json.Unmarshal into a string (any
 * error stops the outer decoding), then base64url unless empty.
 */
function byteBuffer(node: GoNode): string {
  const inner = new Decoding();
  const text = inner.string(node) ?? "";
  if (inner.saved) throw inner.saved;
  if (text === "") return "";
  const decoded = goJoseBase64UrlDecode(text);
  if (!decoded.ok) throw new GoJsonError(decoded.error);
  return text;
}

/** A []string: an array's elements as strings (null leaves an element empty); another value is a mismatch. */
function stringSlice(node: GoNode, decoding: Decoding): string[] | undefined {
  if (node.t === "array") return node.items.map((item) => decoding.string(item) ?? "");
  if (node.t === "null") return undefined;
  if (node.t === "number") throw typeError("number", "[]string");
  decoding.saved ??= typeError(node.t, "[]string");
  return undefined;
}

/** go-jose json.Unmarshal(data, &rawJSONWebKey); throws go-jose's error. */
export function decodeGoJoseRaw(node: GoNode): RawJwk {
  const decoding = new Decoding();
  const raw: RawJwk = {};
  if (node.t === "object") {
    const seen = new Set<string>();
    for (const [key, value] of node.entries) {
      if (seen.has(key.v)) throw new GoJsonError(`json: duplicate key '${key.v}' in object`);
      seen.add(key.v);
      if (STRING_MEMBERS.has(key.v)) {
        const text = decoding.string(value);
        if (text !== undefined) raw[key.v] = text;
      } else if (BUFFER_MEMBERS.has(key.v)) {
        if (value.t !== "null") raw[key.v] = byteBuffer(value);
      } else if (key.v === "x5c") {
        raw.x5c = stringSlice(value, decoding);
      }
    }
  } else if (node.t === "number") {
    throw typeError("number", "jose.rawJSONWebKey");
  } else if (node.t !== "null") {
    decoding.saved ??= typeError(node.t, "jose.rawJSONWebKey");
  }
  if (decoding.saved) throw decoding.saved;
  return raw;
}
