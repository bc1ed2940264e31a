import { RuntimeFailure } from "./errors";
import { compare, index } from "./operators";
import { sliceTraced } from "./slice";
import { stdSite, thunkFrom, type StdCode } from "./std-frames";
import { lengthOf } from "./std-objects";
import type { StdContext } from "./std-support";
import type { NamedPlace } from "./stack";
import { equals, JArray, JFunction, plus, Thunk, typeName, type Value } from "./values";

/**
 * std.setMember, setUnion, setInter and setDiff as go-jsonnet v0.21 runs them (std.jsonnet lines 1481–1529): each
 * walks its two sorted arrays with a local `aux(a, b, i, j, acc)` that compares `keyF(a[i])` with `keyF(b[j])` (by
 * `==`, then `<`, calling keyF again) and goes on with `aux(…) tailstrict`. The calls, variable reads and element
 * thunks sit at their std.jsonnet positions (std-frames.ts), so a failure carries go-jsonnet's `<std>` frames; checked
 * against a go-jsonnet build in testdata/go-jsonnet-std-frames.json.
 *
 * Frames of a tailstrict chain: go-jsonnet's tailCallTrimStack replaces the frame of a function a tailstrict call
 * entered, so while aux runs for the k-th time (k ≥ 1) the stack shows only the call made by the (k−1)-th run, on top
 * of whatever made the first call when that one was not tailstrict (setUnion's `aux(a, b, 0, 0, [])`).
 */

const METHOD = "function <anonymous>";
const AUX = "function <aux>";
const depth = (n: number, inner = METHOD) => thunkFrom(inner, n);
const site = (line: number, column: number, endColumn: number, name = AUX) => stdSite(line, column, endColumn, name);

/** Where one aux run stopped: the result, or the tailstrict call (its place, its arguments) to make next. */
type Step = { done: Value } | { site: NamedPlace; i: number; j: number; acc: Thunk[] };

/** A tailstrict `aux(a, b, i', j', acc + [x[k]])` written at `line` from `column` to `end`, `x[k]` at `element`. */
interface TailCall {
  line: number;
  end: number;
  element?: { column: number; from: "a" | "b" };
}

/** The operands of one set function's aux, and the std.jsonnet code it runs. */
class SetWalk {
  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
    private readonly keyF: Thunk,
    private a: Thunk,
    private b: Thunk,
  ) {}

  /** `std.length(x)` written at line:column (x one character, 11 columns in), in aux's frame. */
  length(line: number, column: number, x: "a" | "b"): number {
    const call = site(line, column, column + 13);
    const value = this.std.argument(call, site(line, column + 11, column + 12, depth(1, AUX)), this[x]);
    return this.std.at(call, () => lengthOf(value));
  }

  /** `keyF(x[k])` written at line:column in a frame (or thunk) named `name`: keyF is read, then called with `x[k]` unforced. */
  key(line: number, column: number, x: "a" | "b", k: number, name = AUX): Value {
    const list = this[x].get();
    const fn = this.std.read(site(line, column, column + 4, name), this.keyF);
    const element = this.std.lazy(() => this.std.at(site(line, column + 5, column + 9, depth(1, name)), () => index(list, k)));
    return this.std.at(site(line, column, column + 10, name), () => {
      if (!(fn instanceof JFunction)) throw new RuntimeFailure(`Unexpected type ${typeName(fn)}, expected function`);
      return this.context.call(fn, { positional: [element], named: new Map() });
    });
  }

  /** `acc + x[k:]` written at `line` (acc at column 9, the slice at 15–20). */
  rest(line: number, acc: Thunk[], x: "a" | "b", k: number): Value {
    const list = this[x].get();
    // `x[k:]` is a call of std.slice (slice.ts), whose elements read through its frame.
    const args = { indexable: Thunk.of(list), index: Thunk.of(k), end: Thunk.of(null), step: Thunk.of(null) };
    const slice = this.std.at(site(line, 15, 20), () => this.std.body(() => sliceTraced(this.std, this.context.charge, args)));
    return this.std.at(site(line, 9, 20), () => plus(new JArray(acc), slice));
  }

  /**
   * The tailstrict call `call` made with the next indexes; the element it appends is `x[k]`, read when needed. `acc`
   * is extended in place: no earlier run reads it again. The evaluation's clock is read here, since keyF (std.id)
   * may evaluate no Jsonnet node the evaluator would count.
   */
  next(call: TailCall, i: number, j: number, acc: Thunk[], k: number): Step {
    const { element } = call;
    this.context.charge(element ? 1 : 0);
    if (element) {
      const list = this[element.from].get();
      const at = site(call.line, element.column, element.column + 4, depth(2, AUX));
      acc.push(this.std.lazy(() => this.std.at(at, () => index(list, k))));
    }
    return { site: site(call.line, 11, call.end), i, j, acc };
  }

  /**
   * Runs aux from its first call at `first` to the end. `tailFirst`: that call is itself tailstrict (setInter,
   * setDiff), so its arguments are forced before it and its frame is replaced by the next one; otherwise aux's `a` and
   * `b` read the function's own when first needed (setUnion).
   */
  run(first: NamedPlace, tailFirst: boolean, step: (i: number, j: number, acc: Thunk[]) => Step): Value {
    const { std } = this;
    // The first aux call ends the function's body (its locals wait).
    std.endsInCall();
    const arg = (column: number) => stdSite(first.loc.line, column, column + 1, depth(1));
    if (tailFirst) {
      std.argument(first, arg(9), this.a);
      std.argument(first, arg(12), this.b);
    } else {
      [this.a, this.b] = [std.variable(arg(9), this.a), std.variable(arg(12), this.b)] as const;
    }
    const loop = (from: Step): Value => {
      let current = from;
      while (!("done" in current)) {
        const { i, j, acc } = current;
        current = std.call(current.site, () => step(i, j, acc));
      }
      return current.done;
    };
    if (tailFirst) return loop({ site: first, i: 0, j: 0, acc: [] });
    return std.call(first, () => loop(step(0, 0, [])));
  }
}

export class StdSetOperations {
  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
  ) {}

  /** setUnion (1485–1501): `local ak = keyF(a[i]); local bk = keyF(b[j]);` then `ak == bk`, `ak < bk`. */
  union(a: Thunk, b: Thunk, keyF: Thunk): Value {
    const { std } = this;
    const walk = new SetWalk(std, this.context, keyF, a, b);
    return walk.run(stdSite(1501, 5, 24, METHOD), false, (i, j, acc) => {
      if (i >= walk.length(1488, 15, "a")) return { done: walk.rest(1489, acc, "b", j) };
      if (j >= walk.length(1490, 20, "b")) return { done: walk.rest(1491, acc, "a", i) };
      // A local's thunk is computed in a frame of its own, named after the local.
      const local = (line: number, x: "a" | "b", k: number, name: string) => std.lazy(() => walk.key(line, 20, x, k, name));
      const ak = local(1493, "a", i, "thunk <ak> from <function <aux>>");
      const bk = local(1494, "b", j, "thunk <bk> from <function <aux>>");
      const [left, right] = [std.read(site(1495, 12, 14), ak), std.read(site(1495, 18, 20), bk)];
      if (std.at(site(1495, 12, 20), () => equals(left, right))) {
        return walk.next({ line: 1496, end: 48, element: { column: 42, from: "a" } }, i + 1, j + 1, acc, i);
      }
      const [less, than] = [std.read(site(1497, 17, 19), ak), std.read(site(1497, 22, 24), bk)];
      if (std.at(site(1497, 17, 24), () => compare(less, than)) < 0) {
        return walk.next({ line: 1498, end: 44, element: { column: 38, from: "a" } }, i + 1, j, acc, i);
      }
      return walk.next({ line: 1500, end: 44, element: { column: 38, from: "b" } }, i, j + 1, acc, j);
    });
  }

  /** setInter (1503–1514): stops at the end of either array. */
  inter(a: Thunk, b: Thunk, keyF: Thunk): Value {
    const walk = new SetWalk(this.std, this.context, keyF, a, b);
    return walk.run(stdSite(1514, 5, 24, METHOD), true, (i, j, acc) => {
      if (i >= walk.length(1505, 15, "a") || j >= walk.length(1505, 37, "b")) return { done: new JArray(acc) };
      const order = this.order(walk, 1508, i, j);
      if (order === 0) return walk.next({ line: 1509, end: 48, element: { column: 42, from: "a" } }, i + 1, j + 1, acc, i);
      if (order < 0) return walk.next({ line: 1511, end: 35 }, i + 1, j, acc, i);
      return walk.next({ line: 1513, end: 35 }, i, j + 1, acc, j);
    });
  }

  /** setDiff (1516–1529): what is left of `a` once `b` ends is appended by a slice. */
  diff(a: Thunk, b: Thunk, keyF: Thunk): Value {
    const walk = new SetWalk(this.std, this.context, keyF, a, b);
    return walk.run(stdSite(1529, 5, 24, METHOD), true, (i, j, acc) => {
      if (i >= walk.length(1518, 15, "a")) return { done: new JArray(acc) };
      if (j >= walk.length(1520, 20, "b")) return { done: walk.rest(1521, acc, "a", i) };
      const order = this.order(walk, 1523, i, j);
      if (order === 0) return walk.next({ line: 1524, end: 39 }, i + 1, j + 1, acc, i);
      if (order < 0) return walk.next({ line: 1526, end: 44, element: { column: 38, from: "a" } }, i + 1, j, acc, i);
      return walk.next({ line: 1528, end: 35 }, i, j + 1, acc, j);
    });
  }

  /** setMember (1481–1483): `std.length(std.setInter([x], arr, keyF)) > 0`. */
  member(x: Thunk, arr: Thunk, keyF: Thunk): Value {
    const { std } = this;
    const singleton = Thunk.of(new JArray([std.variable(stdSite(1483, 30, 31, depth(3)), x)]));
    const found = std.call(stdSite(1483, 5, 45, METHOD), () =>
      std.call(stdSite(1483, 16, 44, depth(1)), () =>
        this.inter(singleton, std.variable(stdSite(1483, 34, 37, depth(2)), arr), std.variable(stdSite(1483, 39, 43, depth(2)), keyF)),
      ),
    );
    return lengthOf(found) > 0;
  }

  /**
   * setInter's and setDiff's comparison (`line` and line + 2): `keyF(a[i]) == keyF(b[j])`, and when they differ
   * `keyF(a[i]) < keyF(b[j])` with keyF called again: 0, below 0 or above 0.
   */
  private order(walk: SetWalk, line: number, i: number, j: number): number {
    const { std } = this;
    const [ak, bk] = [walk.key(line, 12, "a", i), walk.key(line, 26, "b", j)];
    if (std.at(site(line, 12, 36), () => equals(ak, bk))) return 0;
    const [less, than] = [walk.key(line + 2, 17, "a", i), walk.key(line + 2, 30, "b", j)];
    return std.at(site(line + 2, 17, 40), () => compare(less, than)) < 0 ? -1 : 1;
  }
}
