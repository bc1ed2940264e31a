/**
 * Argon2 (RFC 9106, version 0x13) and the BLAKE2b it is built on (RFC 7693),
 * in plain TypeScript, with golang.org/x/crypto/argon2's parameter handling
 * (argon2.go deriveKey): any salt and key length, H0 computed over the
 * memory size as given, the blocks rounded down to a multiple of 4·lanes
 * with a floor of 8·lanes. Node's `crypto.argon2`, hash-wasm and
 * @noble/hashes refuse what Go accepts (salts under 8 bytes, keys under 4
 * bytes, memory under 8·lanes), so hashes Kratos verifies with such
 * parameters are computed here. It is slow (64-bit words as pairs of
 * 32-bit halves): the comparator uses it only for those parameters.
 *
 * The module imports nothing and uses only erasable TypeScript, so a hash
 * worker loads it directly with Node's type stripping.
 */

export type Argon2Type = "argon2d" | "argon2i" | "argon2id";

export interface Argon2Input {
  type: Argon2Type;
  password: Uint8Array;
  salt: Uint8Array;
  /** Optional key K and associated data X (Kratos passes neither; RFC 9106's test vectors use both). */
  secret?: Uint8Array;
  associatedData?: Uint8Array;
  iterations: number;
  memoryKiB: number;
  parallelism: number;
  tagLength: number;
}

const VERSION = 0x13;
const SYNC_POINTS = 4;
/** One Argon2 block: 1024 bytes = 128 64-bit words = 256 32-bit halves (low half first). */
const BLOCK_WORDS = 256;
const TYPE_CODE: Record<Argon2Type, number> = { argon2d: 0, argon2i: 1, argon2id: 2 };

// ---------------------------------------------------------------- BLAKE2b

const B2B_IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a, 0xade682d1, 0x510e527f, 0x2b3e6c1f,
  0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/** The column and diagonal steps of one round: four 64-bit word indexes each. */
const G_STEPS = [
  [0, 4, 8, 12],
  [1, 5, 9, 13],
  [2, 6, 10, 14],
  [3, 7, 11, 15],
  [0, 5, 10, 15],
  [1, 6, 11, 12],
  [2, 7, 8, 13],
  [3, 4, 9, 14],
];

/** v[a] += v[b] + (xl, xh), on 64-bit words stored as (low, high) halves at 2a, 2a+1. */
function add64(v: Uint32Array, a: number, b: number, xl: number, xh: number): void {
  const lo = v[2 * a]! + v[2 * b]! + xl;
  v[2 * a + 1] = v[2 * a + 1]! + v[2 * b + 1]! + xh + Math.floor(lo / 0x100000000);
  v[2 * a] = lo;
}

/** v[d] = rotr64(v[d] ^ v[s], n) for n in 16, 24, 32, 63. */
function xorRotr(v: Uint32Array, d: number, s: number, n: number): void {
  const lo = (v[2 * d]! ^ v[2 * s]!) >>> 0;
  const hi = (v[2 * d + 1]! ^ v[2 * s + 1]!) >>> 0;
  if (n === 32) {
    v[2 * d] = hi;
    v[2 * d + 1] = lo;
  } else if (n === 63) {
    v[2 * d] = (lo << 1) | (hi >>> 31);
    v[2 * d + 1] = (hi << 1) | (lo >>> 31);
  } else {
    v[2 * d] = (lo >>> n) | (hi << (32 - n));
    v[2 * d + 1] = (hi >>> n) | (lo << (32 - n));
  }
}

function b2bCompress(h: Uint32Array, block: Uint8Array, counter: number, last: boolean): void {
  const v = new Uint32Array(32);
  v.set(h);
  v.set(B2B_IV, 16);
  v[24] = v[24]! ^ counter;
  v[25] = v[25]! ^ Math.floor(counter / 0x100000000);
  if (last) {
    v[28] = ~v[28]!;
    v[29] = ~v[29]!;
  }
  const m = new Uint32Array(32);
  for (let i = 0; i < 32; i++) m[i] = block[4 * i]! | (block[4 * i + 1]! << 8) | (block[4 * i + 2]! << 16) | (block[4 * i + 3]! << 24);
  for (let round = 0; round < 12; round++) {
    const s = SIGMA[round % 10]!;
    for (let step = 0; step < 8; step++) {
      const [a, b, c, d] = G_STEPS[step]!;
      const x = s[2 * step]!;
      const y = s[2 * step + 1]!;
      add64(v, a!, b!, m[2 * x]!, m[2 * x + 1]!);
      xorRotr(v, d!, a!, 32);
      add64(v, c!, d!, 0, 0);
      xorRotr(v, b!, c!, 24);
      add64(v, a!, b!, m[2 * y]!, m[2 * y + 1]!);
      xorRotr(v, d!, a!, 16);
      add64(v, c!, d!, 0, 0);
      xorRotr(v, b!, c!, 63);
    }
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 16]!;
}

/** Unkeyed BLAKE2b with an output of 1 to 64 bytes over the concatenated parts. */
export function blake2b(outLength: number, ...parts: Uint8Array[]): Uint8Array {
  if (!Number.isInteger(outLength) || outLength < 1 || outLength > 64) throw new RangeError("blake2b: output length must be 1 to 64 bytes");
  const input = concat(parts);
  const h = new Uint32Array(B2B_IV);
  h[0] = h[0]! ^ 0x01010000 ^ outLength;
  const block = new Uint8Array(128);
  let offset = 0;
  while (input.length - offset > 128) {
    b2bCompress(h, input.subarray(offset, offset + 128), offset + 128, false);
    offset += 128;
  }
  block.set(input.subarray(offset));
  b2bCompress(h, block, input.length, true);
  const out = new Uint8Array(64);
  for (let i = 0; i < 16; i++) {
    const w = h[i]!;
    out[4 * i] = w & 0xff;
    out[4 * i + 1] = (w >>> 8) & 0xff;
    out[4 * i + 2] = (w >>> 16) & 0xff;
    out[4 * i + 3] = w >>> 24;
  }
  return out.slice(0, outLength);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function le32(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}

/** H' of RFC 9106 section 3.3: BLAKE2b stretched to any output length. */
export function blake2bLong(outLength: number, ...parts: Uint8Array[]): Uint8Array {
  const input = concat([le32(outLength), ...parts]);
  if (outLength <= 64) return blake2b(outLength, input);
  const out = new Uint8Array(outLength);
  const r = Math.ceil(outLength / 32) - 2;
  let v = blake2b(64, input);
  out.set(v.subarray(0, 32), 0);
  for (let i = 1; i < r; i++) {
    v = blake2b(64, v);
    out.set(v.subarray(0, 32), 32 * i);
  }
  out.set(blake2b(outLength - 32 * r, v), 32 * r);
  return out;
}

// ---------------------------------------------------------------- Argon2 compression

/** High half of the product last computed by blaMka (a second return value without allocating). */
let carryHigh = 0;

/** Low half of x + y + 2·lo32(x)·lo32(y) (BlaMka's multiply-add); the high half goes to carryHigh. */
function blaMka(xl: number, xh: number, yl: number, yh: number): number {
  const aL = xl & 0xffff;
  const aH = xl >>> 16;
  const bL = yl & 0xffff;
  const bH = yl >>> 16;
  const lh = aL * bH;
  const hl = aH * bL;
  const mid = ((aL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const productHigh = aH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16);
  const productLow = Math.imul(xl, yl) >>> 0;
  const doubleLow = (productLow << 1) >>> 0;
  const doubleHigh = ((productHigh << 1) | (productLow >>> 31)) >>> 0;
  const lo = xl + yl + doubleLow;
  carryHigh = (xh + yh + doubleHigh + Math.floor(lo / 0x100000000)) >>> 0;
  return lo >>> 0;
}

/** Argon2's GB on the 64-bit words at 32-bit offsets a, b, c, d of v. */
function gb(v: Uint32Array, a: number, b: number, c: number, d: number): void {
  let al = v[a]!;
  let ah = v[a + 1]!;
  let bl = v[b]!;
  let bh = v[b + 1]!;
  let cl = v[c]!;
  let ch = v[c + 1]!;
  let dl = v[d]!;
  let dh = v[d + 1]!;
  let tl: number;
  let th: number;

  al = blaMka(al, ah, bl, bh);
  ah = carryHigh;
  tl = (dl ^ al) >>> 0;
  dl = (dh ^ ah) >>> 0;
  dh = tl;
  cl = blaMka(cl, ch, dl, dh);
  ch = carryHigh;
  tl = bl ^ cl;
  th = bh ^ ch;
  bl = ((tl >>> 24) | (th << 8)) >>> 0;
  bh = ((th >>> 24) | (tl << 8)) >>> 0;

  al = blaMka(al, ah, bl, bh);
  ah = carryHigh;
  tl = dl ^ al;
  th = dh ^ ah;
  dl = ((tl >>> 16) | (th << 16)) >>> 0;
  dh = ((th >>> 16) | (tl << 16)) >>> 0;
  cl = blaMka(cl, ch, dl, dh);
  ch = carryHigh;
  tl = bl ^ cl;
  th = bh ^ ch;
  bl = ((tl << 1) | (th >>> 31)) >>> 0;
  bh = ((th << 1) | (tl >>> 31)) >>> 0;

  v[a] = al;
  v[a + 1] = ah;
  v[b] = bl;
  v[b + 1] = bh;
  v[c] = cl;
  v[c + 1] = ch;
  v[d] = dl;
  v[d + 1] = dh;
}

/**
 * For each of the 16 applications of P in the compression function (8 rows,
 * then 8 columns of the 8×8 matrix of 16-byte registers), the 16 64-bit
 * words it permutes, as 32-bit offsets into a block.
 */
const P_INPUTS: Int32Array = (() => {
  const table = new Int32Array(16 * 16);
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 16; j++) {
      table[16 * i + j] = 2 * (16 * i + j);
      table[16 * (8 + i) + j] = 2 * (2 * i + (j & 1) + 16 * (j >> 1));
    }
  }
  return table;
})();

const scratchR = new Uint32Array(BLOCK_WORDS);

/** out (^)= G(x, y): Argon2's compression function, on blocks at 32-bit offsets of the given arrays. */
function compress(x: Uint32Array, xo: number, y: Uint32Array, yo: number, out: Uint32Array, oo: number, xorInto: boolean): void {
  const r = scratchR;
  for (let i = 0; i < BLOCK_WORDS; i++) r[i] = x[xo + i]! ^ y[yo + i]!;
  // out = R ^ P(R) (^ out): start from R (or R ^ out), permute R, then xor it in.
  if (xorInto) for (let i = 0; i < BLOCK_WORDS; i++) out[oo + i] = out[oo + i]! ^ r[i]!;
  else out.set(r, oo);
  for (let p = 0; p < 16; p++) {
    const w = 16 * p;
    const t = P_INPUTS;
    gb(r, t[w]!, t[w + 4]!, t[w + 8]!, t[w + 12]!);
    gb(r, t[w + 1]!, t[w + 5]!, t[w + 9]!, t[w + 13]!);
    gb(r, t[w + 2]!, t[w + 6]!, t[w + 10]!, t[w + 14]!);
    gb(r, t[w + 3]!, t[w + 7]!, t[w + 11]!, t[w + 15]!);
    gb(r, t[w]!, t[w + 5]!, t[w + 10]!, t[w + 15]!);
    gb(r, t[w + 1]!, t[w + 6]!, t[w + 11]!, t[w + 12]!);
    gb(r, t[w + 2]!, t[w + 7]!, t[w + 8]!, t[w + 13]!);
    gb(r, t[w + 3]!, t[w + 4]!, t[w + 9]!, t[w + 14]!);
  }
  for (let i = 0; i < BLOCK_WORDS; i++) out[oo + i] = out[oo + i]! ^ r[i]!;
}

/** High 32 bits of the 64-bit product of two unsigned 32-bit numbers. */
function mulHigh(x: number, y: number): number {
  const aL = x & 0xffff;
  const aH = x >>> 16;
  const bL = y & 0xffff;
  const bH = y >>> 16;
  const lh = aL * bH;
  const hl = aH * bL;
  const mid = ((aL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

// ---------------------------------------------------------------- Argon2

/** The number of 1 KiB blocks Go's argon2 fills for a memory parameter (deriveKey's rounding). */
export function argon2Blocks(memoryKiB: number, parallelism: number): number {
  const unit = SYNC_POINTS * parallelism;
  return Math.max(Math.floor(memoryKiB / unit) * unit, 2 * unit);
}

function blockFromBytes(bytes: Uint8Array, memory: Uint32Array, offset: number): void {
  for (let i = 0; i < BLOCK_WORDS; i++) {
    memory[offset + i] = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
  }
}

/** The tag of RFC 9106 section 3.2, with Go's parameter handling (see the module comment). */
export function argon2(input: Argon2Input): Uint8Array {
  const { iterations, memoryKiB, parallelism: lanes, tagLength } = input;
  const valid = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
  if (
    !valid(iterations, 1, 0xffffffff) ||
    !valid(lanes, 1, 0xffffff) ||
    !valid(memoryKiB, 0, 0xffffffff) ||
    !valid(tagLength, 1, 0xffffffff)
  ) {
    throw new RangeError("argon2: parameters out of range");
  }
  const mode = TYPE_CODE[input.type];
  const secret = input.secret ?? new Uint8Array(0);
  const data = input.associatedData ?? new Uint8Array(0);
  const h0 = blake2b(
    64,
    le32(lanes),
    le32(tagLength),
    le32(memoryKiB),
    le32(iterations),
    le32(VERSION),
    le32(mode),
    le32(input.password.length),
    input.password,
    le32(input.salt.length),
    input.salt,
    le32(secret.length),
    secret,
    le32(data.length),
    data,
  );

  const blocks = argon2Blocks(memoryKiB, lanes);
  const laneLength = blocks / lanes;
  const segmentLength = laneLength / SYNC_POINTS;
  const memory = new Uint32Array(blocks * BLOCK_WORDS);
  for (let lane = 0; lane < lanes; lane++) {
    blockFromBytes(blake2bLong(1024, h0, le32(0), le32(lane)), memory, lane * laneLength * BLOCK_WORDS);
    blockFromBytes(blake2bLong(1024, h0, le32(1), le32(lane)), memory, (lane * laneLength + 1) * BLOCK_WORDS);
  }

  const zero = new Uint32Array(BLOCK_WORDS);
  const addressInput = new Uint32Array(BLOCK_WORDS);
  const addresses = new Uint32Array(BLOCK_WORDS);
  const nextAddresses = () => {
    addressInput[12] = addressInput[12]! + 1;
    compress(zero, 0, addressInput, 0, addresses, 0, false);
    compress(zero, 0, addresses, 0, addresses, 0, false);
  };

  for (let pass = 0; pass < iterations; pass++) {
    for (let slice = 0; slice < SYNC_POINTS; slice++) {
      // Lanes of one slice only read other lanes' finished slices, so running them in turn gives the same memory.
      for (let lane = 0; lane < lanes; lane++) {
        const independent = mode === 1 || (mode === 2 && pass === 0 && slice < SYNC_POINTS / 2);
        if (independent) {
          addressInput.fill(0);
          addressInput[0] = pass;
          addressInput[2] = lane;
          addressInput[4] = slice;
          addressInput[6] = blocks;
          addressInput[8] = iterations;
          addressInput[10] = mode;
        }
        let index = 0;
        if (pass === 0 && slice === 0) {
          index = 2;
          if (independent) nextAddresses();
        }
        let offset = lane * laneLength + slice * segmentLength + index;
        for (; index < segmentLength; index++, offset++) {
          const prev = index === 0 && slice === 0 ? offset - 1 + laneLength : offset - 1;
          let j1: number;
          let j2: number;
          if (independent) {
            if (index % 128 === 0) nextAddresses();
            j1 = addresses[2 * (index % 128)]!;
            j2 = addresses[2 * (index % 128) + 1]!;
          } else {
            j1 = memory[prev * BLOCK_WORDS]!;
            j2 = memory[prev * BLOCK_WORDS + 1]!;
          }
          const ref = referenceBlock(j1, j2, { pass, slice, lane, index, lanes, laneLength, segmentLength });
          compress(memory, prev * BLOCK_WORDS, memory, ref * BLOCK_WORDS, memory, offset * BLOCK_WORDS, true);
        }
      }
    }
  }

  const final = memory.slice((laneLength - 1) * BLOCK_WORDS, laneLength * BLOCK_WORDS);
  for (let lane = 1; lane < lanes; lane++) {
    const last = (lane * laneLength + laneLength - 1) * BLOCK_WORDS;
    for (let i = 0; i < BLOCK_WORDS; i++) final[i] = final[i]! ^ memory[last + i]!;
  }
  const finalBytes = new Uint8Array(1024);
  for (let i = 0; i < BLOCK_WORDS; i++) {
    const w = final[i]!;
    finalBytes[4 * i] = w & 0xff;
    finalBytes[4 * i + 1] = (w >>> 8) & 0xff;
    finalBytes[4 * i + 2] = (w >>> 16) & 0xff;
    finalBytes[4 * i + 3] = w >>> 24;
  }
  return blake2bLong(tagLength, finalBytes);
}

interface Position {
  pass: number;
  slice: number;
  lane: number;
  index: number;
  lanes: number;
  laneLength: number;
  segmentLength: number;
}

/** The block a new block is mixed with (RFC 9106 section 3.4.1.2), as an index into the whole memory. */
function referenceBlock(j1: number, j2: number, at: Position): number {
  const { pass, slice, lane, index, lanes, laneLength, segmentLength } = at;
  const refLane = pass === 0 && slice === 0 ? lane : j2 % lanes;
  const sameLane = refLane === lane;
  let areaSize: number;
  let start: number;
  if (pass === 0) {
    // First pass: everything finished so far in this lane, or the finished slices of another lane.
    areaSize = slice * segmentLength + (slice === 0 || sameLane ? index : 0);
    start = 0;
  } else {
    // Later passes: the three other slices, plus this segment so far in this lane.
    areaSize = 3 * segmentLength + (sameLane ? index : 0);
    start = ((slice + 1) % SYNC_POINTS) * segmentLength;
  }
  // The block just before the new one is never a reference: it is mixed in anyway.
  if (index === 0 || sameLane) areaSize--;
  const x = mulHigh(j1, j1);
  const y = mulHigh(areaSize, x);
  return refLane * laneLength + ((start + areaSize - (y + 1)) % laneLength);
}
