import { RuntimeFailure } from "./errors";
import { format } from "./format";
import { charOf, codePoints, str, type Definitions } from "./std-support";
import { typeName, type Value } from "./values";

/** std's numeric functions: go-jsonnet's math builtins (builtins.go liftNumeric, makeDoubleCheck) and std.jsonnet's. */

/** makeDoubleCheck: NaN and infinities are errors, not values. */
function checked(x: number): number {
  if (Number.isNaN(x)) throw new RuntimeFailure("Not a number");
  if (!Number.isFinite(x)) throw new RuntimeFailure("Overflow");
  return x;
}

const getNumber = (value: Value | undefined): number => {
  if (typeof value !== "number") throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected number`);
  return value;
};

const lift1 = (f: (x: number) => number) => ({ params: ["x"], body: ([x]: Value[]) => checked(f(getNumber(x))) });
const lift2 = (params: [string, string], f: (x: number, y: number) => number) => ({
  params,
  body: ([x, y]: Value[]) => checked(f(getNumber(x), getNumber(y))),
});

/** Go's math.Round: halves away from zero. */
function roundHalfAway(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** Go's math.Frexp: x = mantissa × 2^exponent with |mantissa| in [0.5, 1). */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exponent = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let mantissa = x * Math.pow(2, -exponent);
  while (Math.abs(mantissa) < 0.5) {
    mantissa *= 2;
    exponent--;
  }
  while (Math.abs(mantissa) >= 1) {
    mantissa /= 2;
    exponent++;
  }
  return [mantissa, exponent];
}

const modulo = (x: number, y: number): number => {
  if (y === 0) throw new RuntimeFailure("Division by zero.");
  return checked(x % y);
};

export const PI = 3.141592653589793;

export function mathDefinitions(): Definitions {
  return {
    abs: { params: ["n"], body: ([n]) => Math.abs(expectNumber(n, "std.abs expected number, got ")) },
    sign: { params: ["n"], body: ([n]) => Math.sign(expectNumber(n, "std.sign expected number, got ")) || 0 },
    max: {
      params: ["a", "b"],
      body: ([a, b]) => {
        const x = expectNumber(a, "std.max first param expected number, got ");
        const y = expectNumber(b, "std.max second param expected number, got ");
        return x > y ? x : y;
      },
    },
    min: {
      params: ["a", "b"],
      body: ([a, b]) => {
        const x = expectNumber(a, "std.min first param expected number, got ");
        const y = expectNumber(b, "std.min second param expected number, got ");
        return x < y ? x : y;
      },
    },
    clamp: {
      params: ["x", "minVal", "maxVal"],
      body: ([x, lo, hi]) => {
        const v = getNumber(x);
        return v < getNumber(lo) ? (lo ?? null) : v > getNumber(hi) ? (hi ?? null) : v;
      },
    },
    floor: lift1(Math.floor),
    ceil: lift1(Math.ceil),
    sqrt: lift1(Math.sqrt),
    hypot: lift2(["x", "y"], Math.hypot),
    sin: lift1(Math.sin),
    cos: lift1(Math.cos),
    tan: lift1(Math.tan),
    asin: lift1(Math.asin),
    acos: lift1(Math.acos),
    atan: lift1(Math.atan),
    atan2: lift2(["y", "x"], Math.atan2),
    log: lift1(Math.log),
    log2: { params: ["x"], body: ([x]) => checked(checked(Math.log(getNumber(x))) / Math.log(2)) },
    log10: { params: ["x"], body: ([x]) => checked(checked(Math.log(getNumber(x))) / Math.log(10)) },
    exp: lift1(Math.exp),
    pow: lift2(["x", "n"], Math.pow),
    mantissa: lift1((x) => frexp(x)[0]),
    exponent: lift1((x) => frexp(x)[1]),
    round: lift1(roundHalfAway),
    isEven: { params: ["x"], body: ([x]) => Math.trunc(getNumber(x)) % 2 === 0 },
    isOdd: { params: ["x"], body: ([x]) => Math.abs(Math.trunc(getNumber(x)) % 2) === 1 },
    isInteger: { params: ["x"], body: ([x]) => Number.isInteger(getNumber(x)) },
    isDecimal: { params: ["x"], body: ([x]) => !Number.isInteger(getNumber(x)) },
    modulo: { params: ["x", "y"], body: ([x, y]) => modulo(getNumber(x), getNumber(y)) },
    // std.mod, behind the % operator: numbers take the remainder, a string on the left formats.
    mod: {
      params: ["a", "b"],
      body: ([a, b]) => {
        if (typeof a === "number" && typeof b === "number") return modulo(a, b);
        if (typeof a === "string") return format(a, b ?? null);
        throw new RuntimeFailure(`Operator % cannot be used on types ${typeName(a ?? null)} and ${typeName(b ?? null)}.`);
      },
    },
    deg2rad: { params: ["x"], body: ([x]) => (getNumber(x) * PI) / 180 },
    rad2deg: { params: ["x"], body: ([x]) => (getNumber(x) * 180) / PI },
    char: { params: ["n"], body: ([n]) => charOf(getNumber(n)) },
    codepoint: {
      params: ["str"],
      body: ([s]) => {
        const points = codePoints(str(s));
        if (points.length !== 1) throw new RuntimeFailure(`codepoint takes a string of length 1, got length ${points.length}`);
        return points[0]?.codePointAt(0) ?? 0;
      },
    },
  };
}

function expectNumber(value: Value | undefined, message: string): number {
  if (typeof value !== "number") throw new RuntimeFailure(message + typeName(value ?? null));
  return value;
}
