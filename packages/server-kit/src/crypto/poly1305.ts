/**
 * Poly1305 (RFC 8439 §2.5), the one-time authenticator of NaCl secretbox.
 * Node only offers it inside its ChaCha20-Poly1305 AEAD, whose tag covers
 * padding and lengths that secretbox's does not, so the bare MAC is written
 * out here, on bigints (the secretbox messages here are page tokens of a few
 * hundred bytes: speed is moot).
 */
export const POLY1305_KEY_SIZE = 32;
export const POLY1305_TAG_SIZE = 16;

const P1305 = (1n << 130n) - 5n;
const CLAMP = 0x0ffffffc0ffffffc0ffffffc0fffffffn;

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}

/** The 16-byte tag of `message` under a 32-byte one-time key (r ‖ s). */
export function poly1305(key: Uint8Array, message: Uint8Array): Buffer {
  if (key.length !== POLY1305_KEY_SIZE) throw new RangeError("poly1305 needs a 32-byte key");
  const r = littleEndian(key.subarray(0, 16)) & CLAMP;
  const s = littleEndian(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < message.length; i += 16) {
    const chunk = message.subarray(i, i + 16);
    // Each block with a 1 appended above its last byte (RFC 8439 §2.5.1).
    acc = ((acc + littleEndian(chunk) + (1n << BigInt(8 * chunk.length))) * r) % P1305;
  }
  acc = (acc + s) & ((1n << 128n) - 1n);
  const tag = Buffer.alloc(POLY1305_TAG_SIZE);
  for (let i = 0; i < POLY1305_TAG_SIZE; i++) tag[i] = Number((acc >> BigInt(8 * i)) & 0xffn);
  return tag;
}
