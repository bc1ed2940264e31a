/**
 * IEEE 754 double helpers for the ports of Go's math package (go-math.ts): the bit patterns, and a fused
 * multiply-add with the single rounding the amd64 VFMADD instructions give, which JavaScript has no operator for.
 */

const view = new DataView(new ArrayBuffer(8));

export function bitsOf(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

export function fromBits(bits: bigint): number {
  view.setBigUint64(0, BigInt.asUintN(64, bits));
  return view.getFloat64(0);
}

export const MASK64 = (1n << 64n) - 1n;
export const SHIFT = 52n;
export const EXP_MASK = 0x7ffn;
export const BIAS = 1023;

/** x × 2^k, exact whenever the result is representable (steps keep intermediates in range). */
function scale(x: number, k: number): number {
  let value = x;
  let rest = k;
  while (rest > 1000) {
    value *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    value *= 2 ** -1000;
    rest += 1000;
  }
  return value * 2 ** rest;
}

/** A finite double as mantissa × 2^exponent with an integer mantissa. */
function decompose(x: number): [bigint, number] {
  const bits = bitsOf(x);
  const negative = bits >> 63n === 1n;
  const field = Number((bits >> SHIFT) & EXP_MASK);
  const fraction = bits & ((1n << SHIFT) - 1n);
  const mantissa = field === 0 ? fraction : fraction | (1n << SHIFT);
  const exponent = field === 0 ? -1074 : field - 1075;
  return [negative ? -mantissa : mantissa, exponent];
}

/** mantissa × 2^exponent rounded once to the nearest double (ties to even), as the hardware rounds a fused result. */
function roundToDouble(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  const negative = mantissa < 0n;
  const magnitude = negative ? -mantissa : mantissa;
  const length = magnitude.toString(2).length;
  // Bits the result can hold: 53, fewer where it is subnormal.
  const top = length - 1 + exponent;
  const precision = top < -1022 ? Math.max(0, 53 - (-1022 - top)) : 53;
  const drop = length - precision;
  let kept = magnitude;
  let keptExponent = exponent;
  if (drop > 0) {
    const shift = BigInt(drop);
    kept = magnitude >> shift;
    const remainder = magnitude - (kept << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (kept & 1n) === 1n)) kept += 1n;
    keptExponent += drop;
  }
  const result = scale(Number(kept), keptExponent);
  return negative ? -result : result;
}

/** x × y + z with one rounding (VFMADD…SD). Non-finite operands take the plain expression, which agrees there. */
export function fma(x: number, y: number, z: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z) || x === 0 || y === 0) return x * y + z;
  if (z === 0) return x * y;
  const [mx, ex] = decompose(x);
  const [my, ey] = decompose(y);
  const [mz, ez] = decompose(z);
  const productExponent = ex + ey;
  const exponent = Math.min(productExponent, ez);
  const sum = ((mx * my) << BigInt(productExponent - exponent)) + (mz << BigInt(ez - exponent));
  return roundToDouble(sum, exponent);
}
