/**
 * Go's `math` functions as go-jsonnet's std runs them in Kratos (a linux/amd64 build of Go 1.26), bit for bit.
 * JavaScript's `Math` (V8's fdlibm ports and its own `pow`) can differ from them in the last digit, which shows in
 * `std.pow(1.1, 7447.081)` (go-jsonnet testdata/pow6) and in every manifested number that depends on one.
 *
 * On amd64 Go runs assembly for Exp (exp_amd64.s: Shibata's Taylor-series method, its FMA branch as every x86 CPU
 * with AVX and FMA takes it), Log (log_amd64.s: log.go's algorithm without Frexp's normalisation of subnormals) and
 * Hypot (hypot_amd64.s); Sqrt, Floor and Ceil are exact instructions, as JavaScript's are. Pow, Sin, Cos, Tan, Asin,
 * Acos, Atan and Atan2 are the pure Go code (pow.go, sin.go, tan.go, trig_reduce.go, asin.go, atan.go, atan2.go),
 * compiled without fused multiply-adds (GOAMD64=v1). The ports below keep Go's order of operations.
 */

import { BIAS, bitsOf, EXP_MASK, fma, fromBits, MASK64, SHIFT } from "./go-float";

/** CVTSD2SL: to int32, rounding to nearest even; out of range or NaN gives the "integer indefinite" value. */
function toInt32Nearest(x: number): number {
  if (!(x >= -2147483648.5 && x <= 2147483647.5)) return -2147483648;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  if (r > 2147483647 || r < -2147483648) return -2147483648;
  return r;
}

const LOG2E = 1.4426950408889634;
const LN2U = 0.693147180559663;
const LN2L = 2.8235290563031577e-13;
const EXP_OVERFLOW = 7.09782712893384e2;
const EXP_TAYLOR = [
  2.48015873015873e-5, 1.984126984126984e-4, 1.388888888888889e-3, 8.333333333333333e-3, 4.1666666666666664e-2, 1.6666666666666666e-1, 0.5,
  1,
];

/** math.Exp on amd64: exp_amd64.s, the avxfma branch. */
export function goExp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === -Infinity) return 0;
  if (x > EXP_OVERFLOW) return Infinity;
  let k = toInt32Nearest(x * LOG2E);
  const kf = k;
  let r = fma(-kf, LN2U, x);
  r = fma(-kf, LN2L, r);
  r *= 0.0625;
  let p = EXP_TAYLOR[0] as number;
  for (const c of EXP_TAYLOR.slice(1)) p = fma(p, r, c);
  // (1 + r + r²/2 + …) − 1, then squared four times as (e^r − 1)(e^r + 1) = e^{2r} − 1.
  r *= p;
  r *= r + 2;
  r *= r + 2;
  r *= r + 2;
  r = fma(r, r + 2, 1);
  // ldexp: r × 2^k with the exponent field built by hand.
  k += BIAS;
  if (k <= 0) {
    if (k < -52) return 0;
    r *= fromBits(BigInt(k + 0x3fe) << SHIFT);
    k = 1;
  } else if (k >= 0x7ff) {
    return Infinity;
  }
  return r * fromBits(BigInt(k) << SHIFT);
}

const HSQRT2 = 7.071067811865476e-1;
const LN2_HI = 6.931471803691238e-1;
const LN2_LO = 1.9082149292705877e-10;
const L = [
  6.666666666666735e-1, 3.999999999940942e-1, 2.857142874366239e-1, 2.2222198432149784e-1, 1.818357216161805e-1, 1.5313837699209373e-1,
  1.4798198605116586e-1,
] as const;

/** math.Log on amd64: log_amd64.s (its Frexp takes the exponent field as is, also for subnormals). */
export function goLog(x: number): number {
  if (x === 0) return -Infinity;
  const bits = bitsOf(x);
  if (bits >> 63n === 1n) return NaN;
  if (!Number.isFinite(x)) return x;
  let f1 = fromBits((bits & ((1n << SHIFT) - 1n)) | bitsOf(0.5));
  let k = Number((bits >> SHIFT) & EXP_MASK) - 0x3fe;
  // The assembly's CMPSD "not less than": halves the interval when f1 <= Sqrt2/2.
  if (!(HSQRT2 < f1)) {
    k -= 1;
    f1 *= 2;
  }
  const f = f1 - 1;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (((L[6] * s4 + L[4]) * s4 + L[2]) * s4 + L[0]);
  const t2 = s4 * ((L[5] * s4 + L[3]) * s4 + L[1]);
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

/** math.Hypot on amd64: hypot_amd64.s. */
export function goHypot(p: number, q: number): number {
  const a = Math.abs(p);
  const b = Math.abs(q);
  if (a === Infinity || b === Infinity) return Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return 0;
  const big = Math.max(a, b);
  let small = Math.min(b, a) / big;
  small = Math.sqrt(small * small + 1);
  return big * small;
}

/** math.Frexp: x = frac × 2^exp with |frac| in [0.5, 1). */
export function goFrexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let value = x;
  let exp = 0;
  if (Math.abs(value) < 2 ** -1022) {
    value *= 2 ** 52;
    exp = -52;
  }
  let bits = bitsOf(value);
  exp += Number((bits >> SHIFT) & EXP_MASK) - BIAS + 1;
  bits &= ~(EXP_MASK << SHIFT) & MASK64;
  bits |= BigInt(BIAS - 1) << SHIFT;
  return [fromBits(bits), exp];
}

/** math.Ldexp (ldexp.go): frac × 2^exp, a subnormal result rounded by the final multiplication. */
export function goLdexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  let value = frac;
  let e = exp;
  if (Math.abs(value) < 2 ** -1022) {
    value *= 2 ** 52;
    e -= 52;
  }
  let bits = bitsOf(value);
  e += Number((bits >> SHIFT) & EXP_MASK) - BIAS;
  if (e < -1075) return value < 0 ? -0 : 0;
  if (e > 1023) return value < 0 ? -Infinity : Infinity;
  let m = 1;
  if (e < -1022) {
    e += 53;
    m = 2 ** -53;
  }
  bits &= ~(EXP_MASK << SHIFT) & MASK64;
  bits |= BigInt(e + BIAS) << SHIFT;
  return m * fromBits(bits);
}

/** math.Modf for finite x: integer and fractional parts with x's sign. */
function modf(x: number): [number, number] {
  const integer = Math.trunc(x);
  return [integer, x - integer];
}

const isOddInt = (x: number): boolean => {
  const [integer, fraction] = modf(x);
  return fraction === 0 && Math.abs(integer) < 2 ** 63 && Math.abs(integer % 2) === 1;
};

/** math.Pow (pow.go). */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    return isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === (y === Infinity) ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return goPow(1 / x, -y);
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  if (Number.isInteger(y) && y >= -128 && y <= 127) {
    // Small integer exponents: repeated squaring in uint8 steps, as pow.go does.
    const negative = y < 0;
    let n = Math.abs(y);
    let r = 1;
    while (n > 1) {
      let tmp = x;
      let c = 1;
      while (c <= Math.floor(n / 2)) {
        tmp *= tmp;
        c *= 2;
      }
      n -= c;
      r *= tmp;
    }
    for (let i = 0; i < n; i++) r *= x;
    return negative ? 1 / r : r;
  }
  let [yi, yf] = modf(Math.abs(y));
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === y > 0 ? 0 : Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = goExp(yf * goLog(x));
  }
  let [x1, xe] = goFrexp(x);
  // yi is an integer below 2^63; halving it as a double stays exact.
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return goLdexp(a1, ae);
}
