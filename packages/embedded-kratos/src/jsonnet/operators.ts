import type { NodeOf } from "./ast";
import { RuntimeFailure } from "./errors";
import {
  checkedNumber,
  compareStrings,
  equals,
  goFloatV,
  JArray,
  JObject,
  plus,
  Thunk,
  typeName,
  unexpectedType,
  type Value,
} from "./values";

/** Jsonnet's operators, indexing and slicing, with go-jsonnet's type errors. */

/** `target[index]` for objects, arrays and strings. */
export function index(target: Value, key: Value): Value {
  if (target instanceof JObject) {
    if (typeof key !== "string") throw unexpectedType(key, "string");
    return target.get(key);
  }
  if (target instanceof JArray || typeof target === "string") {
    if (typeof key !== "number") throw unexpectedType(key, "number");
    const items = target instanceof JArray ? target.elements : Array.from(target);
    const at = indexPosition(key);
    const item = items[at];
    if (at < 0 || item === undefined) throw new RuntimeFailure(`Index ${goInt(key)} out of bounds, not within [0, ${items.length})`);
    return item instanceof Thunk ? item.get() : item;
  }
  // go-jsonnet names the Go type of the value here.
  const goType =
    { null: "valueNull", boolean: "valueBoolean", number: "valueNumber", function: "valueFunction" }[typeName(target)] ?? "value";
  throw new RuntimeFailure(`Value non indexable: *jsonnet.${goType}`);
}

/**
 * The position an index names: go-jsonnet converts the number with Go's int() (interpreter.go, "non-integer indexes
 * should be an error" is still a TODO there), which truncates toward zero.
 */
export function indexPosition(key: number): number {
  return Math.trunc(key);
}

/** Go's int(x) of a float64 as fmt prints it: truncated, and on amd64 the minimum int64 when out of range. */
function goInt(x: number): string {
  if (!(Math.abs(x) < 2 ** 63)) return "-9223372036854775808";
  return BigInt(Math.trunc(x)).toString();
}

/**
 * `x[begin:end:step]`'s elements for callers that need no std.slice frames (slice.ts runs it as go-jsonnet does);
 * negative bounds count from the end as std.slice's do.
 */
export function sliceValue(target: Value, begin: number | undefined, end: number | undefined, step: number | undefined): Value {
  if (!(target instanceof JArray) && typeof target !== "string")
    throw new RuntimeFailure(`Can only slice arrays and strings, got ${typeName(target)}.`);
  const items: (Thunk | string)[] = target instanceof JArray ? target.elements : Array.from(target);
  const stride = step ?? 1;
  if (stride <= 0) throw new RuntimeFailure(`got [${begin}:${end}:${stride}] but negative steps are not supported`);
  const from = begin === undefined ? 0 : begin < 0 ? Math.max(0, items.length + begin) : begin;
  const to = Math.min(items.length, end === undefined ? items.length : end < 0 ? items.length + end : end);
  const picked: (Thunk | string)[] = [];
  for (let i = from; i < to; i += stride) picked.push(items[i] as Thunk | string);
  return target instanceof JArray ? new JArray(picked as Thunk[]) : (picked as string[]).join("");
}

export function unary(op: NodeOf<"unary">["op"], value: Value): Value {
  if (op === "!") {
    if (typeof value !== "boolean") throw unexpectedType(value, "boolean");
    return !value;
  }
  if (typeof value !== "number") throw unexpectedType(value, "number");
  if (op === "-") return -value;
  if (op === "+") return value;
  return Number(~BigInt.asIntN(64, BigInt(Math.trunc(value))));
}

/** go-jsonnet valueCmp: the left operand's type decides what the right one must be. */
export function compare(left: Value, right: Value, step: () => void = () => undefined): number {
  // `step` runs per value compared, as in equals.
  step();
  if (typeof left === "number") {
    if (typeof right !== "number") throw unexpectedType(right, "number");
    return left < right ? -1 : left > right ? 1 : 0;
  }
  if (typeof left === "string") {
    if (typeof right !== "string") throw unexpectedType(right, "string");
    return compareStrings(left, right);
  }
  if (left instanceof JArray) {
    if (!(right instanceof JArray)) throw unexpectedType(right, "array");
    for (let i = 0; i < Math.min(left.elements.length, right.elements.length); i++) {
      const c = compare((left.elements[i] as Thunk).get(), (right.elements[i] as Thunk).get(), step);
      if (c !== 0) return c;
    }
    return Math.sign(left.elements.length - right.elements.length);
  }
  throw unexpectedType(left);
}

const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

/** liftBitwise (go-jsonnet builtins.go): operands must fit int64, and are truncated to it. */
function bitwiseArgument(n: number): bigint {
  if (n < INT64_MIN || n > INT64_MAX) {
    throw new RuntimeFailure(`Bitwise operator argument ${goFloatV(n)} outside of range [-9223372036854775808, 9223372036854775807]`);
  }
  return BigInt.asIntN(64, BigInt(Math.trunc(n)));
}

/** builtinShiftL/R: a negative shift is an error; the amount is taken modulo 64. */
function shiftAmount(n: number): bigint {
  const amount = bitwiseArgument(n);
  if (amount < 0n) throw new RuntimeFailure("Shift by negative exponent.");
  return amount % 64n;
}

/**
 * `step` runs per value the comparisons look at (the evaluation's budget, budget.ts). `%` and `in` never
 * come here: the evaluator desugars them into std calls, as go-jsonnet does (evaluate.ts desugaredOperator).
 */
export function binaryOperation(op: NodeOf<"binary">["op"], left: Value, right: Value, step: () => void = () => undefined): Value {
  switch (op) {
    case "+":
      return plus(left, right);
    case "==":
      return equals(left, right, step);
    case "!=":
      return !equals(left, right, step);
    case "<":
      return compare(left, right, step) < 0;
    case "<=":
      return compare(left, right, step) <= 0;
    case ">":
      return compare(left, right, step) > 0;
    case ">=":
      return compare(left, right, step) >= 0;
    default:
      break;
  }
  if (typeof left !== "number") throw unexpectedType(left, "number");
  if (typeof right !== "number") throw unexpectedType(right, "number");
  switch (op) {
    case "-":
      return checkedNumber(left - right);
    case "*":
      return checkedNumber(left * right);
    case "/":
      if (right === 0) throw new RuntimeFailure("Division by zero.");
      return checkedNumber(left / right);
    case "<<":
      return Number(BigInt.asIntN(64, bitwiseArgument(left) << shiftAmount(right)));
    case ">>":
      return Number(bitwiseArgument(left) >> shiftAmount(right));
    case "&":
      return Number(bitwiseArgument(left) & bitwiseArgument(right));
    case "|":
      return Number(bitwiseArgument(left) | bitwiseArgument(right));
    case "^":
      return Number(bitwiseArgument(left) ^ bitwiseArgument(right));
    default:
      throw new RuntimeFailure(`Binary operator ${op} is not supported`, undefined, "unsupported");
  }
}
