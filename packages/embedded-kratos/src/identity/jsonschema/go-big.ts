/**
 * The arithmetic ory/jsonschema does on json.Number text: big.Int
 * SetString(text, 10) for `integer`, big.Float SetString (64-bit mantissa,
 * round half to even) for limits, multipleOf (Quo, IsInt) and equality.
 */

/** A binary float m·2^e with |m| < 2^64, as big.Float holds a number at precision 64. */
export interface BigFloat {
  m: bigint;
  e: number;
}

const PREC = 64n;
const TOP = 1n << PREC;
const HALF = 1n << (PREC - 1n);
// Exponents beyond this are clamped so that hostile text cannot make the numbers huge; big.Float goes further.
const MAX_EXPONENT = 10_000;
const MAX_DIGITS = 800;

/** big.Int SetString(text, 10) succeeds: an optional sign and decimal digits only. */
export const isGoInteger = (text: string): boolean => /^[+-]?[0-9]+$/.test(text);

const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);

/** Rounds num/den (den > 0) to 64 bits, half to even. */
function round(num: bigint, den: bigint): BigFloat {
  if (num === 0n) return { m: 0n, e: 0 };
  const negative = num < 0n;
  const n = negative ? -num : num;
  let shift = Number(PREC) - (bitLength(n) - bitLength(den));
  for (;;) {
    const scaledN = shift >= 0 ? n << BigInt(shift) : n;
    const scaledD = shift >= 0 ? den : den << BigInt(-shift);
    let q = scaledN / scaledD;
    if (q >= TOP) {
      shift--;
      continue;
    }
    if (q < HALF) {
      shift++;
      continue;
    }
    const twice = 2n * (scaledN % scaledD);
    if (twice > scaledD || (twice === scaledD && q % 2n === 1n)) q++;
    if (q === TOP) return { m: negative ? -HALF : HALF, e: 1 - shift };
    return { m: negative ? -q : q, e: -shift };
  }
}

/** big.Float SetString of a JSON number's text; undefined when it is not one. */
export function parseBigFloat(text: string): BigFloat | undefined {
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign = "", int = "", fraction = "", exponentText = "0"] = match;
  let exponent = Math.max(-MAX_EXPONENT, Math.min(MAX_EXPONENT, Number(exponentText))) - fraction.length;
  let significant = `${int}${fraction}`.replace(/^0+/, "") || "0";
  if (significant.length > MAX_DIGITS) {
    // Digits past these only decide the rounding through whether any is non-zero (a sticky digit keeps that).
    const dropped = significant.slice(MAX_DIGITS);
    exponent += dropped.length;
    significant = significant.slice(0, MAX_DIGITS);
    if (/[1-9]/.test(dropped)) [significant, exponent] = [`${significant}1`, exponent - 1];
  }
  exponent = Math.max(-2 * MAX_EXPONENT, Math.min(2 * MAX_EXPONENT, exponent));
  const digits = BigInt(`${sign}${significant}`);
  return exponent >= 0 ? round(digits * 10n ** BigInt(exponent), 1n) : round(digits, 10n ** BigInt(-exponent));
}

/** Cmp: -1, 0 or 1. */
export function compareBig(a: BigFloat, b: BigFloat): number {
  const e = Math.min(a.e, b.e);
  const x = a.m << BigInt(a.e - e);
  const y = b.m << BigInt(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** new(big.Float).Quo(a, b).IsInt(); false for a zero divisor (Go: ±Inf, or a panic for 0/0). */
export function quotientIsInt(a: BigFloat, b: BigFloat): boolean {
  if (b.m === 0n) return false;
  const d = a.e - b.e;
  let num = d >= 0 ? a.m << BigInt(d) : a.m;
  let den = d >= 0 ? b.m : b.m << BigInt(-d);
  if (den < 0n) [num, den] = [-num, -den];
  const q = round(num, den);
  if (q.e >= 0 || q.m === 0n) return true;
  return q.m % (1n << BigInt(-q.e)) === 0n;
}
