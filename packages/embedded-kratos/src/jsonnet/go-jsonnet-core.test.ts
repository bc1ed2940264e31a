import { describe, expect, it } from "vitest";
import { EVALUATION_ELEMENT_LIMIT, EvaluationBudget } from "./budget";
import { evaluateJsonnet } from "./index";
import { goJsonnetCases, runAsGoJsonnet } from "../testing/go-jsonnet-goldens";

/**
 * The evaluator's own ground as a go-jsonnet build answers it (testdata/go-jsonnet-core.json names the commits):
 * - the slice syntax, which internal/program/desugarer.go turns into a call of std.jsonnet's std.slice (lines 205–245):
 *   its words and `<std>` frames for a bad target, step or bound, and the frame of `invar.indexable[cur]` on an element
 *   read through a slice (also the `acc + b[j:]` of std.setUnion / setDiff); slice.ts;
 * - an index truncated as interpreter.go's `int(…)` truncates it;
 * - `"" + value`, `error value` and `%s` turning a value into text with builtinToString, which manifests it as the output
 *   is (interpreter.go manifestJSON: `Field "…"`, `Array element …`, `Checking object assertions` on the trace);
 * - negative zero printed `-0` wherever a number becomes text (strconv.FormatFloat keeps the sign);
 * - builtinMakeArray (a negative size makes `[]`, after the function is checked) and builtinSort (keyF gets the
 *   element thunks, the result keeps them), with std.jsonnet's uniq and set on top.
 */

const cases = goJsonnetCases("go-jsonnet-core.json");

describe("the evaluator's core as a go-jsonnet build answers it (stack traces included)", () => {
  it.each(cases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(runAsGoJsonnet(source)).toEqual(expected);
  });
});

/** A clock that moves 100 ms each time it is read: the evaluation's second is over after ten looks. */
const steppingBudget = () => {
  let clock = 0;
  return new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => (clock += 100));
};
const stillBudget = () => new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => 0);

// std.uniq folds over the array and std.set sorts it first, calling keyF (std.id by default, which evaluates no node
// the evaluator counts) per element: the loops themselves must look at the clock, or a long array runs past the
// second ory/x jsonnetsecure gives an evaluation.
describe("std.uniq and std.set keep the one-second budget", () => {
  it.each(["std.length(std.uniq(std.range(1, 2000)))", "std.length(std.set(std.range(1, 2000)))"])("%s", (source) => {
    expect(() => evaluateJsonnet(source, { extVars: {}, budget: steppingBudget() })).toThrow(
      "jsonnetsecure: eval: context deadline exceeded",
    );
    expect(evaluateJsonnet(source, { extVars: {}, budget: stillBudget() })).toBe(2000);
  });

  it("takes time in proportion to the array (the kept elements are not copied at each step)", () => {
    expect(evaluateJsonnet("std.length(std.uniq(std.range(1, 20000)))", { extVars: {}, budget: stillBudget() })).toBe(20000);
  }, 15_000);
});

describe("a slice keeps the evaluation's limits", () => {
  it("counts what a tiny step would build", () => {
    expect(() => evaluateJsonnet("std.range(1, 10)[::1e-9]", { extVars: {}, budget: stillBudget() })).toThrow(
      `jsonnetsecure: eval: the evaluation would build more than ${EVALUATION_ELEMENT_LIMIT} elements`,
    );
  });
});
