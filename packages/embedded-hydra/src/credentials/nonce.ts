import { createHash, randomBytes } from "node:crypto";
import { XCHACHA20_POLY1305_NONCE_SIZE, xchacha20Poly1305Open, xchacha20Poly1305Seal } from "@olympus/server-kit/crypto";

/**
 * Hydra's verifiable-credentials nonce (persistence/sql/persister_nonce.go
 * NewNonce / IsNonceValid): not stored, but the expiry (Unix seconds,
 * x.IntToBytes: int64 little-endian) sealed by Hydra's flow cipher
 * (aead/xchacha20.go: XChaCha20-Poly1305, a random 24-byte nonce in front,
 * padded base64url) with the additional data `vc-nonce-at:` + the access
 * token, so a nonce is only good with its token until it expires. The key is
 * SHA-256 of `secrets.system[0]` (x.HashStringSecret); opening also tries the
 * rotated secrets after it (aead/helpers.go allKeys). Without a system secret
 * (Hydra would fail the request) a key drawn at start-up stands in.
 */
const AAD_PREFIX = "vc-nonce-at:";

const sha256 = (secret: string) => createHash("sha256").update(secret).digest();

export class NonceCipher {
  /** The key nonces are sealed with, then the rotated ones that still open them. */
  private readonly key: Buffer;
  private readonly keys: Buffer[];

  constructor(secrets: readonly string[] | undefined) {
    const [first, ...rotated] = secrets ?? [];
    this.key = first === undefined ? randomBytes(32) : sha256(first);
    this.keys = [this.key, ...rotated.map(sha256)];
  }

  issue(accessToken: string, expiresAtSeconds: number): string {
    const nonce = randomBytes(XCHACHA20_POLY1305_NONCE_SIZE);
    const plaintext = Buffer.alloc(8);
    plaintext.writeBigInt64LE(BigInt(expiresAtSeconds));
    const sealed = xchacha20Poly1305Seal(this.key, nonce, plaintext, Buffer.from(AAD_PREFIX + accessToken));
    return goUrlBase64(Buffer.concat([nonce, sealed]));
  }

  /** IsNonceValid's outcome: undefined when valid, else fosite's invalid_request hint. */
  check(accessToken: string, nonce: string): string | undefined {
    const raw = decodeGoUrlBase64(nonce);
    if (!raw || raw.length < XCHACHA20_POLY1305_NONCE_SIZE) return "The nonce is invalid.";
    const aad = Buffer.from(AAD_PREFIX + accessToken);
    const opened = this.keys
      .map((key) =>
        xchacha20Poly1305Open(key, raw.subarray(0, XCHACHA20_POLY1305_NONCE_SIZE), raw.subarray(XCHACHA20_POLY1305_NONCE_SIZE), aad),
      )
      .find((plaintext) => plaintext !== undefined);
    if (!opened || opened.length !== 8) return "The nonce is invalid.";
    return opened.readBigInt64LE() < BigInt(Math.floor(Date.now() / 1000)) ? "The nonce has expired." : undefined;
  }
}

/** Go's base64.URLEncoding.EncodeToString: the URL alphabet, padded with `=`. */
function goUrlBase64(bytes: Buffer): string {
  const text = bytes.toString("base64url");
  return text.padEnd(Math.ceil(text.length / 4) * 4, "=");
}

/** Go's base64.URLEncoding.DecodeString: the URL alphabet with `=` padding, nothing else accepted. */
function decodeGoUrlBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9_-]*(?:={1,2})?$/.test(text)) return undefined;
  const decoded = Buffer.from(text, "base64url");
  return goUrlBase64(decoded) === text ? decoded : undefined;
}
