import { createHash, createHmac } from "node:crypto";
import type Provider from "oidc-provider";
import { describe, expect, it } from "vitest";
import { globalSecret, installTokenValues } from "./token-values";

/** A stand-in for oidc-provider's token models: each draws "drawn" unless Hydra's value replaces it. */
function fakeProvider(): Record<string, new (format?: string) => { format?: string; generateTokenId(): string }> {
  const model = () =>
    class {
      constructor(readonly format?: string) {}
      generateTokenId(): string {
        return "drawn";
      }
    };
  return { AccessToken: model(), ClientCredentials: model(), RefreshToken: model(), AuthorizationCode: model(), DeviceCode: model() };
}

describe("token values as fosite's HMAC strategy makes them (hmacsha.go Generate, strategy_hmacsha_prefixed.go)", () => {
  it("signs the random key with HMAC-SHA512/256 under SHA-256 of the first system secret", () => {
    const provider = fakeProvider();
    installTokenValues(provider as unknown as Provider, globalSecret(["a-system-secret-of-enough-length"]));
    const secret = createHash("sha256").update("a-system-secret-of-enough-length").digest();
    for (const [model, kind] of [
      ["ClientCredentials", "at"],
      ["AccessToken", "at"],
      ["RefreshToken", "rt"],
      ["AuthorizationCode", "ac"],
      ["DeviceCode", "dc"],
    ] as const) {
      const value = new provider[model]!().generateTokenId();
      const match = /^ory_([a-z]{2})_([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(value);
      expect(match?.[1]).toBe(kind);
      const signature = createHmac("sha512-256", secret)
        .update(Buffer.from(match?.[2] ?? "", "base64url"))
        .digest("base64url");
      expect(match?.[3]).toBe(signature);
    }
  });

  it("leaves a JWT access token's drawn id alone, and draws a new key for every token", () => {
    const provider = fakeProvider();
    installTokenValues(provider as unknown as Provider, globalSecret(undefined));
    expect(new provider.AccessToken!("jwt").generateTokenId()).toBe("drawn");
    const first = new provider.ClientCredentials!().generateTokenId();
    expect(new provider.ClientCredentials!().generateTokenId()).not.toBe(first);
  });
});
