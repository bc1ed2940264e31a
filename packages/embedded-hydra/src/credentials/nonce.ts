import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Hydra's verifiable-credentials nonce (persistence/sql/persister_nonce.go):
 * not stored, but the expiry encrypted with an AEAD whose additional data is
 * `vc-nonce-at:` + the access token, so a nonce is only good with the token
 * it was issued for, until it expires. AES-256-GCM here, keyed from the
 * system secret (a key drawn at start-up when none is configured).
 */
const AAD_PREFIX = "vc-nonce-at:";

export class NonceCipher {
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.key = secret ? createHash("sha256").update(`embedded-hydra vc nonce\u0000${secret}`).digest() : randomBytes(32);
  }

  issue(accessToken: string, expiresAtSeconds: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(AAD_PREFIX + accessToken));
    const plaintext = Buffer.alloc(8);
    plaintext.writeBigInt64BE(BigInt(expiresAtSeconds));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
  }

  /** IsNonceValid's outcome: undefined when valid, else fosite's invalid_request hint. */
  check(accessToken: string, nonce: string): string | undefined {
    try {
      const raw = Buffer.from(nonce, "base64url");
      if (raw.length !== 12 + 8 + 16) return "The nonce is invalid.";
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(AAD_PREFIX + accessToken));
      decipher.setAuthTag(raw.subarray(20));
      const plaintext = Buffer.concat([decipher.update(raw.subarray(12, 20)), decipher.final()]);
      return Number(plaintext.readBigInt64BE()) < Math.floor(Date.now() / 1000) ? "The nonce has expired." : undefined;
    } catch {
      return "The nonce is invalid.";
    }
  }
}
