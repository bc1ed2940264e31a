/**
 * Go's trigonometric functions (math/sin.go, tan.go, trig_reduce.go, asin.go, atan.go, atan2.go: Cephes' algorithms,
 * pure Go on amd64), ported in Go's order of operations so std.sin & co. give go-jsonnet's results bit for bit; V8's
 * `Math` uses fdlibm's, which differ in the last digit for some inputs. See go-math.ts for the others.
 */

const PI = Math.PI;
const PI4A = 7.853981256484985e-1;
const PI4B = 3.774894707930798e-8;
const PI4C = 2.6951514290790595e-15;
/** Above this, x·(4/π) needs Payne–Hanek reduction (trig_reduce.go). */
const REDUCE_THRESHOLD = 2 ** 29;

const SIN = [
  1.5896230157654656e-10, -2.5050747762857807e-8, 2.7557313621385722e-6, -1.984126982958954e-4, 8.333333333322118e-3, -1.666666666666663e-1,
] as const;
const COS = [
  -1.1358536521387682e-11, 2.087570084197473e-9, -2.755731417929674e-7, 2.4801587288851704e-5, -1.3888888888873056e-3,
  4.1666666666666595e-2,
] as const;

/** The binary digits of 4/π, 64 bits each (trig_reduce.go mPi4). */
const M_PI4 = [
  0x0000000000000001n,
  0x45f306dc9c882a53n,
  0xf84eafa3ea69bb81n,
  0xb6c52b3278872083n,
  0xfca2c757bd778ac3n,
  0x6e48dc74849ba5c0n,
  0x0c925dd413a32439n,
  0xfc3bd63962534e7dn,
  0xd1046bea5d768909n,
  0xd338e04d68befc82n,
  0x7323ac7306a673e9n,
  0x3908bf177bf25076n,
  0x3ff12fffbc0b301fn,
  0xde5e2316b414da3en,
  0xda6cfd9e4f96136en,
  0x9e8c7ecd3cbfd45an,
  0xea4f758fd7cbe2f6n,
  0x7a0e73ef14a525d4n,
  0xd7f6bf623f1aba10n,
  0xac06608df8f6d757n,
];

const U64 = (1n << 64n) - 1n;
const view = new DataView(new ArrayBuffer(8));

/** trigReduce: Payne–Hanek reduction of x ≥ 2^29 by π/4, in Go's 64-bit integer steps. */
function trigReduce(x: number): [number, number] {
  if (x < PI / 4) return [0, x];
  view.setFloat64(0, x);
  let ix = view.getBigUint64(0);
  const exp = Number((ix >> 52n) & 0x7ffn) - 1023 - 52;
  ix = (ix & ((1n << 52n) - 1n)) | (1n << 52n);
  const digit = Math.floor((exp + 61) / 64);
  const bitshift = BigInt((exp + 61) % 64);
  const word = (i: number): bigint => M_PI4[i] ?? 0n;
  // Go's shift by 64 yields 0; BigInt's would not, so mask.
  const join = (i: number) => ((word(i) << bitshift) | (word(i + 1) >> (64n - bitshift))) & U64;
  const z0 = join(digit);
  const z1 = join(digit + 1);
  const z2 = join(digit + 2);
  const z2hi = (z2 * ix) >> 64n;
  const z1full = z1 * ix;
  const z1hi = z1full >> 64n;
  const z1lo = z1full & U64;
  const z0lo = (z0 * ix) & U64;
  const loSum = z1lo + z2hi;
  const lo = loSum & U64;
  let hi = (z0lo + z1hi + (loSum >> 64n)) & U64;
  let j = Number(hi >> 61n);
  hi = ((hi << 3n) | (lo >> 61n)) & U64;
  const lz = BigInt(64 - hi.toString(2).length);
  const e = BigInt(1023) - (lz + 1n);
  hi = ((hi << (lz + 1n)) | (lo >> (64n - (lz + 1n)))) & U64;
  hi >>= 64n - 52n;
  hi |= e << 52n;
  view.setBigUint64(0, hi);
  let z = view.getFloat64(0);
  if (j % 2 === 1) {
    j = (j + 1) & 7;
    z--;
  }
  return [j, z * (PI / 4)];
}

/** The octant j and the reduced argument z of |x|, as sin.go/tan.go compute them. */
function reduce(x: number, mod8: boolean): [number, number] {
  if (x >= REDUCE_THRESHOLD) return trigReduce(x);
  let j = Math.trunc(x * (4 / PI));
  let y = j;
  if (j % 2 === 1) {
    j++;
    y++;
  }
  if (mod8) j &= 7;
  return [j, x - y * PI4A - y * PI4B - y * PI4C];
}

const sinPoly = (z: number, zz: number) =>
  z + z * zz * (((((SIN[0] * zz + SIN[1]) * zz + SIN[2]) * zz + SIN[3]) * zz + SIN[4]) * zz + SIN[5]);
const cosPoly = (zz: number) =>
  1 - 0.5 * zz + zz * zz * (((((COS[0] * zz + COS[1]) * zz + COS[2]) * zz + COS[3]) * zz + COS[4]) * zz + COS[5]);

export function goSin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  let sign = x < 0;
  const [octant, z] = reduce(Math.abs(x), true);
  let j = octant;
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const zz = z * z;
  const y = j === 1 || j === 2 ? cosPoly(zz) : sinPoly(z, zz);
  return sign ? -y : y;
}

export function goCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  const [octant, z] = reduce(Math.abs(x), true);
  let j = octant;
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const zz = z * z;
  const y = j === 1 || j === 2 ? sinPoly(z, zz) : cosPoly(zz);
  return sign ? -y : y;
}

const TAN_P = [-1.3093693918138379e4, 1.1535166483858742e6, -1.7956525197648488e7] as const;
const TAN_Q = [1, 1.3681296347069296e4, -1.3208923444021097e6, 2.500838018233579e7, -5.3869575592945464e7] as const;

export function goTan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  const sign = x < 0;
  // tan.go keeps j unmasked below the threshold; only its bit 1 matters.
  const [j, z] = reduce(Math.abs(x), false);
  const zz = z * z;
  let y =
    zz > 1e-14
      ? z +
        z * ((zz * ((TAN_P[0] * zz + TAN_P[1]) * zz + TAN_P[2])) / ((((zz + TAN_Q[1]) * zz + TAN_Q[2]) * zz + TAN_Q[3]) * zz + TAN_Q[4]))
      : z;
  if ((j & 2) === 2) y = -1 / y;
  return sign ? -y : y;
}

/** xatan: the rational approximation on [0, 0.66]. */
function xatan(x: number): number {
  const z = x * x;
  const r =
    (z *
      ((((-8.750608600031904e-1 * z + -1.6157537187333652e1) * z + -7.500855792314705e1) * z + -1.2288666844901361e2) * z +
        -6.485021904942025e1)) /
    (((((z + 2.4858464901423062e1) * z + 1.6502700983169885e2) * z + 4.3288106049129027e2) * z + 4.853903996359137e2) * z +
      1.945506571482614e2);
  return x * r + x;
}

/** satan: reduces a positive argument to [0, 0.66]. */
function satan(x: number): number {
  const MOREBITS = 6.123233995736766e-17;
  if (x <= 0.66) return xatan(x);
  if (x > 2.414213562373095) return PI / 2 - xatan(1 / x) + MOREBITS;
  return PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * MOREBITS;
}

export function goAtan(x: number): number {
  if (x === 0) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

export function goAsin(x: number): number {
  if (x === 0) return x;
  const sign = x < 0;
  const a = Math.abs(x);
  if (a > 1) return NaN;
  let temp = Math.sqrt(1 - a * a);
  temp = a > 0.7 ? PI / 2 - satan(temp / a) : satan(a / temp);
  return sign ? -temp : temp;
}

export const goAcos = (x: number): number => PI / 2 - goAsin(x);

const copysign = (magnitude: number, sign: number) => (sign < 0 || Object.is(sign, -0) ? -Math.abs(magnitude) : Math.abs(magnitude));

export function goAtan2(y: number, x: number): number {
  if (Number.isNaN(y) || Number.isNaN(x)) return NaN;
  if (y === 0) return x >= 0 && !Object.is(x, -0) ? copysign(0, y) : copysign(PI, y);
  if (x === 0) return copysign(PI / 2, y);
  if (!Number.isFinite(x)) {
    if (x === Infinity) return !Number.isFinite(y) ? copysign(PI / 4, y) : copysign(0, y);
    return !Number.isFinite(y) ? copysign((3 * PI) / 4, y) : copysign(PI, y);
  }
  if (!Number.isFinite(y)) return copysign(PI / 2, y);
  const q = goAtan(y / x);
  if (x < 0) return q <= 0 ? q + PI : q - PI;
  return q;
}
