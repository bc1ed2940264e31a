import { RuntimeFailure } from "./errors";
import { format } from "./format";
import {
  compareStrings,
  equals,
  fromJson,
  JArray,
  JFunction,
  JObject,
  manifestJsonText,
  quoteJson,
  Thunk,
  toStringValue,
  typeName,
  type CallArgs,
  type LayerField,
  type Value,
} from "./values";

/**
 * The part of Jsonnet's standard library mappers and web hook bodies use.
 * Every field is hidden, as go-jsonnet's `std` is; a function outside this
 * list is refused by name rather than reported as a missing field.
 */

export interface StdContext {
  extVars: ReadonlyMap<string, Thunk>;
  filename: string;
  /** Calls a Jsonnet function (keeps the evaluator's stack accounting). */
  call: (fn: JFunction, args: CallArgs) => Value;
  /** Charges elements the library is about to build against the evaluation's limits. */
  charge: (elements: number) => void;
  /** Matches call arguments to parameters by position and name. */
  matchArguments: (params: readonly { name: string }[], args: CallArgs, name: string) => (Thunk | undefined)[];
}

class StdObject extends JObject {
  override lookup(name: string, below: number): Value {
    if (!this.hasField(name, below)) {
      throw new RuntimeFailure(`std.${name} is not supported by the embedded Jsonnet evaluator`, undefined, "unsupported");
    }
    return super.lookup(name, below);
  }
}

type Builtin = (args: Value[]) => Value;
interface Definition {
  params: string[];
  /** Parameters that may be left out, with the value they then take. */
  defaults?: Record<string, Value>;
  body?: Builtin;
  /** A body given the unforced arguments (std.get's default must not be evaluated when the field exists). */
  lazyBody?: (args: (Thunk | undefined)[]) => Value;
}

const str = (value: Value, fn: string, param = "first"): string => {
  if (typeof value !== "string") throw new RuntimeFailure(`std.${fn} ${param} parameter should be a string, got ${typeName(value)}`);
  return value;
};
const num = (value: Value, fn: string, param = "first"): number => {
  if (typeof value !== "number") throw new RuntimeFailure(`std.${fn} ${param} parameter should be a number, got ${typeName(value)}`);
  return value;
};
const arr = (value: Value, fn: string, param = "first"): Value[] => {
  if (!(value instanceof JArray)) throw new RuntimeFailure(`std.${fn} ${param} parameter should be an array, got ${typeName(value)}`);
  return value.elements.map((e) => e.get());
};
const obj = (value: Value, fn: string, param = "first"): JObject => {
  if (!(value instanceof JObject)) throw new RuntimeFailure(`std.${fn} ${param} parameter should be an object, got ${typeName(value)}`);
  return value;
};
const fun = (value: Value, fn: string, param = "first"): JFunction => {
  if (!(value instanceof JFunction)) throw new RuntimeFailure(`std.${fn} ${param} parameter should be a function, got ${typeName(value)}`);
  return value;
};
const array = (values: Value[]) => new JArray(values.map((v) => Thunk.of(v)));
const sortedFields = (o: JObject, hidden: boolean) => (hidden ? [...o.fieldVisibility().keys()] : o.visibleFields()).sort(compareStrings);
const WHITESPACE = " \t\n\f\r\v\u0085\u00a0";

function strip(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(Array.from(chars));
  const points = Array.from(s);
  let from = 0;
  let to = points.length;
  while (left && from < to && set.has(points[from] as string)) from++;
  while (right && to > from && set.has(points[to - 1] as string)) to--;
  return points.slice(from, to).join("");
}

function splitLimit(s: string, sep: string, limit: number): string[] {
  if (sep === "") throw new RuntimeFailure("std.splitLimit second parameter should have length 1 or greater, got 0");
  const parts = s.split(sep);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  return [...parts.slice(0, limit), parts.slice(limit).join(sep)];
}

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

function sortKey(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (a instanceof JArray && b instanceof JArray) {
    for (let i = 0; i < Math.min(a.elements.length, b.elements.length); i++) {
      const c = sortKey((a.elements[i] as Thunk).get(), (b.elements[i] as Thunk).get());
      if (c !== 0) return c;
    }
    return a.elements.length - b.elements.length;
  }
  throw new RuntimeFailure(`std.sort: cannot compare ${typeName(a)} and ${typeName(b)}`);
}

export function createStd(context: StdContext): JObject {
  const callWith = (fn: JFunction, ...values: Value[]) =>
    context.call(fn, { positional: values.map((v) => Thunk.of(v)), named: new Map() });
  const keyed = (values: Value[], keyF: Value) =>
    keyF === null ? values.map((v) => [v, v]) : values.map((v) => [callWith(fun(keyF, "sort", "keyF"), v), v]);
  const defs: Record<string, Definition> = {
    extVar: {
      params: ["x"],
      body: ([x]) => {
        const name = str(x ?? null, "extVar");
        const value = context.extVars.get(name);
        if (!value) throw new RuntimeFailure(`Undefined external variable: ${name}`);
        return value.get();
      },
    },
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
        if (x instanceof JFunction) return x.params.length;
        throw new RuntimeFailure(`length operates on strings, objects, functions and arrays, got ${typeName(x ?? null)}`);
      },
    },
    objectHas: {
      params: ["o", "f"],
      body: ([o, f]) =>
        obj(o ?? null, "objectHas")
          .visibleFields()
          .includes(str(f ?? null, "objectHas", "second")),
    },
    objectHasAll: {
      params: ["o", "f"],
      body: ([o, f]) => obj(o ?? null, "objectHasAll").hasField(str(f ?? null, "objectHasAll", "second")),
    },
    objectFields: { params: ["o"], body: ([o]) => array(sortedFields(obj(o ?? null, "objectFields"), false)) },
    objectFieldsAll: { params: ["o"], body: ([o]) => array(sortedFields(obj(o ?? null, "objectFieldsAll"), true)) },
    objectValues: {
      params: ["o"],
      body: ([o]) => {
        const object = obj(o ?? null, "objectValues");
        return array(sortedFields(object, false).map((name) => object.get(name)));
      },
    },
    get: {
      params: ["o", "f", "default", "inc_hidden"],
      lazyBody: ([o, f, fallback, incHidden]) => {
        if (!o || !f) throw new RuntimeFailure(`Missing argument: ${o ? "f" : "o"}`);
        const object = obj(o.get(), "get");
        const name = str(f.get(), "get", "second");
        const present = (incHidden?.get() ?? true) === true ? object.hasField(name) : object.visibleFields().includes(name);
        if (present) return object.get(name);
        return fallback ? fallback.get() : null;
      },
    },
    toString: { params: ["a"], body: ([a]: Value[]) => toStringValue(a ?? null) },
    format: { params: ["str", "vals"], body: ([s, vals]) => format(str(s ?? null, "format"), vals ?? null) },
    split: { params: ["str", "c"], body: ([s, c]) => array(splitLimit(str(s ?? null, "split"), str(c ?? null, "split", "second"), -1)) },
    splitLimit: {
      params: ["str", "c", "maxsplits"],
      body: ([s, c, n]) =>
        array(splitLimit(str(s ?? null, "splitLimit"), str(c ?? null, "splitLimit", "second"), num(n ?? null, "splitLimit", "third"))),
    },
    join: {
      params: ["sep", "arr"],
      body: ([sep, items]) => {
        const values = arr(items ?? null, "join", "second");
        if (typeof sep === "string") {
          const parts = values.filter((v) => v !== null).map((v) => str(v, "join", "array element"));
          context.charge(parts.reduce((total, part) => total + part.length, 0) + sep.length * Math.max(0, parts.length - 1));
          return parts.join(sep);
        }
        if (sep instanceof JArray) {
          const out: Thunk[] = [];
          values
            .filter((v) => v !== null)
            .forEach((v, i) => {
              if (!(v instanceof JArray)) throw new RuntimeFailure(`join expected array, got ${typeName(v)}`);
              if (i > 0) out.push(...sep.elements);
              out.push(...v.elements);
            });
          return new JArray(out);
        }
        throw new RuntimeFailure(`join first parameter should be string or array, got ${typeName(sep ?? null)}`);
      },
    },
    startsWith: { params: ["a", "b"], body: ([a, b]) => str(a ?? null, "startsWith").startsWith(str(b ?? null, "startsWith", "second")) },
    endsWith: { params: ["a", "b"], body: ([a, b]) => str(a ?? null, "endsWith").endsWith(str(b ?? null, "endsWith", "second")) },
    asciiLower: { params: ["str"], body: ([s]) => str(s ?? null, "asciiLower").replace(/[A-Z]/g, (c) => c.toLowerCase()) },
    asciiUpper: { params: ["str"], body: ([s]) => str(s ?? null, "asciiUpper").replace(/[a-z]/g, (c) => c.toUpperCase()) },
    substr: {
      params: ["str", "from", "len"],
      body: ([s, from, len]) =>
        Array.from(str(s ?? null, "substr"))
          .slice(num(from ?? null, "substr", "second"), num(from ?? null, "substr", "second") + num(len ?? null, "substr", "third"))
          .join(""),
    },
    strReplace: {
      params: ["str", "from", "to"],
      body: ([s, from, to]) => {
        const pattern = str(from ?? null, "strReplace", "second");
        if (pattern === "") throw new RuntimeFailure("'from' string must not be zero length.");
        const pieces = str(s ?? null, "strReplace").split(pattern);
        const replacement = str(to ?? null, "strReplace", "third");
        context.charge(pieces.reduce((total, piece) => total + piece.length, 0) + replacement.length * (pieces.length - 1));
        return pieces.join(replacement);
      },
    },
    stripChars: {
      params: ["str", "chars"],
      body: ([s, c]) => strip(str(s ?? null, "stripChars"), str(c ?? null, "stripChars", "second"), true, true),
    },
    lstripChars: {
      params: ["str", "chars"],
      body: ([s, c]) => strip(str(s ?? null, "lstripChars"), str(c ?? null, "lstripChars", "second"), true, false),
    },
    rstripChars: {
      params: ["str", "chars"],
      body: ([s, c]) => strip(str(s ?? null, "rstripChars"), str(c ?? null, "rstripChars", "second"), false, true),
    },
    trim: { params: ["str"], body: ([s]) => strip(str(s ?? null, "trim"), WHITESPACE, true, true) },
    isEmpty: { params: ["str"], body: ([s]) => str(s ?? null, "isEmpty") === "" },
    escapeStringJson: { params: ["str"], body: ([s]) => quoteJson(toStringValue(s ?? null)) },
    parseInt: {
      params: ["str"],
      body: ([s]) => {
        const text = str(s ?? null, "parseInt");
        if (!/^-?[0-9]+$/.test(text)) throw new RuntimeFailure(`${JSON.stringify(text)} is not a base 10 integer`);
        return Number(text);
      },
    },
    parseJson: {
      params: ["str"],
      body: ([s]) => {
        try {
          return fromJson(JSON.parse(str(s ?? null, "parseJson")));
        } catch (error) {
          if (error instanceof RuntimeFailure) throw error;
          throw new RuntimeFailure(`failed to parse JSON: ${(error as Error).message}`);
        }
      },
    },
    manifestJson: { params: ["value"], body: ([v]) => manifestJsonText(v ?? null, "    ") },
    manifestJsonEx: {
      params: ["value", "indent", "newline", "key_val_sep"],
      defaults: { newline: "\n", key_val_sep: ": " },
      body: ([v, indent, newline]) =>
        manifestJsonText(v ?? null, str(indent ?? null, "manifestJsonEx", "second"), str(newline ?? null, "manifestJsonEx", "third")),
    },
    member: {
      params: ["arr", "x"],
      body: ([a, x]) => {
        if (typeof a === "string") return a.includes(str(x ?? null, "member", "second"));
        return arr(a ?? null, "member").some((v) => equals(v, x ?? null));
      },
    },
    contains: { params: ["arr", "elem"], body: ([a, x]) => arr(a ?? null, "contains").some((v) => equals(v, x ?? null)) },
    count: { params: ["arr", "x"], body: ([a, x]) => arr(a ?? null, "count").filter((v) => equals(v, x ?? null)).length },
    map: {
      params: ["func", "arr"],
      body: ([f, a]) => array(arr(a ?? null, "map", "second").map((v) => callWith(fun(f ?? null, "map"), v))),
    },
    filter: {
      params: ["func", "arr"],
      body: ([f, a]) => array(arr(a ?? null, "filter", "second").filter((v) => callWith(fun(f ?? null, "filter"), v) === true)),
    },
    flatMap: {
      params: ["func", "arr"],
      body: ([f, a]) =>
        array(arr(a ?? null, "flatMap", "second").flatMap((v) => arr(callWith(fun(f ?? null, "flatMap"), v), "flatMap", "result"))),
    },
    range: {
      params: ["from", "to"],
      body: ([from, to]) => {
        const first = num(from ?? null, "range");
        const last = num(to ?? null, "range", "second");
        context.charge(last - first + 1);
        const values: Value[] = [];
        for (let i = first; i <= last; i++) values.push(i);
        return array(values);
      },
    },
    flattenArrays: {
      params: ["arrs"],
      body: ([a]) => array(arr(a ?? null, "flattenArrays").flatMap((v) => arr(v, "flattenArrays", "element"))),
    },
    reverse: { params: ["arr"], body: ([a]) => array(arr(a ?? null, "reverse").reverse()) },
    sort: {
      params: ["arr", "keyF"],
      defaults: { keyF: null },
      body: ([a, keyF]) =>
        array(
          keyed(arr(a ?? null, "sort"), keyF ?? null)
            .sort(([ka], [kb]) => sortKey(ka ?? null, kb ?? null))
            .map(([, v]) => v ?? null),
        ),
    },
    uniq: {
      params: ["arr", "keyF"],
      defaults: { keyF: null },
      body: ([a, keyF]) => {
        const pairs = keyed(arr(a ?? null, "uniq"), keyF ?? null);
        return array(pairs.filter(([k], i) => i === 0 || !equals(k ?? null, pairs[i - 1]?.[0] ?? null)).map(([, v]) => v ?? null));
      },
    },
    prune: { params: ["a"], body: ([a]) => prune(a ?? null) },
    mergePatch: { params: ["target", "patch"], body: ([t, p]) => mergePatch(t ?? null, p ?? null) },
    equals: { params: ["a", "b"], body: ([a, b]) => equals(a ?? null, b ?? null) },
    abs: { params: ["n"], body: ([n]) => Math.abs(num(n ?? null, "abs")) },
    max: { params: ["a", "b"], body: ([a, b]) => Math.max(num(a ?? null, "max"), num(b ?? null, "max", "second")) },
    min: { params: ["a", "b"], body: ([a, b]) => Math.min(num(a ?? null, "min"), num(b ?? null, "min", "second")) },
    floor: { params: ["x"], body: ([x]) => Math.floor(num(x ?? null, "floor")) },
    ceil: { params: ["x"], body: ([x]) => Math.ceil(num(x ?? null, "ceil")) },
    char: { params: ["n"], body: ([n]) => String.fromCodePoint(num(n ?? null, "char")) },
    codepoint: {
      params: ["str"],
      body: ([s]) => {
        const points = Array.from(str(s ?? null, "codepoint"));
        if (points.length !== 1) throw new RuntimeFailure(`codepoint takes a string of length 1, got length ${points.length}`);
        return points[0]?.codePointAt(0) ?? 0;
      },
    },
    base64: { params: ["input"], body: ([s]) => Buffer.from(str(s ?? null, "base64"), "utf8").toString("base64") },
    base64Decode: { params: ["str"], body: ([s]) => Buffer.from(str(s ?? null, "base64Decode"), "base64").toString("utf8") },
    manifestPython: {
      params: ["v"],
      body: () => {
        throw new RuntimeFailure("std.manifestPython is not supported by the embedded Jsonnet evaluator", undefined, "unsupported");
      },
    },
  };

  const fields = new Map<string, LayerField>();
  for (const [name, def] of Object.entries(defs)) {
    const signature = def.params.map((p, i) => ({
      name: p,
      hasDefault: (def.defaults !== undefined && Object.hasOwn(def.defaults, p)) || (def.lazyBody !== undefined && i >= 2),
    }));
    const fn = new JFunction(
      signature,
      (args) => {
        const given = context.matchArguments(signature, args, `std.${name}`);
        if (def.lazyBody) return def.lazyBody(given);
        const values = def.params.map((param, i) => {
          const thunk = given[i];
          if (thunk) return thunk.get();
          if (def.defaults && Object.hasOwn(def.defaults, param)) return def.defaults[param] ?? null;
          throw new RuntimeFailure(`Missing argument: ${param}`);
        });
        return (def.body as Builtin)(values);
      },
      `std.${name}`,
    );
    fields.set(name, { visibility: "hidden", plus: false, compute: () => fn });
  }
  fields.set("thisFile", { visibility: "hidden", plus: false, compute: () => context.filename });
  return new StdObject([{ fields }]);
}
