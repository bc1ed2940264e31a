import { constants, createHmac, createPrivateKey, type KeyObject, sign } from "node:crypto";
import { KratosError } from "../../http/errors";
import { goJsonMarshal } from "./go-json";
import type { Jwk } from "./jwks";

/**
 * golang-jwt/jwt v5: the signing methods `jwt.GetSigningMethod` knows and
 * `Token.SignedString`. A key that does not suit its method (a public key, an
 * EC key on the wrong curve, an RSA key for ES256) fails as golang-jwt's
 * ErrInvalidKey/ErrInvalidKeyType do, which Kratos reports as 400 "Unable to
 * sign JSON Web Token.".
 */
type Method =
  | { kind: "hmac"; hash: string }
  | { kind: "rsa"; hash: string }
  | { kind: "pss"; hash: string }
  | { kind: "ecdsa"; hash: string; curve: string; size: number }
  | { kind: "eddsa" }
  | { kind: "none" };

const METHODS: Record<string, Method> = {
  HS256: { kind: "hmac", hash: "sha256" },
  HS384: { kind: "hmac", hash: "sha384" },
  HS512: { kind: "hmac", hash: "sha512" },
  RS256: { kind: "rsa", hash: "sha256" },
  RS384: { kind: "rsa", hash: "sha384" },
  RS512: { kind: "rsa", hash: "sha512" },
  PS256: { kind: "pss", hash: "sha256" },
  PS384: { kind: "pss", hash: "sha384" },
  PS512: { kind: "pss", hash: "sha512" },
  ES256: { kind: "ecdsa", hash: "sha256", curve: "P-256", size: 32 },
  ES384: { kind: "ecdsa", hash: "sha384", curve: "P-384", size: 48 },
  ES512: { kind: "ecdsa", hash: "sha512", curve: "P-521", size: 66 },
  EdDSA: { kind: "eddsa" },
  none: { kind: "none" },
};

/** jwt.GetSigningMethod(key.Algorithm()): undefined for an unknown or missing `alg`. */
export const signingMethodKnown = (alg: string): boolean => Object.hasOwn(METHODS, alg);

const unableToSign = () => new KratosError(400, { reason: "Unable to sign JSON Web Token." });

function privateKey(jwk: Jwk, kty: string): KeyObject {
  if (jwk.kty !== kty || typeof jwk.d !== "string") throw unableToSign();
  try {
    return createPrivateKey({ key: jwk, format: "jwk" });
  } catch {
    throw unableToSign();
  }
}

function signature(method: Method, jwk: Jwk, input: Buffer): Buffer {
  switch (method.kind) {
    case "hmac": {
      if (jwk.kty !== "oct" || typeof jwk.k !== "string") throw unableToSign();
      return createHmac(method.hash, Buffer.from(jwk.k, "base64url")).update(input).digest();
    }
    case "rsa":
      return sign(method.hash, input, privateKey(jwk, "RSA"));
    case "pss":
      return sign(method.hash, input, {
        key: privateKey(jwk, "RSA"),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        // golang-jwt signs PS* with rsa.PSSSaltLengthEqualsHash.
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      });
    case "ecdsa":
      if (jwk.crv !== method.curve) throw unableToSign();
      return sign(method.hash, input, { key: privateKey(jwk, "EC"), dsaEncoding: "ieee-p1363" });
    case "eddsa":
      if (jwk.crv !== "Ed25519") throw unableToSign();
      return sign(null, input, privateKey(jwk, "OKP"));
    case "none":
      // SigningMethodNone signs only with jwt.UnsafeAllowNoneSignatureType, which a JWK never is.
      throw unableToSign();
  }
}

/** The compact JWT: header {alg, kid, typ} and claims marshalled as Go does, signed with the key. */
export function signJwt(alg: string, jwk: Jwk, claims: Record<string, unknown>): string {
  const method = METHODS[alg];
  if (!method) throw unableToSign();
  const header = { alg, kid: typeof jwk.kid === "string" ? jwk.kid : "", typ: "JWT" };
  const encode = (value: unknown) => Buffer.from(goJsonMarshal(value), "utf8").toString("base64url");
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${signature(method, jwk, Buffer.from(input, "utf8")).toString("base64url")}`;
}
