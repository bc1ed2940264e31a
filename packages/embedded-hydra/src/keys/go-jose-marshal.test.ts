import { decodeGoJsonValue } from "@olympus/server-kit/go-json";
import { describe, expect, it } from "vitest";
import { goJoseMarshal, goJosePublicMarshal } from "./go-jose-marshal";
import { joseJsonWebKey } from "./jose-json";

/**
 * What Hydra keeps and answers for a JWK it decoded: go-jose v3.0.4
 * jwk.go JSONWebKey.UnmarshalJSON (through go-jose's json/decode.go) and
 * then JSONWebKey.MarshalJSON (rawJSONWebKey's field order, byteBuffer,
 * newBuffer, newFixedSizeBuffer, newBufferFromInt in encoding.go). Hydra:
 * jwk/handler.go adminUpdateJsonWebKey / setJsonWebKeySet write the decoded
 * key back, persistence/sql/persister_jwk.go AddKey stores json.Marshal(key).
 * The expected texts are what go-jose v3.0.4 itself printed for these inputs
 * (json.Unmarshal into jose.JSONWebKey, then json.Marshal).
 */

const JWK = joseJsonWebKey();

/** json.Unmarshal into jose.JSONWebKey, then json.Marshal: the text, or the error. */
function roundTrip(body: string): string {
  try {
    return JSON.stringify(decodeGoJsonValue(body, JWK, { strict: false }));
  } catch (error) {
    return `ERR ${(error as Error).message}`;
  }
}

/** A P-256 certificate (DER, base64) and its key. */
const CERT =
  "MIIBbDCCAROgAwIBAgIUY8VoCZh9/0NeZNYEHHV1F8BZsy0wCgYIKoZIzj0EAwIwDDEKMAgGA1UEAwwBdDAeFw0yNjEyMDUwMjE5NTZaFw0yNjEyMDYwMjE5NTZaMAwxCjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARiVdkArc7UwXXPn5iE0kBAfw7XO9OG5Y4WD6/eMvWPJXXObvZwID2b8NhtC8Qx2pUemwS56vfeOb66ho5Foz56o1MwUTAdBgNVHQ4EFgQUygGxy8Q0TsXDPOWSpToC2nZdkp8wHwYDVR0jBBgwFoAUygGxy8Q0TsXDPOWSpToC2nZdkp8wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBSAWgheAcE8JIPFMVN2YPV3iuau2LmYMfFPwWkuOzuvQIgeew9aP3wFF3QgnmGqQiPvKXh5Ro1ECg/qAYLUjjNfgU=";
const EC = {
  x: "YlXZAK3O1MF1z5-YhNJAQH8O1zvThuWOFg-v3jL1jyU",
  y: "dc5u9nAgPZvw2G0LxDHalR6bBLnq9945vrqGjkWjPno",
  d: "QTnM-FfKtX3VJ7w672dktW-q1uwgmMGJWj0NDOgh7Gw",
};
/** The certificate's SHA-1 thumbprint, hex-encoded then base64url (RFC 7517 §4.8's ambiguity go-jose accepts). */
const HEX_X5T = "MzZkZWZkNjZlY2ZiNGI0OGY3YjM3MzM4MWM2YmQ4MTFiOTkxYjI2NQ";

describe("JSONWebKey.MarshalJSON of what UnmarshalJSON read (go-jose v3.0.4 jwk.go)", () => {
  it("writes rawJSONWebKey's members in its field order, drops the members go-jose does not read, re-encodes x5c and x5t", () => {
    const sent = {
      ext: true,
      key_ops: ["sign"],
      d: `${EC.d}=`,
      y: EC.y,
      x: EC.x,
      crv: "P-256",
      kty: "EC",
      alg: "ES256",
      kid: "chained",
      use: "sig",
      // Go's base64 skips the newline; MarshalJSON writes the certificate's DER again.
      x5c: [`${CERT.slice(0, 60)}\n${CERT.slice(60)}`],
      x5t: HEX_X5T,
    };
    expect(roundTrip(JSON.stringify(sent))).toBe(
      JSON.stringify({
        use: "sig",
        kty: "EC",
        kid: "chained",
        crv: "P-256",
        alg: "ES256",
        ...EC,
        x5c: [CERT],
        x5t: "Nt79Zuz7S0j3s3M4HGvYEbmRsmU",
      }),
    );
  });

  it("RSA (fromRsaPublicKey): numbers without leading zero bytes, e from its int, no crv; empty strings left out", () => {
    expect(roundTrip('{"kty":"RSA","crv":"P-256","n":"AAABAgM","e":"AAEAAQ==","kid":"","alg":"RS256","KID":"ignored","oth":[]}')).toBe(
      '{"kty":"RSA","alg":"RS256","n":"AQID","e":"AQAB"}',
    );
    // byteBuffer.toInt keeps the low 64 bits of e.
    expect(roundTrip('{"kty":"RSA","n":"AQAB","e":"AQAAAAAAAAAAAQ"}')).toBe('{"kty":"RSA","n":"AQAB","e":"AQ"}');
  });

  it("oct (fromSymmetricKey): an empty k is a nil buffer, left out", () => {
    expect(roundTrip('{"kty":"oct","k":"","kid":"empty-k"}')).toBe('{"kty":"oct","kid":"empty-k"}');
    expect(roundTrip('{"kty":"oct","k":"AA","use":"enc"}')).toBe('{"use":"enc","kty":"oct","k":"AA"}');
  });

  it("RSA private (fromRsaPrivateKey): dp, dq and qi only as sent, since Validate derives them without keeping them", () => {
    const stored = goJoseMarshal({ kty: "RSA", n: "AAEC", e: "AQAB", d: "AAM", p: "BA", q: "BQ", dq: "AAY" });
    expect(JSON.stringify(stored)).toBe('{"kty":"RSA","n":"AQI","e":"AQAB","d":"Aw","p":"BA","q":"BQ","dq":"Bg"}');
  });

  it("x5u: the url.URL go-jose parsed, written as its String() (jwk.go MarshalJSON: raw.X5u = k.CertificatesURL.String())", () => {
    // Go 1.19.8 net/url printed these (server-kit's go-url/url-string.test.ts holds more).
    expect(roundTrip('{"kty":"oct","k":"AA","x5u":"HTTP://h/a b#x y"}')).toBe('{"kty":"oct","k":"AA","x5u":"http://h/a%20b#x%20y"}');
    expect(roundTrip('{"kty":"oct","k":"AA","x5u":"https://hä/a b%2F?q=ä"}')).toBe(
      '{"kty":"oct","k":"AA","x5u":"https://h%C3%A4/a%20b/?q=ä"}',
    );
    // "//" parses to an empty URL, whose String() "" omitempty leaves out.
    expect(roundTrip('{"kty":"oct","k":"AA","x5u":"//"}')).toBe('{"kty":"oct","k":"AA"}');
  });

  it("is its own inverse, so a key read back from jsonb (which keeps no member order) is answered in go-jose's order", () => {
    const once = goJoseMarshal({ x5t: HEX_X5T, x5c: [CERT], ...EC, kty: "EC", crv: "P-256", kid: "k" });
    expect(Object.keys(once)).toEqual(["kty", "kid", "crv", "x", "y", "d", "x5c", "x5t"]);
    const shuffled = Object.fromEntries(Object.entries(once).reverse());
    expect(JSON.stringify(goJoseMarshal(shuffled))).toBe(JSON.stringify(once));
  });
});

describe("JSONWebKey.Public() as jwk/helper.go ExcludePrivateKeys publishes it", () => {
  it("keeps the public members, kid, alg, use and the certificate members", () => {
    const key = {
      use: "sig",
      kty: "EC",
      kid: "chained",
      crv: "P-256",
      alg: "ES256",
      ...EC,
      x5c: [CERT],
      x5t: "Nt79Zuz7S0j3s3M4HGvYEbmRsmU",
    };
    const { d: _d, ...expected } = key;
    expect(JSON.stringify(goJosePublicMarshal(key))).toBe(JSON.stringify(expected));
    expect(goJosePublicMarshal({ kty: "RSA", n: "AQID", e: "AQAB", d: "Aw", p: "BA", q: "BQ" })).toEqual({
      kty: "RSA",
      n: "AQID",
      e: "AQAB",
    });
    expect(goJosePublicMarshal({ kty: "oct", k: "AA" })).toBeUndefined();
  });
});

describe("go-jose's json.Unmarshal into rawJSONWebKey (json/decode.go, a Go 1.6 fork)", () => {
  it.each([
    [
      "a number for a string stops at once, over an earlier mismatch",
      '{"use":true,"kty":5}',
      "json: cannot unmarshal number into Go value of type string",
    ],
    ["a repeated member", '{"kty":"oct","k":"YQ","kid":"a","kid":"b"}', "json: duplicate key 'kid' in object"],
    ["x5c that is no list", '{"kty":"oct","k":"YQ","x5c":"abc"}', "json: cannot unmarshal string into Go value of type []string"],
    ["a number in x5c", '{"kty":"oct","k":"YQ","x5c":[1]}', "json: cannot unmarshal number into Go value of type string"],
    [
      "a number for a key member (byteBuffer's own Unmarshal)",
      '{"kty":"oct","k":5}',
      "json: cannot unmarshal number into Go value of type string",
    ],
    ["a bool for a key member", '{"kty":"oct","k":true}', "json: cannot unmarshal bool into Go value of type string"],
    ["a bool for the key", "true", "json: cannot unmarshal bool into Go value of type jose.rawJSONWebKey"],
    ["a number for the key", "5", "json: cannot unmarshal number into Go value of type jose.rawJSONWebKey"],
    ["member names match exactly: KTY is not kty", '{"KTY":"oct","k":"YWJj"}', "go-jose/go-jose: unknown json web key type ''"],
  ])("%s", (_name, body, message) => {
    expect(roundTrip(body)).toBe(`ERR ${message}`);
  });
});
