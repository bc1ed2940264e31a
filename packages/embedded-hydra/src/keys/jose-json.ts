import { GoJsonError, unmarshalAs, type GoNode, type GoType } from "@olympus/server-kit/go-json";

/**
 * go-jose v3's JSONWebKey as encoding/json decodes it (jwk.go
 * JSONWebKey.UnmarshalJSON): the value is read into rawJSONWebKey with a
 * json.Unmarshal of its own — so `null` and every type error reach it, and
 * a type error names the outer field (`Go struct field createGrantRequest.jwk.kty
 * of type string`, `… .jwk of type jose.rawJSONWebKey`) —, each key member
 * through byteBuffer.UnmarshalJSON (a string, then base64url), and the key
 * is then checked by `check` (its go-jose error, if any).
 */

const GO_STRING: GoType = { kind: "string", name: "string" };

/** base64URLDecode (encoding.go): `=` trimmed, then RawURLEncoding; Go's CorruptInputError at the first bad byte. */
function base64UrlError(value: string): string | undefined {
  const bytes = Buffer.from(value.replace(/=+$/, ""), "utf8");
  const isAlphabet = (c: number) =>
    (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
  // Newlines are skipped by Go's decoder.
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === 0x0a || c === 0x0d) continue;
    if (!isAlphabet(c)) return `illegal base64 data at input byte ${i}`;
    count++;
  }
  // A final group of one character cannot hold a byte.
  if (count % 4 === 1) return `illegal base64 data at input byte ${bytes.length - 1}`;
  return undefined;
}

/** byteBuffer.UnmarshalJSON: json.Unmarshal into a string, then base64url unless empty. */
const BYTE_BUFFER: GoType = {
  kind: "unmarshaler",
  name: "*jose.byteBuffer",
  decode: (node) => {
    const encoded = unmarshalAs(node, GO_STRING);
    if (typeof encoded !== "string" || encoded === "") return encoded ?? undefined;
    const error = base64UrlError(encoded);
    if (error) throw new GoJsonError(error);
    return encoded;
  },
};

/** jose.rawJSONWebKey (jwk.go): the members go-jose reads. */
const RAW_JSON_WEB_KEY: GoType = {
  kind: "struct",
  name: "jose.rawJSONWebKey",
  fields: {
    use: GO_STRING,
    kty: GO_STRING,
    kid: GO_STRING,
    crv: GO_STRING,
    alg: GO_STRING,
    ...Object.fromEntries(["k", "x", "y", "n", "e", "d", "p", "q", "dp", "dq", "qi"].map((name) => [name, BYTE_BUFFER])),
    x5c: { kind: "slice", name: "[]string", elem: GO_STRING },
    x5u: GO_STRING,
    x5t: GO_STRING,
    "x5t#S256": GO_STRING,
  },
};

/**
 * A jose.JSONWebKey field or element: its value is the JWK as sent (a
 * plain object) once rawJSONWebKey decoding and `check` accept it.
 */
export function joseJsonWebKey(check: (jwk: Record<string, unknown>) => string | undefined): GoType {
  return {
    kind: "unmarshaler",
    name: "jose.JSONWebKey",
    decode: (node: GoNode) => {
      unmarshalAs(node, RAW_JSON_WEB_KEY);
      const value = unmarshalAs(node, { kind: "any" });
      const jwk = typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
      const error = check(jwk);
      if (error) throw new GoJsonError(error);
      return jwk;
    },
  };
}
