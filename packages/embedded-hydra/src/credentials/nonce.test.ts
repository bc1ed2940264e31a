import { createHash, randomBytes } from "node:crypto";
import { xchacha20Poly1305Open } from "@olympus/server-kit/crypto";
import { describe, expect, it } from "vitest";
import { NonceCipher } from "./nonce";

/**
 * persistence/sql/persister_nonce.go NewNonce / IsNonceValid over the flow cipher keyed by secrets.system (x.HashStringSecret);
 * the cipher's own vectors (aead/xchacha20.go XChaCha20Poly1305) are @olympus/server-kit/crypto's.
 */
describe("verifiable-credential nonces (persister_nonce.go)", () => {
  const SECRET = "a-system-secret-of-32-characters";
  const now = () => Math.floor(Date.now() / 1000);

  it("is the expiry as int64 little-endian, sealed with SHA-256(secret) and `vc-nonce-at:`+token, padded base64url", () => {
    const expiry = now() + 3600;
    const nonce = new NonceCipher([SECRET]).issue("token-1", expiry);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]+=*$/);
    expect(nonce.length % 4).toBe(0);
    const raw = Buffer.from(nonce, "base64url");
    const key = createHash("sha256").update(SECRET).digest();
    const opened = xchacha20Poly1305Open(key, raw.subarray(0, 24), raw.subarray(24), Buffer.from("vc-nonce-at:token-1"));
    expect(opened?.readBigInt64LE()).toBe(BigInt(expiry));
  });

  it("opens with a rotated secret (aead/helpers.go allKeys), refuses another token, a lapsed expiry and unpadded text", () => {
    const old = new NonceCipher([SECRET]);
    const rotated = new NonceCipher(["a-newer-system-secret-32-chars!!", SECRET]);
    const nonce = old.issue("token-1", now() + 60);
    expect(rotated.check("token-1", nonce)).toBeUndefined();
    expect(rotated.check("token-2", nonce)).toBe("The nonce is invalid.");
    expect(old.check("token-1", old.issue("token-1", now() - 1))).toBe("The nonce has expired.");
    expect(old.check("token-1", nonce.replace(/=+$/, ""))).toBe(nonce.endsWith("=") ? "The nonce is invalid." : undefined);
    expect(old.check("token-1", randomBytes(48).toString("base64url"))).toBe("The nonce is invalid.");
  });
});
