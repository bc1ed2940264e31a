import { createDecipheriv } from "node:crypto";
import { xchacha20Poly1305Open } from "@olympus/server-kit/crypto";
import { describe, expect, it } from "vitest";
import { KratosError } from "../http/errors";
import { checkCipherConfig, cipherFor, type CipherAlgorithm, type CipherConfig } from "./cipher";

/**
 * Kratos' cipher package (cipher/aes.go, cipher/chacha20.go, cipher/noop.go,
 * cipher/cipher_test.go TestCipher / TestAESBackwardsCompatibility) and the
 * key derivation of driver/config/config.go ToCipherSecrets. The AEAD's own
 * test vectors are @olympus/server-kit/crypto's.
 */
const SECRET = "secret-thirty-two-character-long";
const configOf = (algorithm: CipherAlgorithm | undefined, cipher: string[] | undefined = [SECRET]): CipherConfig => ({
  ciphers: algorithm ? { algorithm } : {},
  secrets: { cipher },
});

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof KratosError) return error.reason;
    throw error;
  }
  throw new Error("expected a KratosError");
}

describe("cipher (Kratos' cipher package)", () => {
  const message = "my secret message!";

  it.each(["noop", "aes", "xchacha20-poly1305"] as const)("%s: round trip, empty in → empty out (testAllWork)", (algorithm) => {
    const cipher = cipherFor(configOf(algorithm));
    const sealed = cipher.encrypt(message);
    expect(sealed).toMatch(/^[0-9a-f]+$/);
    expect(cipher.decrypt(sealed).toString()).toBe(message);
    expect(cipher.encrypt("")).toBe("");
    expect(cipher.decrypt("").length).toBe(0);
  });

  it("noop is the default and writes the message as hex (noop.go)", () => {
    const cipher = cipherFor(configOf(undefined, undefined));
    expect(cipher.algorithm).toBe("noop");
    expect(cipher.encrypt(message)).toBe(Buffer.from(message).toString("hex"));
  });

  it("aes writes hex(12-byte nonce ‖ ciphertext ‖ tag) with the secret's own bytes as key (aes.go, NewGCMWithRandomNonce)", () => {
    const sealed = Buffer.from(cipherFor(configOf("aes")).encrypt(message), "hex");
    expect(sealed.length).toBe(12 + message.length + 16);
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(SECRET), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    expect(Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString()).toBe(message);
  });

  it("aes opens a value a real Kratos wrote (TestAESBackwardsCompatibility's fixture)", () => {
    const cipher = cipherFor(configOf("aes", ["change this password to a secret"]));
    const legacy =
      "74756223e46170ef0579f207af41b7ed435d649ae94f22bd57934398e9861870e58feba1e949d28f18dfdda6395eabf4d2d31fdeb2b07c4c428e9829509470f6d8e23c17708f1368b6";
    expect(cipher.decrypt(legacy).toString()).toBe("fixture: encrypted with caller-supplied nonce");
  });

  it("xchacha20-poly1305 writes hex(24-byte nonce ‖ ciphertext ‖ tag) (chacha20.go)", () => {
    const sealed = Buffer.from(cipherFor(configOf("xchacha20-poly1305")).encrypt(message), "hex");
    expect(sealed.length).toBe(24 + message.length + 16);
    const plain = xchacha20Poly1305Open(Buffer.from(SECRET), sealed.subarray(0, 24), sealed.subarray(24));
    expect(plain?.toString()).toBe(message);
  });

  it.each(["aes", "xchacha20-poly1305"] as const)(
    "%s: encrypts with the first secret, decrypts with any (SecretsCipher rotation)",
    (algorithm) => {
      const old = cipherFor(configOf(algorithm, ["an-older-secret-of-32-characters"])).encrypt(message);
      const rotated = cipherFor(configOf(algorithm, [SECRET, "an-older-secret-of-32-characters"]));
      expect(rotated.decrypt(old).toString()).toBe(message);
      expect(cipherFor(configOf(algorithm, [SECRET])).encrypt(message)).not.toBe(old);
      expect(reasonOf(() => cipherFor(configOf(algorithm, [SECRET])).decrypt(old))).toBe(
        algorithm === "aes" ? "Unable to decipher the encrypted message." : "Unable to decrypt string",
      );
    },
  );

  it.each(["aes", "xchacha20-poly1305"] as const)(
    "%s: refuses without a usable secret and on bad data (case=encryption_failed, decryption_failed)",
    (algorithm) => {
      for (const secrets of [[], [""], ["bad-length"]]) {
        expect(reasonOf(() => cipherFor(configOf(algorithm, secrets)).encrypt("not-empty"))).toBe(
          "Unable to encrypt message because no cipher secrets were configured.",
        );
      }
      const cipher = cipherFor(configOf(algorithm));
      expect(() => cipher.decrypt(Buffer.from("bad-data").toString("hex"))).toThrow(KratosError);
      expect(() => cipher.decrypt("not-empty")).toThrow(KratosError);
      expect(() => cipher.decrypt(Buffer.from("sixteen-bytes!!!").toString("hex"))).toThrow(KratosError);
    },
  );

  it("refuses at start-up an algorithm without cipher secrets, or an unknown one (config schema)", () => {
    expect(() => checkCipherConfig(configOf("xchacha20-poly1305", []))).toThrow(/secrets\.cipher/);
    expect(() => checkCipherConfig({ ciphers: { algorithm: "rot13" }, secrets: {} })).toThrow(/ciphers\.algorithm/);
    expect(() => checkCipherConfig(configOf("noop", []))).not.toThrow();
  });
});
