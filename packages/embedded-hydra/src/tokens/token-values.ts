import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import type Provider from "oidc-provider";

/**
 * Token values as fosite's HMAC strategies make them
 * (fosite/token/hmac/hmacsha.go Generate with Hydra's 32 bytes of entropy,
 * fosite/handler/oauth2/strategy_hmacsha_prefixed.go, rfc8628
 * strategy_hmacsha.go): `ory_<kind>_<key>.<signature>`, the key 32 random
 * bytes and the signature their HMAC-SHA512/256 under the global secret
 * (SHA-256 of the first `secrets.system`, x/secret.go HashStringSecret),
 * both unpadded base64url. oidc-provider keeps each token under its value,
 * so the signature is not checked on the way back: a forged value is simply
 * not found.
 */
const PREFIXES = { AccessToken: "at", ClientCredentials: "at", RefreshToken: "rt", AuthorizationCode: "ac", DeviceCode: "dc" } as const;

/**
 * The secret is a KeyObject, made once: given raw bytes, createHmac first
 * asks isKeyObject and isCryptoKey, and in Node 24 each answers "no" by
 * throwing and catching an error — two exceptions on every token issued,
 * a few percent of a client_credentials grant.
 */
export function hmacTokenValue(kind: string, globalSecret: KeyObject): string {
  const key = randomBytes(32);
  const signature = createHmac("sha512-256", globalSecret).update(key).digest();
  return `ory_${kind}_${key.toString("base64url")}.${signature.toString("base64url")}`;
}

/** x/secret.go HashStringSecret of the first system secret; without one, a key for this process. */
export function globalSecret(systemSecrets: string[] | undefined): Buffer {
  const first = systemSecrets?.[0];
  return first !== undefined ? createHash("sha256").update(first).digest() : randomBytes(32);
}

/**
 * oidc-provider draws a model's id (its value, for these) in
 * `generateTokenId`, which for access tokens also settles their format:
 * it still runs, and Hydra's value replaces the opaque id it drew.
 */
export function installTokenValues(provider: Provider, secret: Buffer): void {
  const secretKey = createSecretKey(secret);
  for (const [model, kind] of Object.entries(PREFIXES)) {
    const target = Reflect.get(provider, model) as { prototype: object };
    const original = Reflect.get(target.prototype, "generateTokenId") as (this: { format?: string }) => string;
    Reflect.set(target.prototype, "generateTokenId", function hydraTokenValue(this: { format?: string }) {
      const drawn = original.call(this);
      return this.format === "jwt" ? drawn : hmacTokenValue(kind, secretKey);
    });
  }
}
