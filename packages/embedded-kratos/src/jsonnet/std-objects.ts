import { RuntimeFailure } from "./errors";
import { array, bool, obj, sortedFields, str, type Definitions, type StdContext } from "./std-support";
import { equals, JArray, JFunction, JObject, typeName, type LayerField, type Value } from "./values";

/** std's object, type and reflection functions (go-jsonnet builtins.go and std.jsonnet). */

/** builtinLength: a string's code points, an array's elements, an object's visible fields, a function's required parameters. */
export function lengthOf(x: Value): number {
  if (typeof x === "string") return Array.from(x).length;
  if (x instanceof JArray) return x.elements.length;
  if (x instanceof JObject) return x.visibleFields().length;
  if (x instanceof JFunction) return x.params.filter((p) => !p.hasDefault).length;
  // typeErrorGeneral: the type alone, without what was expected.
  throw new RuntimeFailure(`Unexpected type ${typeName(x)}`);
}

export function objectDefinitions(context: StdContext): Definitions {
  const fields = (o: JObject, hidden: boolean) => array(sortedFields(o, hidden));
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
    xor: { params: ["x", "y"], body: ([x, y]) => (bool(x), bool(y), x !== y) },
    xnor: { params: ["x", "y"], body: ([x, y]) => (bool(x), bool(y), x === y) },
  };
}
