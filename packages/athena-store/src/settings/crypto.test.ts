import { describe, expect, it } from "vitest";
import {
  deriveEncryptionKey,
  EncryptionKeyError,
  EXAMPLE_ENCRYPTION_KEYS,
  openSetting,
  sealSetting,
  sealedKeyId,
  SettingDecryptionError,
} from "./crypto";

const KEY_A = "a".repeat(16) + "-test-encryption-key-A-0123456789";
const KEY_B = "b".repeat(16) + "-test-encryption-key-B-0123456789";

describe("deriveEncryptionKey", () => {
  it("refuses a key shorter than 32 bytes, in every environment", () => {
    expect(() => deriveEncryptionKey("x".repeat(31), "development")).toThrow(EncryptionKeyError);
    expect(() => deriveEncryptionKey("x".repeat(31), "production")).toThrow(/at least 32 bytes, got 31/);
  });

  it("counts bytes, not characters", () => {
    // 16 two-byte characters are 32 bytes.
    expect(() => deriveEncryptionKey("é".repeat(16), "production")).not.toThrow();
  });

  it("refuses every known example key in production but accepts it in development", () => {
    for (const example of EXAMPLE_ENCRYPTION_KEYS) {
      expect(() => deriveEncryptionKey(example, "production")).toThrow(/example value/);
      expect(deriveEncryptionKey(example, "development").id).toHaveLength(12);
    }
  });

  it("derives the same key id from the same key and different ids from different keys", () => {
    expect(deriveEncryptionKey(KEY_A, "production").id).toBe(deriveEncryptionKey(KEY_A, "production").id);
    expect(deriveEncryptionKey(KEY_A, "production").id).not.toBe(deriveEncryptionKey(KEY_B, "production").id);
  });
});

describe("sealSetting / openSetting", () => {
  const a = deriveEncryptionKey(KEY_A, "production");
  const b = deriveEncryptionKey(KEY_B, "production");

  it("round-trips, with a fresh IV each time, in the versioned format", () => {
    const one = sealSetting("smtp-p@ss ✓", a, "ciam", "smtp.password");
    const two = sealSetting("smtp-p@ss ✓", a, "ciam", "smtp.password");
    expect(one).not.toBe(two);
    expect(one).toMatch(/^v1\.[\w-]{12}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(one).not.toContain("smtp-p@ss");
    expect(sealedKeyId(one)).toBe(a.id);
    expect(openSetting(one, [a], "ciam", "smtp.password")).toBe("smtp-p@ss ✓");
  });

  it("fails closed under the wrong key", () => {
    const sealed = sealSetting("secret", a, "ciam", "k");
    expect(() => openSetting(sealed, [b], "ciam", "k")).toThrow(SettingDecryptionError);
  });

  it("fails closed when the ciphertext is moved to another domain or key", () => {
    const sealed = sealSetting("secret", a, "ciam", "k");
    expect(() => openSetting(sealed, [a], "iam", "k")).toThrow(/authentication failed/);
    expect(() => openSetting(sealed, [a], "ciam", "other")).toThrow(/authentication failed/);
  });

  it("fails closed on tampering and on unknown versions", () => {
    const sealed = sealSetting("secret", a, "ciam", "k");
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3] ?? "", "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    parts[3] = flipped.toString("base64url");
    expect(() => openSetting(parts.join("."), [a], "ciam", "k")).toThrow(SettingDecryptionError);
    expect(() => openSetting(sealed.replace(/^v1/, "v9"), [a], "ciam", "k")).toThrow(/unknown ciphertext version/);
    expect(() => openSetting("plain text", [a], "ciam", "k")).toThrow(/not a sealed value/);
  });
});
