import { createCipheriv, createDecipheriv } from "node:crypto";

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha), the AEAD of Hydra's flow
 * cipher (golang.org/x/crypto chacha20poly1305.NewX). Node has the IETF
 * ChaCha20-Poly1305 only; the extended nonce is HChaCha20 over the key and
 * the nonce's first 16 bytes, giving the subkey for the IETF construction
 * with the nonce's last 8 bytes behind four zero bytes.
 */
export const XNONCE_SIZE = 24;
export const TAG_SIZE = 16;

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

const rotl = (v: number, n: number) => ((v << n) | (v >>> (32 - n))) >>> 0;

/** ChaCha's quarter round over four words of the state (a Uint32Array wraps every sum to 32 bits). */
function quarterRound(s: Uint32Array, a: number, b: number, c: number, d: number): void {
  const word = (i: number) => s[i] ?? 0;
  s[a] = word(a) + word(b);
  s[d] = rotl(word(d) ^ word(a), 16);
  s[c] = word(c) + word(d);
  s[b] = rotl(word(b) ^ word(c), 12);
  s[a] = word(a) + word(b);
  s[d] = rotl(word(d) ^ word(a), 8);
  s[c] = word(c) + word(d);
  s[b] = rotl(word(b) ^ word(c), 7);
}

/** HChaCha20: the ChaCha20 rounds over key and 16-byte nonce, words 0–3 and 12–15 out (no final addition). */
export function hchacha20(key: Buffer, nonce16: Buffer): Buffer {
  const state = new Uint32Array(16);
  state.set(SIGMA, 0);
  for (let i = 0; i < 8; i++) state[4 + i] = key.readUInt32LE(i * 4);
  for (let i = 0; i < 4; i++) state[12 + i] = nonce16.readUInt32LE(i * 4);
  for (let round = 0; round < 10; round++) {
    quarterRound(state, 0, 4, 8, 12);
    quarterRound(state, 1, 5, 9, 13);
    quarterRound(state, 2, 6, 10, 14);
    quarterRound(state, 3, 7, 11, 15);
    quarterRound(state, 0, 5, 10, 15);
    quarterRound(state, 1, 6, 11, 12);
    quarterRound(state, 2, 7, 8, 13);
    quarterRound(state, 3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((word, i) => out.writeUInt32LE(state[word] ?? 0, i * 4));
  return out;
}

function ietfParts(key: Buffer, nonce: Buffer): { subkey: Buffer; iv: Buffer } {
  return { subkey: hchacha20(key, nonce.subarray(0, 16)), iv: Buffer.concat([Buffer.alloc(4), nonce.subarray(16, 24)]) };
}

/** Ciphertext followed by the tag (what Go's aead.Seal appends). */
export function xchachaSeal(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const { subkey, iv } = ietfParts(key, nonce);
  const cipher = createCipheriv("chacha20-poly1305", subkey, iv, { authTagLength: TAG_SIZE });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext, or undefined when the tag does not authenticate (aead.Open's error). */
export function xchachaOpen(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer | undefined {
  if (sealed.length < TAG_SIZE || nonce.length !== XNONCE_SIZE) return undefined;
  const { subkey, iv } = ietfParts(key, nonce);
  try {
    const decipher = createDecipheriv("chacha20-poly1305", subkey, iv, { authTagLength: TAG_SIZE });
    decipher.setAAD(aad, { plaintextLength: sealed.length - TAG_SIZE });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE)), decipher.final()]);
  } catch {
    return undefined;
  }
}
