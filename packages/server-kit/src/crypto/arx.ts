/**
 * The two 20-round ARX permutations the ciphers here are built on: ChaCha20
 * (RFC 8439 §2.1–2.3) and Salsa20 (Bernstein's specification, as NaCl and
 * golang.org/x/crypto/salsa20/salsa implement it). Both run ten double rounds
 * of eight quarter rounds over sixteen little-endian 32-bit words holding four
 * constants, a 256-bit key and 128 bits of input (nonce and block counter);
 * they differ only in the quarter round, in where those words sit and in
 * which four words each quarter round takes. So one driver serves both, and
 * each cipher is a table.
 *
 * Only what Node's crypto lacks is written out: HChaCha20 (the subkey of
 * XChaCha20), HSalsa20 and the Salsa20 key stream (NaCl secretbox). The
 * ChaCha20 stream itself is Node's.
 */

type Quarter = readonly [number, number, number, number];

interface ArxCore {
  /** Where "expand 32-byte k" goes. */
  readonly constantsAt: readonly number[];
  readonly keyAt: readonly number[];
  /** Where the 16 input bytes go (nonce, or nonce and counter). */
  readonly inputAt: readonly number[];
  readonly quarterRound: (s: Uint32Array, q: Quarter) => void;
  /** The eight quarter rounds of one double round, in order. */
  readonly doubleRound: readonly Quarter[];
  /** The words HChaCha20/HSalsa20 output: those at the constants' and the input's positions. */
  readonly subkeyWords: readonly number[];
}

/** "expand 32-byte k", as four little-endian words. */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;

const rotl = (v: number, c: number) => ((v << c) | (v >>> (32 - c))) >>> 0;

/** The state's word `i` (indexes are always 0–15; the fallback only satisfies the checker). */
const at = (s: Uint32Array, i: number) => s[i] ?? 0;

/** A Uint32Array wraps every assignment to 32 bits, so sums need no masking. */
function chachaQuarterRound(s: Uint32Array, [a, b, c, d]: Quarter): void {
  s[a] = at(s, a) + at(s, b);
  s[d] = rotl(at(s, d) ^ at(s, a), 16);
  s[c] = at(s, c) + at(s, d);
  s[b] = rotl(at(s, b) ^ at(s, c), 12);
  s[a] = at(s, a) + at(s, b);
  s[d] = rotl(at(s, d) ^ at(s, a), 8);
  s[c] = at(s, c) + at(s, d);
  s[b] = rotl(at(s, b) ^ at(s, c), 7);
}

function salsaQuarterRound(s: Uint32Array, [a, b, c, d]: Quarter): void {
  s[b] = at(s, b) ^ rotl((at(s, a) + at(s, d)) >>> 0, 7);
  s[c] = at(s, c) ^ rotl((at(s, b) + at(s, a)) >>> 0, 9);
  s[d] = at(s, d) ^ rotl((at(s, c) + at(s, b)) >>> 0, 13);
  s[a] = at(s, a) ^ rotl((at(s, d) + at(s, c)) >>> 0, 18);
}

/** RFC 8439 §2.3: constants, key, then counter and nonce; column rounds, then diagonal rounds. */
const CHACHA: ArxCore = {
  constantsAt: [0, 1, 2, 3],
  keyAt: [4, 5, 6, 7, 8, 9, 10, 11],
  inputAt: [12, 13, 14, 15],
  quarterRound: chachaQuarterRound,
  doubleRound: [
    [0, 4, 8, 12],
    [1, 5, 9, 13],
    [2, 6, 10, 14],
    [3, 7, 11, 15],
    [0, 5, 10, 15],
    [1, 6, 11, 12],
    [2, 7, 8, 13],
    [3, 4, 9, 14],
  ],
  subkeyWords: [0, 1, 2, 3, 12, 13, 14, 15],
};

/** Salsa20: constants on the diagonal, the key around them; column rounds, then row rounds. */
const SALSA: ArxCore = {
  constantsAt: [0, 5, 10, 15],
  keyAt: [1, 2, 3, 4, 11, 12, 13, 14],
  inputAt: [6, 7, 8, 9],
  quarterRound: salsaQuarterRound,
  doubleRound: [
    [0, 4, 8, 12],
    [5, 9, 13, 1],
    [10, 14, 2, 6],
    [15, 3, 7, 11],
    [0, 1, 2, 3],
    [5, 6, 7, 4],
    [10, 11, 8, 9],
    [15, 12, 13, 14],
  ],
  subkeyWords: [0, 5, 10, 15, 6, 7, 8, 9],
};

function wordsOf(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(i * 4, true));
}

function initialState(core: ArxCore, key: Uint8Array, input16: Uint8Array): Uint32Array {
  if (key.length !== 32 || input16.length !== 16) throw new RangeError("a 20-round ARX core needs a 32-byte key and 16 bytes of input");
  const s = new Uint32Array(16);
  const place = (positions: readonly number[], words: readonly number[]) => positions.forEach((p, i) => (s[p] = words[i] ?? 0));
  place(core.constantsAt, SIGMA);
  place(core.keyAt, wordsOf(key));
  place(core.inputAt, wordsOf(input16));
  return s;
}

function permute(core: ArxCore, s: Uint32Array): void {
  for (let round = 0; round < 10; round++) for (const quarter of core.doubleRound) core.quarterRound(s, quarter);
}

function wordsToBytes(s: Uint32Array, words: readonly number[]): Buffer {
  const out = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => out.writeUInt32LE(at(s, w), i * 4));
  return out;
}

/** HChaCha/HSalsa: the permutation without the final addition of the input, cut to eight words: a subkey for a 24-byte nonce. */
function subkey(core: ArxCore, key: Uint8Array, input16: Uint8Array): Buffer {
  const s = initialState(core, key, input16);
  permute(core, s);
  return wordsToBytes(s, core.subkeyWords);
}

/** HChaCha20 (draft-irtf-cfrg-xchacha §2.2): the XChaCha20 subkey for a key and a nonce's first 16 bytes. */
export function hchacha20(key: Uint8Array, nonce16: Uint8Array): Buffer {
  return subkey(CHACHA, key, nonce16);
}

/** HSalsa20 (NaCl crypto_core_hsalsa20): the XSalsa20 subkey for a key and a nonce's first 16 bytes. */
export function hsalsa20(key: Uint8Array, nonce16: Uint8Array): Buffer {
  return subkey(SALSA, key, nonce16);
}

const ALL_WORDS = Array.from({ length: 16 }, (_, i) => i);

/** `length` bytes of the Salsa20 key stream for an 8-byte nonce, the 64-bit block counter from 0. */
export function salsa20Stream(key: Uint8Array, nonce8: Uint8Array, length: number): Buffer {
  if (nonce8.length !== 8) throw new RangeError("salsa20 needs an 8-byte nonce");
  const blocks: Buffer[] = [];
  const input = Buffer.alloc(16);
  input.set(nonce8, 0);
  for (let block = 0; block * 64 < length; block++) {
    input.writeBigUInt64LE(BigInt(block), 8);
    const start = initialState(SALSA, key, input);
    const s = Uint32Array.from(start);
    permute(SALSA, s);
    // The feed-forward that makes a block a pseudo-random function of its input.
    for (let i = 0; i < 16; i++) s[i] = at(s, i) + at(start, i);
    blocks.push(wordsToBytes(s, ALL_WORDS));
  }
  return Buffer.concat(blocks).subarray(0, length);
}
