import { RuntimeFailure } from "./errors";
import { isTypeTraced, stdSite, thunkFrom, type StdCode } from "./std-frames";
import { lengthOf } from "./std-objects";
import type { Definition, StdContext } from "./std-support";
import type { NamedPlace } from "./stack";
import { equals, JArray, JObject, Thunk, typeName, type LayerField, type Value } from "./values";

/**
 * std.count, std.flattenDeepArray, std.objectValues(All), std.objectKeysValues(All), std.prune and std.resolvePath as go-jsonnet
 * v0.21 runs them: std.jsonnet code (builtins.go funcBuiltins has none of them) whose calls, variable reads and
 * comprehensions leave go-jsonnet's `<std>` frames (std-frames.ts); checked against a go-jsonnet build in
 * testdata/go-jsonnet-std-objects.json.
 */

const METHOD = "function <anonymous>";
const site = (line: number, column: number, endColumn: number, name = METHOD) => stdSite(line, column, endColumn, name);
const arg = (line: number, column: number, endColumn: number, depth = 1) => stdSite(line, column, endColumn, thunkFrom(METHOD, depth));
const extent = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, "").loc;

/** What these bodies call of the std.jsonnet functions already reproduced elsewhere (std-jsonnet-functions.ts). */
export interface ObjectHelpers {
  objectFields: (o: Thunk, hidden: boolean) => Value;
  split: (str: Thunk, c: Thunk) => Value;
}

/**
 * std.count (line 254): `std.length(std.filter(function(v) v == x, arr))`. builtinFilter forces `arr` and calls the
 * function for each element; `x` is only read when there is an element to compare.
 */
const COUNT = {
  length: site(254, 19, 66),
  filter: arg(254, 30, 65),
  arr: arg(254, 61, 64, 2),
  v: site(254, 53, 54),
  x: site(254, 58, 59),
  equals: site(254, 53, 59),
};

function count(std: StdCode, arr: Thunk, x: Thunk): Value {
  const { filter } = COUNT;
  // The std.length call ends the body (so drops the frame of a `std.count(…) tailstrict`); its argument is a thunk.
  return std.tailCall(COUNT.length, () => {
    const list = std.argument(filter, COUNT.arr, arr);
    let found = 0;
    std.at(filter, () => {
      if (!(list instanceof JArray)) throw new RuntimeFailure(`Unexpected type ${typeName(list)}, expected array`);
      for (const element of list.elements) {
        const same = std.call(filter, () => {
          const v = std.read(COUNT.v, element);
          const wanted = std.read(COUNT.x, x);
          return std.at(COUNT.equals, () => equals(v, wanted));
        });
        if (same) found++;
      }
    });
    return found;
  });
}

/**
 * std.flattenDeepArray (lines 892–896): `[value]` for a non-array, else `[y for x in value for y in
 * std.flattenDeepArray(x)]`, recursing once per element in frames of its own.
 */
const FLATTEN = {
  isArray: site(893, 8, 26),
  isArrayValue: arg(893, 20, 25),
  comprehension: extent(894, 7, 58),
  value: arg(894, 19, 24),
  recurse: site(894, 34, 57),
  x: arg(894, 55, 56),
};

function flattenDeepArray(std: StdCode, context: StdContext, value: Thunk): JArray {
  if (!isTypeTraced(std, "array", FLATTEN.isArray, FLATTEN.isArrayValue, value)) return new JArray([Thunk.of(value.get())]);
  return std.comprehension(
    FLATTEN.comprehension,
    () => std.read(FLATTEN.value, value),
    (x) =>
      std.comprehension(
        FLATTEN.comprehension,
        () => std.call(FLATTEN.recurse, () => flattenDeepArray(std, context, std.variable(FLATTEN.x, x))),
        (y) => {
          context.charge(1);
          return [Thunk.of(y.get())];
        },
      ).elements,
  );
}

/**
 * std.objectValues(All) and std.objectKeysValues(All) (lines 1570–1580): `[o[k] for k in std.objectFields(o)]` and
 * `[{ key: k, value: o[k] } for k in …]`, the fields listed by std.objectFields(All); each value is read when used.
 */
function objectValues(std: StdCode, helpers: ObjectHelpers, o: Thunk, hidden: boolean, withKeys: boolean): JArray {
  const line = (withKeys ? 1577 : 1571) + (hidden ? 3 : 0);
  const loc = withKeys ? extent(line, 5, hidden ? 62 : 59) : extent(line, 5, hidden ? 43 : 40);
  const fieldsCall = withKeys ? site(line, 39, hidden ? 61 : 58) : site(line, 20, hidden ? 42 : 39);
  const oArg = withKeys ? arg(line, hidden ? 59 : 56, hidden ? 60 : 57) : arg(line, hidden ? 40 : 37, hidden ? 41 : 38);
  const names = (): Value => std.call(fieldsCall, () => helpers.objectFields(std.variable(oArg, o), hidden));
  const read = (k: string, at: NamedPlace) => () => std.at(at, () => objectOf(o.get()).get(k));
  return std.comprehension(loc, names, (k) => {
    const name = fieldName(k);
    if (!withKeys) return [std.lazy(read(name, arg(line, 6, 10)))];
    // `{ key: k, value: o[k] }`: an object field is computed in a frame of its own, pushed from where it is read.
    const value: LayerField = {
      visibility: "inherit",
      plus: false,
      compute: () => std.body(read(name, site(line, 23, 27, "object <anonymous>"))),
    };
    const key: LayerField = { visibility: "inherit", plus: false, compute: () => name };
    const fields = new Map([
      ["key", key],
      ["value", value],
    ]);
    return [Thunk.of(new JObject([{ fields }]))];
  });
}

/** A value std.jsonnet's code has already checked to be an object. */
export function objectOf(value: Value): JObject {
  if (!(value instanceof JObject)) throw new RuntimeFailure("unreachable: checked to be an object");
  return value;
}

/** An element of std.objectFields' answer. */
export function fieldName(k: Thunk): string {
  const name = k.get();
  if (typeof name !== "string") throw new RuntimeFailure("unreachable: std.objectFields gives strings");
  return name;
}

/**
 * std.resolvePath (lines 1619–1621): `local arr = std.split(f, '/')`, then `std.join('/', std.makeArray(std.length(arr)
 * - 1, function(i) arr[i]) + [r])`. builtinJoin forces its array (the `+` of the makeArray call and `[r]`) and then
 * each element, skipping nulls and refusing other non-strings.
 */
function resolvePath(std: StdCode, helpers: ObjectHelpers, f: Thunk, r: Thunk): Value {
  const join = site(1621, 5, 80);
  const arr = std.lazy(() =>
    std.call(site(1620, 17, 34, "thunk <arr> from <function <anonymous>>"), () =>
      helpers.split(std.variable(stdSite(1620, 27, 28, "thunk from <thunk <arr> from <function <anonymous>>>"), f), Thunk.of("/")),
    ),
  );
  // The std.join call ends the body (dropping the frame of a `tailstrict` call); it forces its array argument first.
  const parts = std.tailCall(join, () => {
    const makeArray = arg(1621, 19, 73);
    const size = std.call(makeArray, () => {
      const lengthCall = arg(1621, 33, 48, 2);
      const list = std.argument(lengthCall, arg(1621, 44, 47, 3), arr);
      return std.at(lengthCall, () => lengthOf(list)) - 1;
    });
    const head = std.at(makeArray, () => {
      const list = arr.get();
      if (!(list instanceof JArray)) throw new RuntimeFailure("unreachable: std.split gives an array");
      return list.elements.slice(0, Math.max(0, size));
    });
    return [...head, std.variable(arg(1621, 77, 78, 2), r)];
  });
  return std.at(join, () => {
    const pieces: string[] = [];
    for (const part of parts) {
      // Each element is a thunk of the array: forcing it pushes its own frame from here.
      const value = part.get();
      if (value === null) continue;
      if (typeof value !== "string") throw new RuntimeFailure(`Unexpected type ${typeName(value)}, expected string`);
      pieces.push(value);
    }
    return pieces.join("/");
  });
}

const IN_IS_CONTENT = "function <isContent>";
const OF_B = "thunk from <function <isContent>>";
const IS_CONTENT = {
  b: stdSite(1625, 10, 11, IN_IS_CONTENT),
  isArray: stdSite(1627, 15, 29, IN_IS_CONTENT),
  isArrayB: stdSite(1627, 27, 28, OF_B),
  isObject: stdSite(1629, 15, 30, IN_IS_CONTENT),
  isObjectB: stdSite(1629, 28, 29, OF_B),
  arrayLength: stdSite(1628, 9, 22, IN_IS_CONTENT),
  arrayLengthB: stdSite(1628, 20, 21, OF_B),
  objectLength: stdSite(1630, 9, 22, IN_IS_CONTENT),
  objectLengthB: stdSite(1630, 20, 21, OF_B),
};

/**
 * prune's local `isContent(b)` (lines 1624–1632), called at `call`: false for null, `std.length(b) > 0` for an array or
 * an object, true otherwise.
 */
function isContent(std: StdCode, call: NamedPlace, b: Thunk): boolean {
  return std.call(call, () => {
    if (std.read(IS_CONTENT.b, b) === null) return false;
    const isArray = isTypeTraced(std, "array", IS_CONTENT.isArray, IS_CONTENT.isArrayB, b);
    if (!isArray && !isTypeTraced(std, "object", IS_CONTENT.isObject, IS_CONTENT.isObjectB, b)) return true;
    const length = isArray
      ? std.argument(IS_CONTENT.arrayLength, IS_CONTENT.arrayLengthB, b)
      : std.argument(IS_CONTENT.objectLength, IS_CONTENT.objectLengthB, b);
    return lengthOf(length) > 0;
  });
}

const PRUNE = {
  isArray: site(1633, 8, 22),
  isArrayA: arg(1633, 20, 21),
  elements: extent(1634, 7, 57),
  elementsA: arg(1634, 26, 27),
  elementCondition: site(1634, 35, 56),
  elementPrune: arg(1634, 45, 55),
  elementX: arg(1634, 53, 54, 2),
  isObject: site(1635, 13, 28),
  isObjectA: arg(1635, 26, 27),
  fieldsMerge: stdSite(1635, 34, 6, "", 1639),
  fieldNames: site(1637, 16, 35),
  fieldNamesA: arg(1637, 33, 34),
  fieldCondition: site(1638, 10, 36),
  fieldPrune: arg(1638, 20, 35),
  fieldValue: arg(1638, 30, 34, 2),
};

/**
 * std.prune (lines 1623–1640): `[std.prune(x) for x in a if isContent($.prune(x))]` for an array, `{ [x]:
 * $.prune(a[x]) for x in std.objectFields(a) if isContent(std.prune(a[x])) }` for an object, else `a`. The kept
 * element or field is std.jsonnet's second prune of the same value, a pure function of it: the value the condition
 * computed is kept rather than computed again (go-jsonnet's second pass is no deeper than the first, so it cannot fail
 * where the first did not).
 */
function prune(std: StdCode, helpers: ObjectHelpers, a: Thunk): Value {
  if (isTypeTraced(std, "array", PRUNE.isArray, PRUNE.isArrayA, a)) {
    return std.comprehension(
      PRUNE.elements,
      () => std.read(PRUNE.elementsA, a),
      (x) => {
        const pruned = std.lazy(() => std.call(PRUNE.elementPrune, () => prune(std, helpers, std.variable(PRUNE.elementX, x))));
        return isContent(std, PRUNE.elementCondition, pruned) ? [Thunk.of(pruned.get())] : [];
      },
    );
  }
  if (!isTypeTraced(std, "object", PRUNE.isObject, PRUNE.isObjectA, a)) return a.get();
  const object = objectOf(a.get());
  const kept = new Map<string, LayerField>();
  // `$objectFlatMerge(…)` of the comprehension's one-field objects ends the body; its argument is a thunk.
  std.tailCall(PRUNE.fieldsMerge, () =>
    std.comprehension(
      PRUNE.fieldsMerge.loc,
      () => std.call(PRUNE.fieldNames, () => helpers.objectFields(std.variable(PRUNE.fieldNamesA, a), false)),
      (x) => {
        const name = fieldName(x);
        const field = std.lazy(() => std.at(PRUNE.fieldValue, () => object.get(name)));
        const pruned = std.lazy(() => std.call(PRUNE.fieldPrune, () => prune(std, helpers, field)));
        if (!isContent(std, PRUNE.fieldCondition, pruned)) return [];
        const value = pruned.get();
        kept.set(name, { visibility: "inherit", plus: false, compute: () => value });
        return [x];
      },
    ),
  );
  return new JObject([{ fields: kept }]);
}

export function objectFunctions(
  std: StdCode,
  context: StdContext,
  helpers: ObjectHelpers,
  define: (params: string[], body: (args: Thunk[]) => Value) => Definition,
) {
  return {
    count: define(["arr", "x"], ([arr, x]) => count(std, given(arr), given(x))),
    flattenDeepArray: define(["value"], ([value]) => flattenDeepArray(std, context, given(value))),
    objectValues: define(["o"], ([o]) => objectValues(std, helpers, given(o), false, false)),
    objectValuesAll: define(["o"], ([o]) => objectValues(std, helpers, given(o), true, false)),
    objectKeysValues: define(["o"], ([o]) => objectValues(std, helpers, given(o), false, true)),
    objectKeysValuesAll: define(["o"], ([o]) => objectValues(std, helpers, given(o), true, true)),
    prune: define(["a"], ([a]) => prune(std, helpers, given(a))),
    resolvePath: define(["f", "r"], ([f, r]) => resolvePath(std, helpers, given(f), given(r))),
  } satisfies Record<string, Definition>;
}

const given = (thunk: Thunk | undefined) => thunk ?? Thunk.of(null);
