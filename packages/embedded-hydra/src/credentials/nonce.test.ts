import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NonceCipher } from "./nonce";
import { hchacha20, xchachaOpen, xchachaSeal } from "./xchacha20poly1305";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

/** Hydra's flow cipher (aead/xchacha20.go: golang.org/x/crypto chacha20poly1305.NewX), checked against draft-irtf-cfrg-xchacha. */
describe("XChaCha20-Poly1305 (aead/xchacha20.go XChaCha20Poly1305)", () => {
  it("HChaCha20 gives the draft's §2.2.1 subkey", () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(hchacha20(key, hex("000000090000004a0000000031415927")).toString("hex")).toBe(
      "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
    );
  });

  it("seals and opens the draft's §A.3.1 example", () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
    const nonce = Buffer.from(Array.from({ length: 24 }, (_, i) => 0x40 + i));
    const aad = hex("50515253c0c1c2c3c4c5c6c7");
    const plaintext = Buffer.from(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    const sealed = xchachaSeal(key, nonce, plaintext, aad);
    expect(sealed.toString("hex")).toBe(
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39" +
        "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9" +
        "21f9664c97637da9768812f615c68b13b52ec0875924c1c7987947deafd8780acf49",
    );
    expect(xchachaOpen(key, nonce, sealed, aad)).toEqual(plaintext);
    expect(xchachaOpen(key, nonce, sealed, Buffer.from("other"))).toBeUndefined();
  });
});

/** persistence/sql/persister_nonce.go NewNonce / IsNonceValid over the flow cipher keyed by secrets.system (x.HashStringSecret). */
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
    const opened = xchachaOpen(key, raw.subarray(0, 24), raw.subarray(24), Buffer.from("vc-nonce-at:token-1"));
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
