/**
 * NaCl secretbox (XSalsa20-Poly1305), as golang.org/x/crypto/nacl/secretbox
 * seals and opens it: the box is the 16-byte Poly1305 tag followed by the
 * ciphertext. Node's crypto has neither Salsa20 nor a bare Poly1305, and the
 * boxes must be byte-compatible with Kratos' hyrumtoken page tokens, so both
 * are written out here (page tokens are a few hundred bytes; speed is moot).
 */

export const SECRETBOX_KEY_SIZE = 32;
export const SECRETBOX_NONCE_SIZE = 24;
export const SECRETBOX_OVERHEAD = 16;

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;

const rotl = (v: number, c: number) => ((v << c) | (v >>> (32 - c))) >>> 0;

/** The Salsa20 input block: constants, key, and 16 bytes of nonce/counter (`input16`). */
function salsaBlockInput(key: Uint8Array, input16: Uint8Array): Uint32Array {
  const k = Buffer.from(key);
  const n = Buffer.from(input16);
  const s = new Uint32Array(16);
  s[0] = SIGMA[0];
  s[5] = SIGMA[1];
  s[10] = SIGMA[2];
  s[15] = SIGMA[3];
  for (let i = 0; i < 4; i++) s[1 + i] = k.readUInt32LE(i * 4);
  for (let i = 0; i < 4; i++) s[6 + i] = n.readUInt32LE(i * 4);
  for (let i = 0; i < 4; i++) s[11 + i] = k.readUInt32LE(16 + i * 4);
  return s;
}

/** The 20 Salsa20 rounds, in place. */
function salsaRounds(x: Uint32Array): void {
  // Indexes are always 0-15; the fallback only satisfies the checker.
  const at = (i: number) => x[i] ?? 0;
  const qr = (a: number, b: number, c: number, d: number) => {
    x[b] = at(b) ^ rotl((at(a) + at(d)) >>> 0, 7);
    x[c] = at(c) ^ rotl((at(b) + at(a)) >>> 0, 9);
    x[d] = at(d) ^ rotl((at(c) + at(b)) >>> 0, 13);
    x[a] = at(a) ^ rotl((at(d) + at(c)) >>> 0, 18);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12);
    qr(5, 9, 13, 1);
    qr(10, 14, 2, 6);
    qr(15, 3, 7, 11);
    qr(0, 1, 2, 3);
    qr(5, 6, 7, 4);
    qr(10, 11, 8, 9);
    qr(15, 12, 13, 14);
  }
}

/** HSalsa20: the rounds without feed-forward; the subkey is words 0, 5, 10, 15, 6, 7, 8, 9. */
function hsalsa20(key: Uint8Array, nonce16: Uint8Array): Buffer {
  const x = salsaBlockInput(key, nonce16);
  salsaRounds(x);
  const out = Buffer.alloc(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((w, i) => out.writeUInt32LE(x[w] ?? 0, i * 4));
  return out;
}

/** `length` bytes of the Salsa20 key stream for an 8-byte nonce, block counter from 0. */
function salsa20Stream(key: Uint8Array, nonce8: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(Math.ceil(length / 64) * 64);
  const input = Buffer.alloc(16);
  Buffer.from(nonce8).copy(input, 0);
  for (let block = 0; block * 64 < length; block++) {
    input.writeBigUInt64LE(BigInt(block), 8);
    const s = salsaBlockInput(key, input);
    const x = Uint32Array.from(s);
    salsaRounds(x);
    for (let i = 0; i < 16; i++) out.writeUInt32LE(((x[i] ?? 0) + (s[i] ?? 0)) >>> 0, block * 64 + i * 4);
  }
  return out.subarray(0, length);
}

const P1305 = (1n << 130n) - 5n;

function leBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}

/** Poly1305 one-time authenticator (RFC 8439 §2.5). */
function poly1305(key32: Uint8Array, message: Uint8Array): Buffer {
  const r = leBigInt(key32.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = leBigInt(key32.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < message.length; i += 16) {
    const chunk = message.subarray(i, i + 16);
    acc = ((acc + leBigInt(chunk) + (1n << BigInt(8 * chunk.length))) * r) % P1305;
  }
  acc = (acc + s) & ((1n << 128n) - 1n);
  const tag = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) tag[i] = Number((acc >> BigInt(8 * i)) & 0xffn);
  return tag;
}

/** The XSalsa20 key stream: 32 bytes of Poly1305 key, then the bytes that encrypt the message. */
function xsalsa20Stream(key: Uint8Array, nonce: Uint8Array, messageLength: number): Buffer {
  if (key.length !== SECRETBOX_KEY_SIZE || nonce.length !== SECRETBOX_NONCE_SIZE)
    throw new RangeError("secretbox needs a 32-byte key and a 24-byte nonce");
  return salsa20Stream(hsalsa20(key, nonce.subarray(0, 16)), nonce.subarray(16, 24), 32 + messageLength);
}

function xor(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
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
  // Constant-time enough for a 16-byte tag: fold every byte before deciding.
  let diff = 0;
  for (let i = 0; i < SECRETBOX_OVERHEAD; i++) diff |= (expected[i] ?? 0) ^ (box[i] ?? 0);
  if (diff !== 0) return undefined;
  return xor(ciphertext, stream.subarray(32));
}
