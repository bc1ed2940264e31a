import { RuntimeFailure } from "./errors";
import { compare } from "./operators";
import { array, bool, callWith, obj, sortedFields, str, type Definitions, type StdContext } from "./std-support";
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
    isString: { params: ["v"], body: ([v]) => typeof v === "string" },
    isNumber: { params: ["v"], body: ([v]) => typeof v === "number" },
    isBoolean: { params: ["v"], body: ([v]) => typeof v === "boolean" },
    isObject: { params: ["v"], body: ([v]) => v instanceof JObject },
    isArray: { params: ["v"], body: ([v]) => v instanceof JArray },
    isFunction: { params: ["v"], body: ([v]) => v instanceof JFunction },
    length: {
      params: ["x"],
      body: ([x]) => {
        if (typeof x === "string") return Array.from(x).length;
        if (x instanceof JArray) return x.elements.length;
        if (x instanceof JObject) return x.visibleFields().length;
        if (x instanceof JFunction) return x.params.filter((p) => !p.hasDefault).length;
        throw new RuntimeFailure(`length operates on strings, objects, functions and arrays, got ${typeName(x ?? null)}`);
      },
    },
    objectHas: { params: ["o", "f"], body: ([o, f]) => obj(o).visibleFields().includes(str(f)) },
    objectHasAll: { params: ["o", "f"], body: ([o, f]) => obj(o).hasField(str(f)) },
    objectHasEx: {
      params: ["obj", "fname", "hidden"],
      body: ([o, f, h]) => {
        const object = obj(o);
        const name = str(f);
        return bool(h) ? object.hasField(name) : object.visibleFields().includes(name);
      },
    },
    objectFields: { params: ["o"], body: ([o]) => fields(obj(o), false) },
    objectFieldsAll: { params: ["o"], body: ([o]) => fields(obj(o), true) },
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
    mapWithKey: {
      params: ["func", "obj"],
      body: ([f, o]) => {
        if (!(f instanceof JFunction)) throw new RuntimeFailure(`std.mapWithKey first param must be function, got ${typeName(f ?? null)}`);
        if (!(o instanceof JObject)) throw new RuntimeFailure(`std.mapWithKey second param must be object, got ${typeName(o ?? null)}`);
        return JObject.fromEntries(sortedFields(o, false).map((name) => [name, new Thunk(() => callWith(context, f, name, o.get(name)))]));
      },
    },
    get: {
      params: ["o", "f", "default", "inc_hidden"],
      required: 2,
      lazyBody: ([o, f, fallback, incHidden]) => {
        const object = obj(o?.get());
        const name = str(f?.get());
        const present = (incHidden?.get() ?? true) === true ? object.hasField(name) : object.visibleFields().includes(name);
        if (present) return object.get(name);
        return fallback ? fallback.get() : null;
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
