import { RuntimeFailure } from "./errors";
import { compare } from "./operators";
import { arr, callWith, fun, type Definitions, type StdContext } from "./std-support";
import { JArray, JFunction, Thunk, typeName, type Value } from "./values";

/**
 * std's ordering builtins: go-jsonnet's builtinSort and builtinMinArray/builtinMaxArray (builtins.go), with a key
 * function (`keyF`, std.id by default). std.jsonnet's uniq and set are in std-jsonnet-sets.ts, setMember, setUnion,
 * setInter and setDiff in std-jsonnet-set-ops.ts.
 */

/** How many comparisons of a sort pass between two looks at the evaluation's clock. */
const CLOCK_EVERY = 1024;

const identity = new JFunction([{ name: "x", hasDefault: false }], (args) => args.positional[0]?.get() ?? null, "std.id");

/**
 * builtinSort: the array ordered by keyF's keys (a stable sort, as go-jsonnet's sort.Stable). keyF gets each element's
 * thunk in order, unforced, and the result keeps the thunks: an element keyF does not read stays unevaluated.
 */
export function sortArray(context: StdContext, a: Value, keyF: Value): Value {
  if (!(a instanceof JArray)) throw new RuntimeFailure(`Unexpected type ${typeName(a)}, expected array`);
  const f = fun(keyF);
  const keyed = a.elements.map((element) => {
    // The default keyF (std.id) evaluates no node the evaluator counts: the clock is read here.
    context.charge(0);
    return { element, key: context.call(f, { positional: [element], named: new Map() }) };
  });
  let comparisons = 0;
  keyed.sort((x, y) => {
    if (++comparisons % CLOCK_EVERY === 0) context.charge(0);
    return compare(x.key, y.key);
  });
  return new JArray(keyed.map(({ element }) => element));
}

export function setDefinitions(context: StdContext): Definitions {
  const call = (fn: JFunction, ...values: Value[]) => callWith(context, fn, ...values);
  const extremum = (sign: 1 | -1) => (args: (Thunk | undefined)[]) => {
    const [a, keyF, onEmpty] = args;
    const values = arr(a?.get());
    if (!values.length) {
      if (onEmpty) return onEmpty.get();
      throw new RuntimeFailure("Expected at least one element in array. Got none");
    }
    const f = fun(keyF ? keyF.get() : identity);
    let best = values[0] ?? null;
    let bestKey = call(f, best);
    for (const v of values.slice(1)) {
      const key = call(f, v);
      if (compare(bestKey, key) * sign > 0) {
        best = v;
        bestKey = key;
      }
    }
    return best;
  };
  return {
    sort: { params: ["arr", "keyF"], defaults: { keyF: identity }, body: ([a, keyF]) => sortArray(context, a ?? null, keyF ?? identity) },
    minArray: { params: ["arr", "keyF", "onEmpty"], required: 1, lazyBody: extremum(1) },
    maxArray: { params: ["arr", "keyF", "onEmpty"], required: 1, lazyBody: extremum(-1) },
  };
}
