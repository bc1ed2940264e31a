import { RuntimeFailure } from "./errors";
import { manifestJsonEx } from "./std-manifest";
import { isTypeTraced, StdCode, stdSite, type TypeName } from "./std-frames";
import { arrayFunctions } from "./std-jsonnet-arrays";
import { compareFunctions } from "./std-jsonnet-compare";
import { StdMergePatch } from "./std-jsonnet-merge-patch";
import { hasField, objectHasTraced } from "./std-object-has";
import { objectFunctions } from "./std-jsonnet-objects";
import { mathFunctions } from "./std-jsonnet-math";
import { StdSetOperations } from "./std-jsonnet-set-ops";
import { StdSets } from "./std-jsonnet-sets";
import { stringFunctions } from "./std-jsonnet-strings";
import { sortArray } from "./std-sets";
import { lengthOf } from "./std-objects";
import { splitLimit } from "./std-strings";
import { codePoints, sortedFields, type Definition, type Definitions, type StdContext } from "./std-support";
import type { NamedPlace } from "./stack";
import { equals, JArray, JFunction, JObject, plus, Thunk, typeName, type Value } from "./values";

/**
 * The std functions Kratos mappers and web hook bodies use most that go-jsonnet v0.21 runs as std.jsonnet code (not
 * builtins.go funcBuiltins): map, mapWithIndex, mapWithKey, filterMap, get, objectFields(All), objectHas(All),
 * manifestJson(Minified), startsWith, endsWith. Each walks the calls, variable reads and `error`s of its std.jsonnet
 * code at their positions (std-frames.ts), so a failure inside carries the `<std>:<line>:<col>` frames go-jsonnet
 * prints; the positions are checked against a go-jsonnet v0.21 build in testdata/go-jsonnet-std-frames.json.
 */

const METHOD = "function <anonymous>";
const METHOD_ARG = "thunk from <function <anonymous>>";
const site = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, METHOD);
const arg = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, METHOD_ARG);

/** go-jsonnet's location-less node (builtinMakeArray's element body), printed as an empty trace line. */
const UNPLACED = { message: "" };

export class StdFunctions {
  /** The std.jsonnet code moves (std-frames.ts) these bodies are written in. */
  readonly std: StdCode;

  constructor(private readonly context: StdContext) {
    this.std = new StdCode(context.stack);
  }

  /** See isTypeTraced. */
  isType(type: TypeName, call: NamedPlace, variable: NamedPlace, thunk: Thunk): boolean {
    return isTypeTraced(this.std, type, call, variable, thunk);
  }

  /** A builtin called at `call` with variables as arguments: each argument thunk is forced in order, in a frame of its own. */
  builtinArguments(call: NamedPlace, args: [NamedPlace, Thunk][]): Value[] {
    return args.map(([variable, thunk]) => this.std.argument(call, variable, thunk));
  }

  /**
   * std.map / std.mapWithIndex (std.jsonnet lines 273–287): checks, then `std.makeArray(std.length(arr), function(i)
   * func(arr[i]))`, whose elements each call `func` when read.
   */
  map(func: Thunk, arr: Thunk, withIndex: boolean): Value {
    const base = withIndex ? 282 : 274;
    const name = withIndex ? "std.mapWithIndex" : "std.map";
    if (!this.isType("function", site(base, 9, 29), arg(base, 24, 28), func)) {
      return this.fail(site(base + 1, 7, withIndex ? 85 : 76), `${name} first param must be function, got ${typeName(func.get())}`);
    }
    const isArray = this.isType("array", site(base + 2, 14, 30), arg(base + 2, 26, 29), arr);
    const value = arr.get();
    if (!isArray && typeof value !== "string") {
      const expected = withIndex ? "array" : "array / string";
      return this.fail(site(base + 3, 7, 82), `${name} second param must be ${expected}, got ${typeName(value)}`);
    }
    // `std.makeArray(…)` ends the body.
    this.std.endsInCall();
    const fn = func.get();
    if (!(fn instanceof JFunction)) throw new RuntimeFailure("unreachable: checked above");
    const elements = value instanceof JArray ? value.elements : codePoints(typeof value === "string" ? value : "").map((c) => Thunk.of(c));
    const callSite = withIndex ? site(287, 50, 65) : site(279, 50, 62);
    const indexSite = withIndex ? arg(287, 58, 64) : arg(279, 55, 61);
    const { stack } = this.context;
    const element = (item: Thunk, i: number) =>
      new Thunk(() =>
        stack.frame(() =>
          stack.at(UNPLACED, () =>
            stack.frame(() =>
              stack.at(callSite, () => {
                const read = this.std.lazy(() => this.std.at(indexSite, () => item.get()));
                const positional = withIndex ? [Thunk.of(i), read] : [read];
                return this.context.call(fn, { positional, named: new Map() });
              }),
            ),
          ),
        ),
      );
    return new JArray(
      elements.map((item, i) => {
        this.context.step();
        return element(item, i);
      }),
    );
  }

  /** std.mapWithKey (lines 289–295): checks, then `{ [k]: func(k, obj[k]) for k in std.objectFields(obj) }`. */
  mapWithKey(func: Thunk, obj: Thunk): Value {
    if (!this.isType("function", site(290, 9, 29), arg(290, 24, 28), func)) {
      return this.fail(site(291, 7, 83), `std.mapWithKey first param must be function, got ${typeName(func.get())}`);
    }
    if (!this.isType("object", site(292, 14, 31), arg(292, 27, 30), obj)) {
      return this.fail(site(293, 7, 81), `std.mapWithKey second param must be object, got ${typeName(obj.get())}`);
    }
    // The object comprehension is a call of std.$objectFlatMerge (desugarer.go desugarObjectComp), which ends the body.
    this.std.endsInCall();
    const fn = func.get();
    const object = obj.get();
    if (!(fn instanceof JFunction) || !(object instanceof JObject)) throw new RuntimeFailure("unreachable: checked above");
    const body = stdSite(295, 14, 29, "object <anonymous>");
    const value = stdSite(295, 22, 28, "thunk from <object <anonymous>>");
    const field = (name: string) =>
      // An object field is evaluated in a frame of its own, pushed from where it is read.
      this.std.lazy(() =>
        this.std.at(body, () => {
          const read = this.std.lazy(() => this.std.at(value, () => object.get(name)));
          return this.context.call(fn, { positional: [Thunk.of(name), read], named: new Map() });
        }),
      );
    return JObject.fromEntries(sortedFields(object, false).map((name) => [name, field(name)]));
  }

  /** std.filterMap (lines 832–840): checks, then `std.map(map_func, std.filter(filter_func, arr))`. */
  filterMap(filterFunc: Thunk, mapFunc: Thunk, arr: Thunk, filter: (f: Value, a: Value) => Value): Value {
    if (!this.isType("function", site(833, 9, 36), arg(833, 24, 35), filterFunc)) {
      return this.fail(site(834, 7, 89), `std.filterMap first param must be function, got ${typeName(filterFunc.get())}`);
    }
    if (!this.isType("function", site(835, 14, 38), arg(835, 29, 37), mapFunc)) {
      return this.fail(site(836, 7, 87), `std.filterMap second param must be function, got ${typeName(mapFunc.get())}`);
    }
    if (!this.isType("array", site(837, 14, 30), arg(837, 26, 29), arr)) {
      return this.fail(site(838, 7, 78), `std.filterMap third param must be array, got ${typeName(arr.get())}`);
    }
    const kept = this.std.lazy(() => this.std.at(arg(840, 25, 53), () => filter(filterFunc.get(), arr.get())));
    return this.std.tailCall(site(840, 7, 54), () => this.map(mapFunc, kept, false));
  }

  /** std.get (line 1556): `if std.objectHasEx(o, f, inc_hidden) then o[f] else default`. */
  get(o: Thunk, f: Thunk, fallback: Thunk | undefined, incHidden: Thunk | undefined): Value {
    const call = site(1556, 8, 41);
    const [object, name, hidden] = this.builtinArguments(call, [
      [arg(1556, 24, 25), o],
      [arg(1556, 27, 28), f],
      [arg(1556, 30, 40), incHidden ?? Thunk.of(true)],
    ]);
    const present = this.std.at(call, () => hasField(object, name, hidden));
    if (present && object instanceof JObject && typeof name === "string") return this.std.at(site(1556, 47, 51), () => object.get(name));
    return fallback ? this.std.read(site(1556, 57, 64), fallback) : null;
  }

  /** std.objectFields / objectFieldsAll (lines 1559, 1562): `std.objectFieldsEx(o, hidden)`. */
  objectFields(o: Thunk, hidden: boolean): Value {
    const call = hidden ? site(1562, 5, 32) : site(1559, 5, 33);
    // The body is this one builtin call.
    this.std.endsInCall();
    const [object] = this.builtinArguments(call, [[arg(call.loc.line, 24, 25), o]]);
    return this.std.at(call, () => {
      const value = expectObject(object);
      return new JArray(sortedFields(value, hidden).map((n) => Thunk.of(n)));
    });
  }

  /** std.objectHas / objectHasAll (lines 1565, 1568): `std.objectHasEx(o, f, hidden)`. */
  objectHas(o: Thunk, f: Thunk, hidden: boolean): Value {
    // The body is the one builtin call.
    this.std.endsInCall();
    return objectHasTraced(this.std, o, f, hidden);
  }

  /** std.manifestJson / manifestJsonMinified (lines 1048, 1050): std.manifestJsonEx with fixed layout. */
  manifestJson(value: Thunk, minified: boolean): Value {
    const call = minified ? site(1050, 33, 71) : site(1048, 25, 58);
    this.std.endsInCall();
    const [v] = this.builtinArguments(call, [[minified ? arg(1050, 52, 57) : arg(1048, 44, 49), value]]);
    return this.std.at(call, () => {
      const step = this.context.step;
      return minified ? manifestJsonEx(v ?? null, "", "", ":", step) : manifestJsonEx(v ?? null, "    ", "\n", ": ", step);
    });
  }

  /**
   * std.startsWith / endsWith (lines 47–57): compare the lengths (std.length of anything it measures), then
   * `std.substr(…) == b`, whose first assertion refuses a non-string `a`.
   */
  affix(a: Thunk, b: Thunk, end: boolean): Value {
    const line = end ? 54 : 48;
    const measure = (call: NamedPlace, variable: NamedPlace, thunk: Thunk) => {
      const value = this.std.argument(call, variable, thunk);
      return this.std.at(call, () => lengthOf(value));
    };
    const lengthA = measure(site(line, 8, 21), arg(line, 19, 20), a);
    const lengthB = measure(site(line, 24, 37), arg(line, 35, 36), b);
    if (lengthA < lengthB) return false;
    const text = a.get();
    const part = this.std.call(end ? site(57, 7, 66) : site(51, 7, 38), () => {
      if (typeof text !== "string") throw new RuntimeFailure(`substr first parameter should be a string, got ${typeName(text)}`);
      const chars = codePoints(text);
      return (end ? chars.slice(chars.length - lengthB) : chars.slice(0, lengthB)).join("");
    });
    return equals(part, b.get());
  }

  /** std.flattenArrays (line 890): `std.foldl(function(a, b) a + b, arrs, [])`. */
  flattenArrays(arrs: Thunk): Value {
    const fold = site(890, 5, 46);
    // The body is the std.foldl call.
    this.std.endsInCall();
    const list = this.std.argument(fold, arg(890, 37, 41), arrs);
    const elements = this.std.at(fold, () => foldElements(list));
    // `a + b` would copy the accumulated array at every step, quadratic in the result; while both sides are arrays the
    // elements are appended to one list instead, which is the same array. Anything else goes through `+` as written
    // (a string turns the rest into text, another type fails), from the array accumulated so far.
    let flat: Thunk[] | undefined = [];
    let acc: Value = null;
    for (const element of elements) {
      this.context.step();
      // builtinFoldl calls the function from its own place; `a + b` reads b (the element, unforced until then).
      this.std.call(fold, () => {
        const right = this.std.read(site(890, 34, 35), element);
        this.std.at(site(890, 30, 35), () => {
          if (flat && right instanceof JArray) {
            this.context.charge(right.elements.length);
            for (const item of right.elements) flat.push(item);
            return;
          }
          acc = plus(flat ? new JArray(flat) : acc, right);
          flat = undefined;
        });
      });
    }
    return flat ? new JArray(flat) : acc;
  }

  /** std.split (lines 114–118): three assertions, then `std.splitLimit(str, c, -1)`. */
  split(str: Thunk, c: Thunk): Value {
    // A failed assertion is its desugared `error`, which has the assertion's extent and no name.
    const assertion = (line: number) => ({ message: "", loc: { filename: "<std>", line, column: 5, endLine: 118, endColumn: 31 } });
    if (!this.isType("string", site(115, 12, 29), arg(115, 25, 28), str)) {
      return this.std.at(assertion(115), () => {
        throw new RuntimeFailure(`std.split first parameter must be a String, got ${typeName(str.get())}`);
      });
    }
    if (!this.isType("string", site(116, 12, 27), arg(116, 25, 26), c)) {
      return this.std.at(assertion(116), () => {
        throw new RuntimeFailure(`std.split second parameter must be a String, got ${typeName(c.get())}`);
      });
    }
    const [text, separator] = [str.get(), c.get()];
    if (typeof text !== "string" || typeof separator !== "string") throw new RuntimeFailure("unreachable: checked above");
    const length = codePoints(separator).length;
    if (length < 1) {
      return this.std.at(assertion(117), () => {
        throw new RuntimeFailure(`std.split second parameter must have length 1 or greater, got ${length}`);
      });
    }
    this.std.endsInCall();
    const parts = this.std.at(site(118, 5, 31), () => splitLimit(text, separator, -1));
    return new JArray(parts.map((part) => Thunk.of(part)));
  }

  private fail(at: NamedPlace, message: string): never {
    return this.std.fail(at, message);
  }
}

/** builtinFoldl's elements: an array's element thunks, or a string's characters. */
function foldElements(value: Value): Thunk[] {
  if (typeof value === "string") return codePoints(value).map((c) => Thunk.of(c));
  if (value instanceof JArray) return value.elements;
  throw new RuntimeFailure(`foldl second parameter should be string or array, got ${typeName(value)}`);
}

function expectObject(value: Value | undefined): JObject {
  if (!(value instanceof JObject)) throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected object`);
  return value;
}

/** A definition whose body gets its arguments unforced, `required` of them mandatory, run in the call's frame (closureCall). */
function lazy(fns: StdFunctions, params: string[], required: number, body: (args: (Thunk | undefined)[]) => Value): Definition {
  return {
    params,
    required,
    // std.ts reports a missing required argument before the body runs.
    lazyBody: (args, tailstrict) => fns.std.closureCall(args, tailstrict, () => body(args)),
  };
}

const given = (thunk: Thunk | undefined): Thunk => thunk ?? Thunk.of(null);

export function stdJsonnetFunctions(context: StdContext, filter: (f: Value, a: Value) => Value): Definitions {
  const fns = new StdFunctions(context);
  const sets = new StdSets(fns.std, context, (a, keyF) => sortArray(context, a, keyF));
  const keyF = (thunk: Thunk | undefined) => thunk ?? Thunk.of(sets.id);
  const setOps = new StdSetOperations(fns.std, context);
  const mergePatch = new StdMergePatch(fns.std, {
    objectFields: (o, hidden) => fns.objectFields(o, hidden),
    objectHas: (o, f, hidden) => fns.objectHas(o, f, hidden),
    setUnion: (a, b) => setOps.union(a, b, keyF(undefined)),
    setDiff: (a, b) => setOps.diff(a, b, keyF(undefined)),
  });
  const define = (params: string[], body: (args: Thunk[]) => Value) =>
    lazy(fns, params, params.length, (args) => body(params.map((_, i) => given(args[i]))));
  return {
    ...stringFunctions(fns.std, define, (f, a) => fns.map(f, a, false)),
    ...mathFunctions(fns.std, define),
    ...arrayFunctions(fns.std, define),
    ...compareFunctions(fns.std, define),
    ...objectFunctions(
      fns.std,
      context,
      { objectFields: (o, hidden) => fns.objectFields(o, hidden), split: (s, c) => fns.split(s, c) },
      define,
    ),
    mergePatch: define(["target", "patch"], ([target, patch]) => mergePatch.mergePatch(given(target), given(patch))),
    map: lazy(fns, ["func", "arr"], 2, ([f, a]) => fns.map(given(f), given(a), false)),
    mapWithIndex: lazy(fns, ["func", "arr"], 2, ([f, a]) => fns.map(given(f), given(a), true)),
    filterMap: lazy(fns, ["filter_func", "map_func", "arr"], 3, ([f, m, a]) => fns.filterMap(given(f), given(m), given(a), filter)),
    mapWithKey: lazy(fns, ["func", "obj"], 2, ([f, o]) => fns.mapWithKey(given(f), given(o))),
    get: lazy(fns, ["o", "f", "default", "inc_hidden"], 2, ([o, f, d, h]) => fns.get(given(o), given(f), d, h)),
    objectFields: lazy(fns, ["o"], 1, ([o]) => fns.objectFields(given(o), false)),
    objectFieldsAll: lazy(fns, ["o"], 1, ([o]) => fns.objectFields(given(o), true)),
    objectHas: lazy(fns, ["o", "f"], 2, ([o, f]) => fns.objectHas(given(o), given(f), false)),
    objectHasAll: lazy(fns, ["o", "f"], 2, ([o, f]) => fns.objectHas(given(o), given(f), true)),
    manifestJson: lazy(fns, ["value"], 1, ([v]) => fns.manifestJson(given(v), false)),
    manifestJsonMinified: lazy(fns, ["value"], 1, ([v]) => fns.manifestJson(given(v), true)),
    uniq: lazy(fns, ["arr", "keyF"], 1, ([a, k]) => sets.uniq(given(a), keyF(k))),
    set: lazy(fns, ["arr", "keyF"], 1, ([a, k]) => sets.set(given(a), keyF(k))),
    setMember: lazy(fns, ["x", "arr", "keyF"], 2, ([x, a, k]) => setOps.member(given(x), given(a), keyF(k))),
    setUnion: lazy(fns, ["a", "b", "keyF"], 2, ([a, b, k]) => setOps.union(given(a), given(b), keyF(k))),
    setInter: lazy(fns, ["a", "b", "keyF"], 2, ([a, b, k]) => setOps.inter(given(a), given(b), keyF(k))),
    setDiff: lazy(fns, ["a", "b", "keyF"], 2, ([a, b, k]) => setOps.diff(given(a), given(b), keyF(k))),
    flattenArrays: lazy(fns, ["arrs"], 1, ([a]) => fns.flattenArrays(given(a))),
    split: lazy(fns, ["str", "c"], 2, ([s, c]) => fns.split(given(s), given(c))),
    startsWith: lazy(fns, ["a", "b"], 2, ([a, b]) => fns.affix(given(a), given(b), false)),
    endsWith: lazy(fns, ["a", "b"], 2, ([a, b]) => fns.affix(given(a), given(b), true)),
  };
}
