import { createCipheriv, createDecipheriv } from "node:crypto";
import { hchacha20 } from "./arx";
import { POLY1305_TAG_SIZE } from "./poly1305";

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha), golang.org/x/crypto
 * chacha20poly1305.NewX: the AEAD of Kratos' `xchacha20-poly1305` cipher
 * (cipher/chacha20.go) and of Hydra's flow cipher (aead/xchacha20.go). Node
 * has the IETF ChaCha20-Poly1305 with 12-byte nonces only; the extended
 * 24-byte nonce is that AEAD keyed with HChaCha20(key, nonce[0:16]) and
 * nonced with four zero bytes followed by nonce[16:24] (draft §2.3).
 */
export const XCHACHA20_POLY1305_KEY_SIZE = 32;
export const XCHACHA20_POLY1305_NONCE_SIZE = 24;

function ietfParts(key: Uint8Array, nonce: Uint8Array): { subkey: Buffer; iv: Buffer } {
  if (key.length !== XCHACHA20_POLY1305_KEY_SIZE || nonce.length !== XCHACHA20_POLY1305_NONCE_SIZE)
    throw new RangeError("xchacha20-poly1305 needs a 32-byte key and a 24-byte nonce");
  const iv = Buffer.alloc(12);
  iv.set(nonce.subarray(16, 24), 4);
  return { subkey: hchacha20(key, nonce.subarray(0, 16)), iv };
}

/** Ciphertext followed by the 16-byte tag, as Go's AEAD.Seal appends it. */
export function xchacha20Poly1305Seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const { subkey, iv } = ietfParts(key, nonce);
  const cipher = createCipheriv("chacha20-poly1305", subkey, iv, { authTagLength: POLY1305_TAG_SIZE });
  if (aad) cipher.setAAD(aad, { plaintextLength: plaintext.length });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext, or undefined when the tag does not authenticate (wrong key or data, altered box: AEAD.Open's error). */
export function xchacha20Poly1305Open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer | undefined {
  if (sealed.length < POLY1305_TAG_SIZE) return undefined;
  const { subkey, iv } = ietfParts(key, nonce);
  const body = sealed.subarray(0, sealed.length - POLY1305_TAG_SIZE);
  const decipher = createDecipheriv("chacha20-poly1305", subkey, iv, { authTagLength: POLY1305_TAG_SIZE });
  if (aad) decipher.setAAD(aad, { plaintextLength: body.length });
  decipher.setAuthTag(sealed.subarray(body.length));
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}
