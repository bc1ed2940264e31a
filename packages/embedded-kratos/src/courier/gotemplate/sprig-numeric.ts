import { spendStep } from "./budget";
import { GoCallError } from "./evaluator";
import { formatValue } from "./fmt";
import { toFloat64 } from "./sprig-convert";
import { guardLength } from "./sprig-limits";

const int64 = (n: bigint) => BigInt.asIntN(64, n);

/** sprig numeric.go untilStep on Go ints: counts from start towards stop (exclusive) by step; a step away from stop gives nothing. */
function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  if (stop < start ? step >= 0n : step <= 0n) return [];
  guardLength((stop - start) / step);
  const out: bigint[] = [];
  // Go's int wraps past int64's ends and can loop forever (or until memory runs out): each item spends a step, so the template's step cap ends it.
  for (let i = start; stop < start ? i > stop : i < stop; i = int64(i + step)) {
    spendStep();
    out.push(i);
  }
  return out;
}

/**
 * sprig numeric.go seq: `seq END` counts from 1, `seq START END` by ±1 and
 * `seq START STEP END` by STEP, END included; other counts print nothing.
 */
export function seq(...params: bigint[]): string {
  let start: bigint;
  let end: bigint;
  let step: bigint;
  switch (params.length) {
    case 1:
      [start, end, step] = [1n, params[0]!, params[0]! < 1n ? -1n : 1n];
      return untilStep(start, int64(end + step), step).join(" ");
    case 2:
      [start, end] = [params[0]!, params[1]!];
      step = end < start ? -1n : 1n;
      return untilStep(start, int64(end + step), step).join(" ");
    case 3: {
      [start, step, end] = [params[0]!, params[1]!, params[2]!];
      const increment = end < start ? -1n : 1n;
      if (end < start && step > 0n) return "";
      return untilStep(start, int64(end + increment), step).join(" ");
    }
    default:
      return "";
  }
}

/** A shopspring/decimal v1.4.0 Decimal: value · 10^exp. */
interface Decimal {
  value: bigint;
  exp: number;
}

/** decimal.NewFromFloat: the shortest decimal that reads back as the float (what Number's toExponential() prints). */
function decimalFromFloat(x: number): Decimal {
  // shopspring/decimal NewFromFloat panics on these, which text/template reports as the call's error.
  if (!Number.isFinite(x)) throw new GoCallError(`Cannot create a Decimal from ${Number.isNaN(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf"}`);
  if (x === 0) return { value: 0n, exp: 0 };
  const [mantissa, exponent] = x.toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const fraction = mantissa.includes(".") ? mantissa.length - mantissa.indexOf(".") - 1 : 0;
  return { value: BigInt(digits), exp: Number(exponent) - fraction };
}

const scaled = (d: Decimal, exp: number): bigint => d.value * 10n ** BigInt(d.exp - exp);

function add(a: Decimal, b: Decimal): Decimal {
  const exp = Math.min(a.exp, b.exp);
  return { value: scaled(a, exp) + scaled(b, exp), exp };
}

/** Decimal.Div: the quotient to DivisionPrecision (16) places, a remainder of half a unit or more rounded away from zero. */
const DIVISION_PRECISION = 16;
function divide(a: Decimal, b: Decimal): Decimal {
  if (b.value === 0n) throw new GoCallError("decimal division by 0");
  const shift = a.exp - b.exp + DIVISION_PRECISION;
  const numerator = shift >= 0 ? a.value * 10n ** BigInt(shift) : a.value;
  const denominator = shift >= 0 ? b.value : b.value * 10n ** BigInt(-shift);
  let quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const abs = (n: bigint) => (n < 0n ? -n : n);
  if (2n * abs(remainder) >= abs(denominator)) quotient += a.value < 0n !== b.value < 0n ? -1n : 1n;
  return { value: quotient, exp: -DIVISION_PRECISION };
}

const DECIMAL_OPS = {
  add,
  sub: (a: Decimal, b: Decimal) => add(a, { value: -b.value, exp: b.exp }),
  mul: (a: Decimal, b: Decimal): Decimal => ({ value: a.value * b.value, exp: a.exp + b.exp }),
  div: divide,
};

/**
 * sprig numeric.go execDecimalOp (addf, subf, mulf, divf, add1f): each
 * operand as decimal.NewFromFloat of cast's float64, exact decimal
 * arithmetic, then Decimal.Float64 (the float nearest the exact result,
 * which parsing its decimal text gives).
 */
export function decimalOp(op: keyof typeof DECIMAL_OPS, first: unknown, rest: readonly unknown[]): number {
  let result = decimalFromFloat(toFloat64(first));
  for (const x of rest) {
    spendStep();
    result = DECIMAL_OPS[op](result, decimalFromFloat(toFloat64(x)));
  }
  return Number(`${result.value}e${result.exp}`);
}

/** A normal float as m · 2^e with m in [1, 2). */
function splitFloat(x: number): { m: number; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const e = ((view.getUint16(0) >>> 4) & 0x7ff) - 1023;
  return { m: x / 2 ** e, e };
}

/** math.Ldexp(frac, exp) for a normal frac: one rounding, at the end, into a subnormal result as Go's does. */
function ldexp(frac: number, exp: number): number {
  const { m, e } = splitFloat(frac);
  const total = exp + e;
  if (total < -1075) return 0 * Math.sign(frac);
  if (total > 1023) return Infinity * Math.sign(frac);
  if (total < -1022) return m * 2 ** (total + 53) * 2 ** -53;
  return m * 2 ** total;
}

/**
 * Go's math.Pow(10, n) for an integer n (pow.go, pure Go on amd64 and
 * arm64): repeated squaring of Frexp(10) = 0.625 · 2^4 with the powers of
 * two kept apart, so past 10^22 it can miss the correctly rounded value
 * JavaScript's `10 ** n` gives (Go's 10^308 is not 1e308).
 */
function goPow10(n: number): number {
  if (n === 0) return 1;
  if (n === 1) return 10;
  const magnitude = Math.abs(n);
  if (magnitude >= 2 ** 63) return n > 0 ? Infinity : 0;
  let a1 = 1;
  let ae = 0;
  let x1 = 0.625;
  let xe = 4;
  for (let i = BigInt(magnitude); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (n < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

/** sprig numeric.go round: the fraction of value·10^places compared with roundOn (default .5) picks ceil or floor. */
export function round(value: unknown, places: bigint, roundOn = 0.5): number {
  const pow = goPow10(Number(places));
  const digit = pow * toFloat64(value);
  const fraction = digit - Math.trunc(digit);
  return (fraction >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

/** sprig numeric.go toDecimal: fmt.Sprint of the value read as a signed octal int64; anything else is 0. */
export function toDecimal(value: unknown): bigint {
  const text = typeof value === "string" ? value : formatValue(value ?? null);
  const match = /^([+-]?)([0-7]+)$/.exec(text);
  if (!match) return 0n;
  const n = BigInt(`0o${match[2]!}`) * (match[1] === "-" ? -1n : 1n);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : 0n;
}
