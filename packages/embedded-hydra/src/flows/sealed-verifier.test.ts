import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { VerifierSeal } from "./sealed-verifier";

/**
 * The expiry a verifier carries stands in for Hydra's encrypted flow
 * (flow/flow_encoding.go decodeVerifier): only verifiers issued with the
 * system secret, for the same purpose, unchanged, read back; the rotated
 * secrets after the first still verify (aead/helpers.go allKeys).
 */
const SECRET = "a-system-secret-of-32-characters";
const OLD_SECRET = "an-older-system-secret-rotated-out";
const expiresAt = new Date("2030-01-01T00:00:00Z");

describe("VerifierSeal", () => {
  it("reads back the expiry of a verifier it issued, to the second, as URL-safe text", () => {
    const seal = new VerifierSeal([SECRET]);
    const verifier = seal.issue("login", new Date(expiresAt.getTime() - 400));
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{56}$/);
    expect(seal.expiry("login", verifier)).toEqual(expiresAt);
    expect(seal.issue("login", expiresAt)).not.toBe(seal.issue("login", expiresAt));
  });

  it("refuses a verifier of another purpose (Hydra's AsLoginVerifier / AsConsentVerifier / AsDeviceVerifier)", () => {
    const seal = new VerifierSeal([SECRET]);
    expect(seal.expiry("consent", seal.issue("login", expiresAt))).toBeUndefined();
    expect(seal.expiry("device", seal.issue("consent", expiresAt))).toBeUndefined();
  });

  it("refuses a changed character, text of the same shape, other lengths and other alphabets", () => {
    const seal = new VerifierSeal([SECRET]);
    const verifier = seal.issue("consent", expiresAt);
    for (let index = 0; index < verifier.length; index += 7) {
      const edited = verifier.slice(0, index) + (verifier[index] === "A" ? "B" : "A") + verifier.slice(index + 1);
      expect(seal.expiry("consent", edited)).toBeUndefined();
    }
    expect(seal.expiry("consent", randomBytes(42).toString("base64url"))).toBeUndefined();
    expect(seal.expiry("consent", verifier.slice(1))).toBeUndefined();
    expect(seal.expiry("consent", `${verifier}A`)).toBeUndefined();
    expect(seal.expiry("consent", `${verifier.slice(0, 55)}=`)).toBeUndefined();
    expect(seal.expiry("consent", "")).toBeUndefined();
  });

  it("verifies with every configured system secret and signs with the first", () => {
    const before = new VerifierSeal([OLD_SECRET]).issue("login", expiresAt);
    const rotated = new VerifierSeal([SECRET, OLD_SECRET]);
    expect(rotated.expiry("login", before)).toEqual(expiresAt);
    expect(new VerifierSeal([SECRET]).expiry("login", rotated.issue("login", expiresAt))).toEqual(expiresAt);
    expect(new VerifierSeal([SECRET]).expiry("login", before)).toBeUndefined();
  });

  it("without a system secret reads back only what this instance issued", () => {
    const seal = new VerifierSeal(undefined);
    expect(seal.expiry("login", seal.issue("login", expiresAt))).toEqual(expiresAt);
    expect(new VerifierSeal(undefined).expiry("login", seal.issue("login", expiresAt))).toBeUndefined();
  });
});
