import { RuntimeFailure } from "./errors";
import { stdSite, thunkFrom, type StdCode } from "./std-frames";
import { codePoints, type StdContext } from "./std-support";
import { equals, JArray, JFunction, Thunk, typeName, type Value } from "./values";

/**
 * std.uniq and std.set as go-jsonnet v0.21 runs them (std.jsonnet lines 1468–1479), with their `<std>` frames (see
 * std-jsonnet-functions.ts): uniq folds `f(a, b)` over the array with std.foldl, keeping `b` unless `keyF` of the last
 * kept element equals `keyF(b)`; set is `std.uniq(std.sort(arr, keyF), keyF)`. keyF defaults to std.jsonnet's
 * `local id = function(x) x` (line 26).
 */

const anonymous = (depth: number) => thunkFrom("function <anonymous>", depth);
const inF = (depth: number) => thunkFrom("function <f>", depth);

const UNIQ = {
  fold: stdSite(1476, 5, 26, anonymous(0)),
  arr: stdSite(1476, 18, 21, anonymous(1)),
  single: stdSite(1471, 10, 11, inF(1)),
  keyLast: stdSite(1472, 15, 41, inF(0)),
  keyLastTarget: stdSite(1472, 15, 19, inF(0)),
  keyBTarget: stdSite(1472, 45, 49, inF(0)),
  last: stdSite(1472, 20, 40, inF(1)),
  keyB: stdSite(1472, 45, 52, inF(0)),
  b: stdSite(1472, 50, 51, inF(1)),
  equals: stdSite(1472, 15, 52, inF(0)),
  append: stdSite(1475, 9, 16, inF(0)),
  appended: stdSite(1475, 14, 15, inF(1)),
};

const SET = {
  uniq: stdSite(1479, 5, 40, anonymous(0)),
  sort: stdSite(1479, 14, 33, anonymous(1)),
  arr: stdSite(1479, 23, 26, anonymous(2)),
  keyF: stdSite(1479, 28, 32, anonymous(2)),
  uniqKeyF: stdSite(1479, 35, 39, anonymous(1)),
};

export class StdSets {
  /** std.jsonnet's `id`: a function whose call is a frame and whose body reads `x`. */
  readonly id: JFunction;

  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
    private readonly sort: (arr: Value, keyF: Value) => Value,
  ) {
    this.id = new JFunction([{ name: "x", hasDefault: false }], (args) =>
      std.body(() => std.read(stdSite(26, 26, 27, anonymous(0)), args.positional[0] ?? args.named.get("x") ?? Thunk.of(null))),
    );
  }

  /** uniq's body, run in its call's frame. */
  uniq(arr: Thunk, keyF: Thunk): Value {
    const { std } = this;
    // The std.foldl call ends the body (the local `f` waits).
    std.endsInCall();
    const list = std.argument(UNIQ.fold, UNIQ.arr, arr);
    const elements = std.at(UNIQ.fold, () => {
      if (typeof list === "string") return codePoints(list).map((c) => Thunk.of(c));
      if (list instanceof JArray) return list.elements;
      throw new RuntimeFailure(`foldl second parameter should be string or array, got ${typeName(list)}`);
    });
    // Each fold step's `a + [b]` copies the kept elements in go-jsonnet; no step reads an earlier `a` again, so one
    // array grows here. The clock is read every step: keyF (std.id) may evaluate no node the evaluator would count.
    const kept: Thunk[] = [];
    for (const b of elements) {
      this.context.charge(1);
      // builtinFoldl calls the local function `f` from its own place.
      std.call(UNIQ.fold, () => {
        if (kept.length === 0) return kept.push(std.variable(UNIQ.single, b));
        const last = kept[kept.length - 1] ?? Thunk.of(null);
        // keyF(…): the call's target, the variable keyF, is read first, then the function called with its argument thunk.
        const key = (site: typeof UNIQ.keyB, target: typeof UNIQ.keyB, argSite: typeof UNIQ.b, value: Thunk) =>
          std.at(site, () => this.call(std.read(target, keyF), std.variable(argSite, value)));
        const lastKey = key(UNIQ.keyLast, UNIQ.keyLastTarget, UNIQ.last, last);
        const bKey = key(UNIQ.keyB, UNIQ.keyBTarget, UNIQ.b, b);
        if (std.at(UNIQ.equals, () => equals(lastKey, bKey))) return kept.length;
        // `a + [b]`: the kept elements stay the same thunks.
        return std.at(UNIQ.append, () => kept.push(std.variable(UNIQ.appended, b)));
      });
    }
    return new JArray(kept);
  }

  /** set's body, run in its call's frame: std.uniq called with the std.sort call and keyF as argument thunks. */
  set(arr: Thunk, keyF: Thunk): Value {
    const { std } = this;
    const sorted = std.lazy(() =>
      std.at(SET.sort, () => {
        const [values, key] = [std.argument(SET.sort, SET.arr, arr), std.argument(SET.sort, SET.keyF, keyF)];
        return std.at(SET.sort, () => this.sort(values, key));
      }),
    );
    return std.tailCall(SET.uniq, () => this.uniq(sorted, std.variable(SET.uniqKeyF, keyF)));
  }

  private call(fn: Value, arg: Thunk): Value {
    if (!(fn instanceof JFunction)) throw new RuntimeFailure(`Unexpected type ${typeName(fn)}, expected function`);
    return this.context.call(fn, { positional: [arg], named: new Map() });
  }
}
