import { RuntimeFailure } from "./errors";
import { goExp, goFrexp, goHypot, goLog, goPow } from "./go-math";
import { goAcos, goAsin, goAtan, goAtan2, goCos, goSin, goTan } from "./go-trig";
import { charOf, codePoints, str, type Definitions } from "./std-support";
import { typeName, type Value } from "./values";

/**
 * std's numeric builtins (go-jsonnet builtins.go liftNumeric, makeDoubleCheck); the numeric functions std.jsonnet
 * defines (abs, sign, max, min, clamp, deg2rad, rad2deg, log2, log10) are in std-jsonnet-math.ts.
 */

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

/** builtinModulo: the remainder with the dividend's sign (Go's math.Mod). */
export const modulo = (x: number, y: number): number => {
  if (y === 0) throw new RuntimeFailure("Division by zero.");
  return checked(x % y);
};

export const PI = 3.141592653589793;

/** builtinCodepoint: the code point of a one-character string. */
export function codepointOf(value: Value): number {
  const points = codePoints(str(value));
  if (points.length !== 1) throw new RuntimeFailure(`codepoint takes a string of length 1, got length ${points.length}`);
  return points[0]?.codePointAt(0) ?? 0;
}

export function mathDefinitions(): Definitions {
  return {
    floor: lift1(Math.floor),
    ceil: lift1(Math.ceil),
    sqrt: lift1(Math.sqrt),
    // Go's math, as go-jsonnet's builtins call it (go-math.ts, go-trig.ts): bit for bit what Kratos computes.
    hypot: lift2(["x", "y"], goHypot),
    sin: lift1(goSin),
    cos: lift1(goCos),
    tan: lift1(goTan),
    asin: lift1(goAsin),
    acos: lift1(goAcos),
    atan: lift1(goAtan),
    atan2: lift2(["y", "x"], goAtan2),
    log: lift1(goLog),
    // builtinExp: an underflow to 0 of a positive argument counts as an overflow.
    exp: lift1((x) => {
      const result = goExp(x);
      return result === 0 && x > 0 ? Infinity : result;
    }),
    pow: lift2(["x", "n"], goPow),
    mantissa: lift1((x) => goFrexp(x)[0]),
    exponent: lift1((x) => goFrexp(x)[1]),
    round: lift1(roundHalfAway),
    isEven: { params: ["x"], body: ([x]) => Math.trunc(getNumber(x)) % 2 === 0 },
    isOdd: { params: ["x"], body: ([x]) => Math.abs(Math.trunc(getNumber(x)) % 2) === 1 },
    isInteger: { params: ["x"], body: ([x]) => Number.isInteger(getNumber(x)) },
    isDecimal: { params: ["x"], body: ([x]) => !Number.isInteger(getNumber(x)) },
    modulo: { params: ["x", "y"], body: ([x, y]) => modulo(getNumber(x), getNumber(y)) },
    char: { params: ["n"], body: ([n]) => charOf(getNumber(n)) },
    codepoint: {
      params: ["str"],
      body: ([s]) => codepointOf(s ?? null),
    },
  };
}
