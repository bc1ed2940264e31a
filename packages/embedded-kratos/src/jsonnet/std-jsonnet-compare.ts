import { RuntimeFailure } from "./errors";
import { compare, index } from "./operators";
import { stdSite, thunkFrom, type StdCode } from "./std-frames";
import { extremum } from "./std-jsonnet-math";
import { lengthOf } from "./std-objects";
import type { Definition } from "./std-support";
import { equals, Thunk, typeName, type Value } from "./values";

/**
 * std.jsonnet's three-way comparison, std.__compare and std.__compare_array (lines 1691–1717), and the
 * std.__array_less … __array_greater_or_equal built on it (1719–1722), as go-jsonnet v0.21 runs them: std.jsonnet code
 * (go-jsonnet's own `<` does not call them, and builtins.go funcBuiltins has none of them) whose locals, calls and
 * `aux(i + 1) tailstrict` loop leave go-jsonnet's `<std>` frames (std-frames.ts); checked against a go-jsonnet build in
 * testdata/go-jsonnet-std-objects.json.
 */

const BODY = "function <anonymous>";
const AUX = "function <aux>";
const local = (name: string, outer = BODY) => `thunk <${name}> from <${outer}>`;

const COMPARE = {
  type1: stdSite(1694, 16, 28, local("t1")),
  v1: stdSite(1694, 25, 27, thunkFrom(local("t1"))),
  type2: stdSite(1694, 35, 47, local("t2")),
  v2: stdSite(1694, 44, 46, thunkFrom(local("t2"))),
  t1: stdSite(1695, 8, 10, BODY),
  t2: stdSite(1695, 14, 16, BODY),
  mismatch: stdSite(1696, 7, 75, BODY),
  compareArray: stdSite(1698, 7, 34, BODY),
  arrayV1: stdSite(1698, 27, 29, thunkFrom(BODY)),
  arrayV2: stdSite(1698, 31, 33, thunkFrom(BODY)),
  notComparable: stdSite(1700, 7, 60, BODY),
  less: stdSite(1701, 13, 20, BODY),
};

const COMPARE_ARRAY = {
  length1: stdSite(1706, 18, 34, local("len1")),
  arr1: stdSite(1706, 29, 33, thunkFrom(local("len1"))),
  length2: stdSite(1706, 43, 59, local("len2")),
  arr2: stdSite(1706, 54, 58, thunkFrom(local("len2"))),
  min: stdSite(1707, 20, 39, local("minLen")),
  minLen1: stdSite(1707, 28, 32, thunkFrom(local("minLen"))),
  minLen2: stdSite(1707, 34, 38, thunkFrom(local("minLen"))),
  minLen: stdSite(1709, 14, 20, AUX),
  compare: stdSite(1710, 24, 55, local("cmpRes", AUX)),
  element1: stdSite(1710, 38, 45, thunkFrom(local("cmpRes", AUX))),
  element2: stdSite(1710, 47, 54, thunkFrom(local("cmpRes", AUX))),
  cmpRes: stdSite(1711, 12, 18, AUX),
  next: stdSite(1714, 11, 21, AUX),
  first: stdSite(1717, 5, 11, BODY),
};

export class StdCompare {
  constructor(private readonly std: StdCode) {}

  /**
   * __compare's body: `local t1 = std.type(v1), t2 = std.type(v2)`, an error for different types, __compare_array for
   * arrays (a call ending the body), an error for functions, objects and booleans, else `v1 < v2` and `v1 > v2`.
   */
  compare(v1: Thunk, v2: Thunk): number {
    const { std } = this;
    const type = (call: typeof COMPARE.type1, variable: typeof COMPARE.v1, v: Thunk) =>
      std.lazy(() => {
        const value = std.argument(call, variable, v);
        return std.at(call, () => typeName(value));
      });
    const [t1, t2] = [type(COMPARE.type1, COMPARE.v1, v1), type(COMPARE.type2, COMPARE.v2, v2)];
    const [first, second] = [typeOf(std.read(COMPARE.t1, t1)), typeOf(std.read(COMPARE.t2, t2))];
    if (first !== second) return std.fail(COMPARE.mismatch, `Comparison requires matching types. Got ${first} and ${second}`);
    if (first === "array") {
      return std.tailCall(COMPARE.compareArray, () =>
        this.compareArray(std.variable(COMPARE.arrayV1, v1), std.variable(COMPARE.arrayV2, v2)),
      );
    }
    if (first === "function" || first === "object" || first === "boolean") {
      return std.fail(COMPARE.notComparable, `Values of type ${first} are not comparable.`);
    }
    // `v1 < v2` and then `v1 > v2`: go-jsonnet's `<` refuses null ("Unexpected type null").
    return std.at(COMPARE.less, () => compare(v1.get(), v2.get()));
  }

  /**
   * __compare_array's body: `len1`, `len2` and `minLen = std.min(len1, len2)` as locals, then `aux(0)`, which compares
   * element i with std.__compare (the local `cmpRes`) and goes on with `aux(i + 1) tailstrict`, each such call replacing
   * the frame of the one before (so one shows on the stack below `aux(0)`'s); past minLen, `std.__compare(len1, len2)`.
   */
  compareArray(arr1: Thunk, arr2: Thunk): number {
    const { std } = this;
    const C = COMPARE_ARRAY;
    const length = (call: typeof C.length1, variable: typeof C.arr1, arr: Thunk) =>
      std.lazy(() => {
        const value = std.argument(call, variable, arr);
        return std.at(call, () => lengthOf(value));
      });
    const [len1, len2] = [length(C.length1, C.arr1, arr1), length(C.length2, C.arr2, arr2)];
    const minLen = std.lazy(() =>
      std.call(C.min, () => extremum(std, std.variable(C.minLen1, len1), std.variable(C.minLen2, len2), false)),
    );
    const element = (site: typeof C.element1, arr: Thunk, i: number) => std.lazy(() => std.at(site, () => index(arr.get(), i)));
    // One step of aux(i): its comparison, or undefined to go on with aux(i + 1).
    const step = (i: number): number | undefined => {
      const bound = std.read(C.minLen, minLen);
      if (typeof bound !== "number") throw new RuntimeFailure("unreachable: std.min gives a number");
      if (i >= bound) return Math.sign(num(len1.get()) - num(len2.get()));
      const cmpRes = std.lazy(() => std.call(C.compare, () => this.compare(element(C.element1, arr1, i), element(C.element2, arr2, i))));
      const result = num(std.read(C.cmpRes, cmpRes));
      return equals(result, 0) ? undefined : result;
    };
    return std.tailCall(C.first, () => {
      for (let i = 0; ; i++) {
        const result = i === 0 ? step(i) : std.call(C.next, () => step(i));
        if (result !== undefined) return result;
      }
    });
  }

  /** __array_less … __array_greater_or_equal (`line`): `std.__compare_array(arr1, arr2)` tested against 0 or ±1. */
  arrayOrder(line: number, arr1: Thunk, arr2: Thunk, test: (order: number) => boolean): boolean {
    const { std } = this;
    const column = ARRAY_ORDER_COLUMNS[line] ?? 0;
    const call = stdSite(line, column, column + 31, BODY);
    const [a, b] = [stdSite(line, column + 20, column + 24, thunkFrom(BODY)), stdSite(line, column + 26, column + 30, thunkFrom(BODY))];
    return test(std.call(call, () => this.compareArray(std.variable(a, arr1), std.variable(b, arr2))));
  }
}

/** Where each __array_* line's `std.__compare_array(arr1, arr2)` starts. */
const ARRAY_ORDER_COLUMNS: Record<number, number> = { 1719: 30, 1720: 33, 1721: 39, 1722: 42 };

/** A `t1`/`t2` local: std.type's answer. */
function typeOf(value: Value): string {
  if (typeof value !== "string") throw new RuntimeFailure("unreachable: std.type gives a string");
  return value;
}

function num(value: Value): number {
  if (typeof value !== "number") throw new RuntimeFailure("unreachable: a length or a comparison is a number");
  return value;
}

export function compareFunctions(std: StdCode, define: (params: string[], body: (args: Thunk[]) => Value) => Definition) {
  const compare = new StdCompare(std);
  const given = (thunk: Thunk | undefined) => thunk ?? Thunk.of(null);
  const order = (line: number, test: (order: number) => boolean) =>
    define(["arr1", "arr2"], ([a, b]) => compare.arrayOrder(line, given(a), given(b), test));
  return {
    __compare: define(["v1", "v2"], ([v1, v2]) => compare.compare(given(v1), given(v2))),
    __compare_array: define(["arr1", "arr2"], ([a, b]) => compare.compareArray(given(a), given(b))),
    __array_less: order(1719, (o) => o === -1),
    __array_greater: order(1720, (o) => o === 1),
    __array_less_or_equal: order(1721, (o) => o <= 0),
    __array_greater_or_equal: order(1722, (o) => o >= 0),
  } satisfies Record<string, Definition>;
}
