import { timingSafeEqual } from "node:crypto";
import { hsalsa20, salsa20Stream } from "./arx";
import { poly1305, POLY1305_TAG_SIZE } from "./poly1305";

/**
 * NaCl secretbox (XSalsa20-Poly1305), as golang.org/x/crypto/nacl/secretbox
 * seals and opens it: the box is the 16-byte Poly1305 tag followed by the
 * ciphertext. Kratos' courier page tokens (ssoready/hyrumtoken) are such
 * boxes, and Node's crypto has neither Salsa20 nor a bare Poly1305.
 */
export const SECRETBOX_KEY_SIZE = 32;
export const SECRETBOX_NONCE_SIZE = 24;
export const SECRETBOX_OVERHEAD = POLY1305_TAG_SIZE;

/** The XSalsa20 key stream: 32 bytes of Poly1305 key, then the bytes that encrypt the message. */
function xsalsa20Stream(key: Uint8Array, nonce: Uint8Array, messageLength: number): Buffer {
  if (key.length !== SECRETBOX_KEY_SIZE || nonce.length !== SECRETBOX_NONCE_SIZE)
    throw new RangeError("secretbox needs a 32-byte key and a 24-byte nonce");
  return salsa20Stream(hsalsa20(key, nonce.subarray(0, 16)), nonce.subarray(16, 24), 32 + messageLength);
}

function xor(data: Uint8Array, stream: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] ?? 0) ^ (stream[i] ?? 0);
  return out;
}

/** secretbox.Seal: tag ‖ ciphertext. */
export function secretboxSeal(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Buffer {
  const stream = xsalsa20Stream(key, nonce, message.length);
  const ciphertext = xor(message, stream.subarray(32));
  return Buffer.concat([poly1305(stream.subarray(0, 32), ciphertext), ciphertext]);
}

/** secretbox.Open: the message, or undefined when the box is shorter than a tag or its tag is wrong. */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Buffer | undefined {
  if (box.length < SECRETBOX_OVERHEAD) return undefined;
  const ciphertext = box.subarray(SECRETBOX_OVERHEAD);
  const stream = xsalsa20Stream(key, nonce, ciphertext.length);
  const expected = poly1305(stream.subarray(0, 32), ciphertext);
  if (!timingSafeEqual(expected, box.subarray(0, SECRETBOX_OVERHEAD))) return undefined;
  return xor(ciphertext, stream.subarray(32));
}
