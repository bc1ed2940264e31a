import { RuntimeFailure } from "./errors";
import { index } from "./operators";
import { isTypeTraced, stdSite, type StdCode } from "./std-frames";
import { modTraced } from "./std-mod";
import type { Definition } from "./std-support";
import { equals, JArray, Thunk, typeName, type Value } from "./values";

/**
 * std.find, std.all and std.any as go-jsonnet v0.21 runs them: std.jsonnet code (lines 1655–1689, not builtins.go
 * funcBuiltins) whose calls, variable reads, `error`s and assertions leave go-jsonnet's `<std>` frames (std-frames.ts);
 * checked against a go-jsonnet build in testdata/go-jsonnet-std-frames.json.
 */

const METHOD = "function <anonymous>";
const site = (line: number, column: number, endColumn: number, name = METHOD) => stdSite(line, column, endColumn, name);
const arg = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, "thunk from <function <anonymous>>");

/** A failed `assert`: its desugared `error` has the assertion's extent (over lines) and no name. */
const assertion = (line: number, column: number, endLine: number, endColumn: number) => ({
  message: "",
  loc: { filename: "<std>", line, column, endLine, endColumn },
});

/**
 * std.find (1655–1659): `if !std.isArray(arr) then error … else std.filter(function(i) arr[i] == value,
 * std.range(0, std.length(arr) - 1))`: builtinFilter calls the function for each index, from the filter call.
 */
function find(std: StdCode, value: Thunk, arr: Thunk): Value {
  if (!isTypeTraced(std, "array", site(1656, 9, 25), arg(1656, 21, 24), arr)) {
    return std.fail(site(1657, 7, 77), `find second parameter should be an array, got ${typeName(arr.get())}`);
  }
  const list = arr.get();
  if (!(list instanceof JArray)) throw new TypeError("unreachable: checked above");
  const filter = site(1659, 7, 81);
  // The std.filter call ends the body.
  std.endsInCall();
  const found: Thunk[] = [];
  list.elements.forEach((_, i) => {
    const match = std.call(filter, () => {
      const element = std.at(site(1659, 30, 36), () => index(list, i));
      const wanted = std.read(site(1659, 40, 45), value);
      return std.at(site(1659, 30, 45), () => equals(element, wanted));
    });
    if (match) found.push(Thunk.of(i));
  });
  return new JArray(found);
}

/**
 * std.all (1661–1674) and std.any (1676–1689): an assertion that `arr` is an array, then a local `aux(idx)` reading
 * `local e = arr[idx]`, asserting `std.isBoolean(e)` (its message formatted with `%`, std.mod) and going on with
 * `aux(idx + 1) tailstrict`. The first aux call is made from the body; each further one replaces the frame of the call
 * it ends (go-jsonnet's tailstrict trimming), so at most one such call shows on the stack.
 */
function allAny(std: StdCode, arr: Thunk, any: boolean): Value {
  const base = any ? 1677 : 1662;
  const name = any ? "any" : "all";
  if (!isTypeTraced(std, "array", site(base, 12, 28), arg(base, 24, 27), arr)) {
    return std.at(assertion(base, 5, base + 12, 11), () => {
      throw new RuntimeFailure(`${name}() parameter should be an array, got ${typeName(arr.get())}`);
    });
  }
  const list = arr.get();
  if (!(list instanceof JArray)) throw new TypeError("unreachable: checked above");
  const AUX = "function <aux>";
  const element = (idx: number): boolean => {
    const e = std.lazy(() => std.at(site(base + 6, 19, 27, "thunk <e> from <function <aux>>"), () => index(list, idx)));
    const isBoolean = isTypeTraced(std, "boolean", site(base + 7, 16, 32, AUX), site(base + 7, 30, 31, "thunk from <function <aux>>"), e);
    if (!isBoolean) {
      const format = `element "%s" of type %s is not a boolean`;
      const values = new JArray([e, Thunk.of(typeName(e.get()))]);
      const message = std.call(site(base + 7, 35, 96, ""), () => modTraced(std, Thunk.of(format), Thunk.of(values)));
      return std.at(assertion(base + 7, 9, base + 11, 23), () => {
        throw new RuntimeFailure(typeof message === "string" ? message : "unreachable: a formatted string");
      });
    }
    return e.get() === true;
  };
  // `aux(0)` ends the body: it drops the frame of a `std.all(…) tailstrict` call (tailCallTrimStack).
  return std.tailCall(site(base + 12, 5, 11), () => {
    for (let idx = 0; idx < list.elements.length; idx++) {
      const decide = () => element(idx) === any;
      // The first element is read in the frame of `aux(0)`; later ones in one frame called from `aux(idx + 1)`.
      const decided = idx === 0 ? decide() : std.call(site(base + 11, 11, 23, AUX), decide);
      if (decided) return any;
    }
    return !any;
  });
}

export function arrayFunctions(std: StdCode, define: (params: string[], body: (args: Thunk[]) => Value) => Definition) {
  const given = (thunk: Thunk | undefined) => thunk ?? Thunk.of(null);
  return {
    find: define(["value", "arr"], ([value, arr]) => find(std, given(value), given(arr))),
    all: define(["arr"], ([arr]) => allAny(std, given(arr), false)),
    any: define(["arr"], ([arr]) => allAny(std, given(arr), true)),
  } satisfies Record<string, Definition>;
}
