import { goLog } from "./go-math";
import { binaryOperation, compare } from "./operators";
import { isTypeTraced, stdSite, type StdCode } from "./std-frames";
import { PI } from "./std-math";
import type { Definition } from "./std-support";
import { checkedNumber, Thunk, typeName, unexpectedType, type Value } from "./values";

/**
 * The numeric functions go-jsonnet v0.21 runs as std.jsonnet code (not builtins.go funcBuiltins): abs, sign, max, min
 * (lines 852–882: an std.isNumber check per argument, then `if`s), clamp (884–887: two comparisons), deg2rad, rad2deg
 * (267–268: arithmetic with std.pi) and log2, log10 (270–271: std.log quotients). Each walks its code's calls, variable
 * reads and `error`s at their std.jsonnet positions (std-frames.ts), so a failure inside carries go-jsonnet's `<std>`
 * frames; checked against a go-jsonnet build in testdata/go-jsonnet-std-frames.json.
 */

const site = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, "function <anonymous>");
const arg = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, "thunk from <function <anonymous>>");

/** `std.isNumber(v)` written at line:column (`std.isNumber(` is 13 characters, the variable one). */
const isNumber = (std: StdCode, line: number, column: number, v: Thunk) =>
  isTypeTraced(std, "number", site(line, column, column + 15), arg(line, column + 13, column + 14), v);

/** The `error 'std.<name> … got ' + std.type(v)` branch at `line`, columns 7 to `end`. */
function refuse(std: StdCode, line: number, end: number, message: string, v: Thunk): never {
  return std.fail(site(line, 7, end), `${message}${typeName(v.get())}`);
}

/** abs (852) and sign (858): `if !std.isNumber(n) then error … else …`. */
function absOrSign(std: StdCode, n: Thunk, sign: boolean): Value {
  const line = sign ? 859 : 853;
  if (!isNumber(std, line, 9, n)) return refuse(std, line + 1, sign ? 59 : 58, `std.${sign ? "sign" : "abs"} expected number, got `, n);
  const value = n.get();
  if (typeof value !== "number") throw unexpectedType(value, "number");
  if (sign) return value > 0 ? 1 : value < 0 ? -1 : 0;
  // `if n > 0 then n else -n`: the negation of 0 is -0.
  return value > 0 ? value : -value;
}

/** max (868) and min (876): each argument checked in turn, then `if a > b then a else b` (`<` for min). */
export function extremum(std: StdCode, a: Thunk, b: Thunk, max: boolean): Value {
  const line = max ? 869 : 877;
  const name = max ? "std.max" : "std.min";
  if (!isNumber(std, line, 9, a)) return refuse(std, line + 1, 70, `${name} first param expected number, got `, a);
  if (!isNumber(std, line + 2, 14, b)) return refuse(std, line + 3, 71, `${name} second param expected number, got `, b);
  const [x, y] = [a.get(), b.get()];
  if (typeof x !== "number" || typeof y !== "number") throw new TypeError("unreachable: checked above");
  return (max ? x > y : x < y) ? x : y;
}

/** clamp (884–887): `if x < minVal then minVal else if x > maxVal then maxVal else x`, any comparable values. */
function clamp(std: StdCode, x: Thunk, minVal: Thunk, maxVal: Thunk): Value {
  const value = std.read(site(885, 8, 9), x);
  const low = std.read(site(885, 12, 18), minVal);
  if (std.at(site(885, 8, 18), () => compare(value, low)) < 0) return low;
  const high = std.read(site(886, 17, 23), maxVal);
  if (std.at(site(886, 13, 23), () => compare(value, high)) > 0) return high;
  return value;
}

/** deg2rad (267: `x * std.pi / 180`) and rad2deg (268: `x * 180 / std.pi`). */
function angle(std: StdCode, x: Thunk, toRadians: boolean): Value {
  const line = toRadians ? 267 : 268;
  const value = std.read(site(line, 16, 17), x);
  const product = std.at(site(line, 16, toRadians ? 26 : 23), () => binaryOperation("*", value, toRadians ? PI : 180));
  return std.at(site(line, 16, toRadians ? 32 : 33), () => binaryOperation("/", product, toRadians ? 180 : PI));
}

/** log2 (270: `std.log(x) / std.log(2)`) and log10 (271: `std.log(x) / std.log(10)`); builtinLog checks each result. */
function logarithm(std: StdCode, x: Thunk, base: 2 | 10): Value {
  const [line, column] = base === 2 ? [270, 13] : [271, 14];
  const call = site(line, column, column + 10);
  const value = std.argument(call, arg(line, column + 8, column + 9), x);
  const log = std.at(call, () => {
    if (typeof value !== "number") throw unexpectedType(value, "number");
    return checkedNumber(goLog(value));
  });
  return std.at(site(line, column, column + (base === 2 ? 23 : 24)), () => binaryOperation("/", log, goLog(base)));
}

export function mathFunctions(std: StdCode, define: (params: string[], body: (args: Thunk[]) => Value) => Definition) {
  const given = (thunk: Thunk | undefined) => thunk ?? Thunk.of(null);
  return {
    abs: define(["n"], ([n]) => absOrSign(std, given(n), false)),
    sign: define(["n"], ([n]) => absOrSign(std, given(n), true)),
    max: define(["a", "b"], ([a, b]) => extremum(std, given(a), given(b), true)),
    min: define(["a", "b"], ([a, b]) => extremum(std, given(a), given(b), false)),
    clamp: define(["x", "minVal", "maxVal"], ([x, lo, hi]) => clamp(std, given(x), given(lo), given(hi))),
    deg2rad: define(["x"], ([x]) => angle(std, given(x), true)),
    rad2deg: define(["x"], ([x]) => angle(std, given(x), false)),
    log2: define(["x"], ([x]) => logarithm(std, given(x), 2)),
    log10: define(["x"], ([x]) => logarithm(std, given(x), 10)),
  } satisfies Record<string, Definition>;
}
