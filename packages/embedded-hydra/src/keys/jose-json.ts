import { GoJsonError, unmarshalAs, type GoNode, type GoType } from "@olympus/server-kit/go-json";
import { goJoseBase64UrlDecode } from "./go-base64";
import { goJoseJwkError } from "./go-jose-jwk";
import { nodeLoadError } from "./node-loadable";

/**
 * go-jose v3's JSONWebKey as encoding/json decodes it (jwk.go
 * JSONWebKey.UnmarshalJSON): the value is read into rawJSONWebKey with a
 * json.Unmarshal of its own — so `null` and every type error reach it, and
 * a type error names the outer field (`Go struct field createGrantRequest.jwk.kty
 * of type string`, `… .jwk of type jose.rawJSONWebKey`) —, each key member
 * through byteBuffer.UnmarshalJSON (a string, then base64url), and the key
 * is then checked as go-jose checks it (keys/go-jose-jwk.ts) and must
 * load into Node's crypto (keys/node-loadable.ts).
 */

const GO_STRING: GoType = { kind: "string", name: "string" };

/** byteBuffer.UnmarshalJSON: json.Unmarshal into a string, then base64url unless empty. */
const BYTE_BUFFER: GoType = {
  kind: "unmarshaler",
  name: "*jose.byteBuffer",
  decode: (node) => {
    const encoded = unmarshalAs(node, GO_STRING);
    if (typeof encoded !== "string" || encoded === "") return encoded ?? undefined;
    const decoded = goJoseBase64UrlDecode(encoded);
    if (!decoded.ok) throw new GoJsonError(decoded.error);
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
 * plain object) once rawJSONWebKey decoding and those checks accept it.
 */
export function joseJsonWebKey(): GoType {
  return {
    kind: "unmarshaler",
    name: "jose.JSONWebKey",
    decode: (node: GoNode) => {
      unmarshalAs(node, RAW_JSON_WEB_KEY);
      const value = unmarshalAs(node, { kind: "any" });
      const jwk = typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
      const error = goJoseJwkError(jwk) ?? nodeLoadError(jwk);
      if (error) throw new GoJsonError(error);
      return jwk;
    },
  };
}
