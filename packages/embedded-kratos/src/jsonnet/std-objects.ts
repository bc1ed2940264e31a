import { RuntimeFailure } from "./errors";
import { compare } from "./operators";
import { array, bool, obj, sortedFields, str, type Definitions, type StdContext } from "./std-support";
import { compareStrings, equals, JArray, JFunction, JObject, Thunk, toStringValue, typeName, type LayerField, type Value } from "./values";

/** std's object, type and reflection functions (go-jsonnet builtins.go and std.jsonnet). */

function prune(value: Value): Value {
  const empty = (v: Value) =>
    v === null || (v instanceof JArray && !v.elements.length) || (v instanceof JObject && !v.visibleFields().length);
  if (value instanceof JArray) return array(value.elements.map((e) => prune(e.get())).filter((v) => !empty(v)));
  if (value instanceof JObject) {
    const entries: [string, Thunk][] = [];
    for (const name of sortedFields(value, false)) {
      const pruned = prune(value.get(name));
      if (!empty(pruned)) entries.push([name, Thunk.of(pruned)]);
    }
    return JObject.fromEntries(entries);
  }
  return value;
}

/** builtinLength: a string's code points, an array's elements, an object's visible fields, a function's required parameters. */
export function lengthOf(x: Value): number {
  if (typeof x === "string") return Array.from(x).length;
  if (x instanceof JArray) return x.elements.length;
  if (x instanceof JObject) return x.visibleFields().length;
  if (x instanceof JFunction) return x.params.filter((p) => !p.hasDefault).length;
  // typeErrorGeneral: the type alone, without what was expected.
  throw new RuntimeFailure(`Unexpected type ${typeName(x)}`);
}

/** RFC 7396 over visible fields, as std.mergePatch. */
function mergePatch(target: Value, patch: Value): Value {
  if (!(patch instanceof JObject)) return patch;
  const base = target instanceof JObject ? target : JObject.fromEntries([]);
  const names = new Set([...sortedFields(base, false), ...sortedFields(patch, false)]);
  const entries: [string, Thunk][] = [];
  for (const name of [...names].sort(compareStrings)) {
    const inPatch = patch.visibleFields().includes(name);
    if (!inPatch) {
      entries.push([name, Thunk.of(base.get(name))]);
      continue;
    }
    const patchValue = patch.get(name);
    if (patchValue === null) continue;
    const baseValue = base.visibleFields().includes(name) ? base.get(name) : null;
    entries.push([name, Thunk.of(mergePatch(baseValue, patchValue))]);
  }
  return JObject.fromEntries(entries);
}

/** std.__compare: three-way comparison of numbers, strings and arrays of them. */
function threeWay(a: Value, b: Value): number {
  if (typeName(a) !== typeName(b)) throw new RuntimeFailure(`Comparison requires matching types. Got ${typeName(a)} and ${typeName(b)}`);
  if (a instanceof JFunction || a instanceof JObject || typeof a === "boolean") {
    throw new RuntimeFailure(`Values of type ${typeName(a)} are not comparable.`);
  }
  return Math.sign(compare(a, b));
}

export function objectDefinitions(context: StdContext): Definitions {
  const fields = (o: JObject, hidden: boolean) => array(sortedFields(o, hidden));
  const values = (o: JObject, hidden: boolean) => array(sortedFields(o, hidden).map((name) => o.get(name)));
  const keysValues = (o: JObject, hidden: boolean) =>
    array(
      sortedFields(o, hidden).map((name) =>
        JObject.fromEntries([
          ["key", Thunk.of(name)],
          ["value", new Thunk(() => o.get(name))],
        ]),
      ),
    );
  return {
    extVar: {
      params: ["x"],
      body: ([x]) => {
        const name = str(x);
        const value = context.extVars.get(name);
        if (!value) throw new RuntimeFailure(`Undefined external variable: ${name}`);
        return value.get();
      },
    },
    // Kratos registers no native functions, so every name is unknown: go-jsonnet's builtinNative answers null.
    native: { params: ["x"], body: ([x]) => (str(x), null) },
    trace: {
      params: ["str", "rest"],
      body: ([s, rest]) => {
        context.trace(`TRACE: ${context.filename} ${str(s)}`);
        return rest ?? null;
      },
    },
    id: { params: ["x"], body: ([x]) => x ?? null },
    type: { params: ["x"], body: ([x]) => typeName(x ?? null) },
    length: {
      params: ["x"],
      body: ([x]) => lengthOf(x ?? null),
    },
    objectHasEx: {
      params: ["obj", "fname", "hidden"],
      body: ([o, f, h]) => {
        const object = obj(o);
        const name = str(f);
        return bool(h) ? object.hasField(name) : object.visibleFields().includes(name);
      },
    },
    objectFieldsEx: { params: ["obj", "hidden"], body: ([o, h]) => fields(obj(o), bool(h)) },
    objectValues: { params: ["o"], body: ([o]) => values(obj(o), false) },
    objectValuesAll: { params: ["o"], body: ([o]) => values(obj(o), true) },
    objectKeysValues: { params: ["o"], body: ([o]) => keysValues(obj(o), false) },
    objectKeysValuesAll: { params: ["o"], body: ([o]) => keysValues(obj(o), true) },
    objectRemoveKey: {
      params: ["obj", "key"],
      body: ([o, k]) => {
        const object = obj(o);
        const key = str(k);
        const kept = new Map<string, LayerField>();
        for (const [name, visible] of object.fieldVisibility()) {
          if (name !== key) kept.set(name, { visibility: visible ? "inherit" : "hidden", plus: false, compute: () => object.get(name) });
        }
        return new JObject([{ fields: kept }]);
      },
    },
    prune: { params: ["a"], body: ([a]) => prune(a ?? null) },
    mergePatch: { params: ["target", "patch"], body: ([t, p]) => mergePatch(t ?? null, p ?? null) },
    equals: { params: ["x", "y"], body: ([a, b]) => equals(a ?? null, b ?? null) },
    primitiveEquals: {
      params: ["x", "y"],
      body: ([a, b]) => {
        const x = a ?? null;
        const y = b ?? null;
        if (typeName(x) !== typeName(y)) return false;
        if (x instanceof JFunction) throw new RuntimeFailure("Cannot test equality of functions");
        if (x instanceof JArray || x instanceof JObject)
          throw new RuntimeFailure(`primitiveEquals operates on primitive types, got ${typeName(x)}`);
        return x === y;
      },
    },
    resolvePath: {
      params: ["f", "r"],
      body: ([f, r]) => {
        const parts = str(f).split("/");
        return [...parts.slice(0, -1), toStringValue(r ?? null)].join("/");
      },
    },
    __compare: { params: ["v1", "v2"], body: ([a, b]) => threeWay(a ?? null, b ?? null) },
    __compare_array: { params: ["arr1", "arr2"], body: ([a, b]) => threeWay(a ?? null, b ?? null) },
    __array_less: { params: ["arr1", "arr2"], body: ([a, b]) => threeWay(a ?? null, b ?? null) === -1 },
    __array_greater: { params: ["arr1", "arr2"], body: ([a, b]) => threeWay(a ?? null, b ?? null) === 1 },
    __array_less_or_equal: { params: ["arr1", "arr2"], body: ([a, b]) => threeWay(a ?? null, b ?? null) <= 0 },
    __array_greater_or_equal: { params: ["arr1", "arr2"], body: ([a, b]) => threeWay(a ?? null, b ?? null) >= 0 },
    xor: { params: ["x", "y"], body: ([x, y]) => (bool(x), bool(y), x !== y) },
    xnor: { params: ["x", "y"], body: ([x, y]) => (bool(x), bool(y), x === y) },
  };
}
