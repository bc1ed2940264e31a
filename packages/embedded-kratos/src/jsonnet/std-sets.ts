import { RuntimeFailure } from "./errors";
import { compare } from "./operators";
import { arr, array, callWith, fun, type Definitions, type StdContext } from "./std-support";
import { JFunction, Thunk, type Value } from "./values";

/**
 * std's ordering builtins: go-jsonnet's builtinSort and builtinMinArray/builtinMaxArray (builtins.go), with a key
 * function (`keyF`, std.id by default). std.jsonnet's uniq and set are in std-jsonnet-sets.ts, setMember, setUnion,
 * setInter and setDiff in std-jsonnet-set-ops.ts.
 */

const identity = new JFunction([{ name: "x", hasDefault: false }], (args) => args.positional[0]?.get() ?? null, "std.id");

/** builtinSort: the array ordered by keyF's keys (a stable sort, as go-jsonnet's sort.Stable). */
export function sortArray(context: StdContext, a: Value, keyF: Value): Value {
  const values = arr(a);
  const f = fun(keyF);
  const keys = values.map((v) => callWith(context, f, v));
  return array(
    values
      .map((v, i) => ({ v, k: keys[i] ?? null }))
      .sort((x, y) => compare(x.k, y.k))
      .map(({ v }) => v),
  );
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
