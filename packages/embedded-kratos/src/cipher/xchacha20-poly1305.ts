import { createCipheriv, createDecipheriv } from "node:crypto";

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha), the AEAD behind Kratos'
 * `xchacha20-poly1305` cipher (golang.org/x/crypto chacha20poly1305.NewX).
 * Node has the IETF ChaCha20-Poly1305 with 12-byte nonces; the extended
 * 24-byte nonce is that AEAD keyed with HChaCha20(key, nonce[0:16]) and
 * nonced with four zero bytes followed by nonce[16:24].
 */
export const XCHACHA_NONCE_SIZE = 24;
export const POLY1305_TAG_SIZE = 16;

/** HChaCha20: 20 ChaCha rounds over constants, key and a 16-byte nonce; the subkey is words 0-3 and 12-15 (no feed-forward). */
export function hchacha20(key: Uint8Array, nonce16: Uint8Array): Buffer {
  if (key.length !== 32 || nonce16.length !== 16) throw new RangeError("hchacha20 needs a 32-byte key and a 16-byte nonce");
  const s = new Uint32Array(16);
  s[0] = 0x61707865;
  s[1] = 0x3320646e;
  s[2] = 0x79622d32;
  s[3] = 0x6b206574;
  const k = Buffer.from(key);
  const n = Buffer.from(nonce16);
  for (let i = 0; i < 8; i++) s[4 + i] = k.readUInt32LE(i * 4);
  for (let i = 0; i < 4; i++) s[12 + i] = n.readUInt32LE(i * 4);
  const rotl = (v: number, c: number) => ((v << c) | (v >>> (32 - c))) >>> 0;
  // Indexes are always 0-15; the fallback only satisfies the checker.
  const at = (i: number) => s[i] ?? 0;
  const quarter = (a: number, b: number, c: number, d: number) => {
    s[a] = (at(a) + at(b)) >>> 0;
    s[d] = rotl(at(d) ^ at(a), 16);
    s[c] = (at(c) + at(d)) >>> 0;
    s[b] = rotl(at(b) ^ at(c), 12);
    s[a] = (at(a) + at(b)) >>> 0;
    s[d] = rotl(at(d) ^ at(a), 8);
    s[c] = (at(c) + at(d)) >>> 0;
    s[b] = rotl(at(b) ^ at(c), 7);
  };
  for (let round = 0; round < 10; round++) {
    quarter(0, 4, 8, 12);
    quarter(1, 5, 9, 13);
    quarter(2, 6, 10, 14);
    quarter(3, 7, 11, 15);
    quarter(0, 5, 10, 15);
    quarter(1, 6, 11, 12);
    quarter(2, 7, 8, 13);
    quarter(3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 4; i++) out.writeUInt32LE(at(i), i * 4);
  for (let i = 0; i < 4; i++) out.writeUInt32LE(at(12 + i), 16 + i * 4);
  return out;
}

function ietfParts(key: Uint8Array, nonce: Uint8Array): { subkey: Buffer; ietfNonce: Buffer } {
  if (nonce.length !== XCHACHA_NONCE_SIZE) throw new RangeError("xchacha20-poly1305 needs a 24-byte nonce");
  const ietfNonce = Buffer.alloc(12);
  Buffer.from(nonce.subarray(16, 24)).copy(ietfNonce, 4);
  return { subkey: hchacha20(key, nonce.subarray(0, 16)), ietfNonce };
}

/** Ciphertext followed by the 16-byte tag, as Go's AEAD.Seal appends it. */
export function xchachaSeal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array, aad?: Uint8Array): Buffer {
  const { subkey, ietfNonce } = ietfParts(key, nonce);
  const cipher = createCipheriv("chacha20-poly1305", subkey, ietfNonce, { authTagLength: POLY1305_TAG_SIZE });
  if (aad) cipher.setAAD(aad, { plaintextLength: plain.length });
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/** The plain text, or undefined when the tag does not verify (wrong key, altered data). */
export function xchachaOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer | undefined {
  if (sealed.length < POLY1305_TAG_SIZE) return undefined;
  const { subkey, ietfNonce } = ietfParts(key, nonce);
  const decipher = createDecipheriv("chacha20-poly1305", subkey, ietfNonce, { authTagLength: POLY1305_TAG_SIZE });
  const body = sealed.subarray(0, sealed.length - POLY1305_TAG_SIZE);
  if (aad) decipher.setAAD(aad, { plaintextLength: body.length });
  decipher.setAuthTag(sealed.subarray(sealed.length - POLY1305_TAG_SIZE));
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}
