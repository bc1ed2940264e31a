import { RuntimeFailure } from "./errors";
import { compare } from "./operators";
import { arr, array, callWith, fun, type Definitions, type StdContext } from "./std-support";
import { equals, JFunction, Thunk, type Value } from "./values";

/**
 * std's ordering functions: go-jsonnet's builtinSort, builtinMinArray/builtinMaxArray (builtins.go) and std.jsonnet's
 * uniq, set, setMember, setUnion, setInter and setDiff, all with a key function (`keyF`, std.id by default).
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
  /** std.jsonnet's set functions walk two sorted arrays comparing keyF(a[i]) with keyF(b[j]) by `==` and `<`. */
  const walk = (a: Value[], b: Value[], keyF: Value | undefined, keep: { both?: boolean; onlyA?: boolean; onlyB?: boolean }) => {
    const f = fun(keyF);
    const out: Value[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const ak = call(f, a[i] ?? null);
      const bk = call(f, b[j] ?? null);
      if (equals(ak, bk)) {
        if (keep.both) out.push(a[i] ?? null);
        i++;
        j++;
      } else if (compare(ak, bk) < 0) {
        if (keep.onlyA) out.push(a[i] ?? null);
        i++;
      } else {
        if (keep.onlyB) out.push(b[j] ?? null);
        j++;
      }
    }
    if (keep.onlyA) out.push(...a.slice(i));
    if (keep.onlyB) out.push(...b.slice(j));
    return out;
  };
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
    setMember: {
      params: ["x", "arr", "keyF"],
      defaults: { keyF: identity },
      body: ([x, a, keyF]) => walk([x ?? null], arr(a), keyF, { both: true }).length > 0,
    },
    setUnion: {
      params: ["a", "b", "keyF"],
      defaults: { keyF: identity },
      body: ([a, b, keyF]) => array(walk(arr(a), arr(b), keyF, { both: true, onlyA: true, onlyB: true })),
    },
    setInter: {
      params: ["a", "b", "keyF"],
      defaults: { keyF: identity },
      body: ([a, b, keyF]) => array(walk(arr(a), arr(b), keyF, { both: true })),
    },
    setDiff: {
      params: ["a", "b", "keyF"],
      defaults: { keyF: identity },
      body: ([a, b, keyF]) => array(walk(arr(a), arr(b), keyF, { onlyA: true })),
    },
    minArray: { params: ["arr", "keyF", "onEmpty"], required: 1, lazyBody: extremum(1) },
    maxArray: { params: ["arr", "keyF", "onEmpty"], required: 1, lazyBody: extremum(-1) },
  };
}
