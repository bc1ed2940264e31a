import { describe, expect, it } from "vitest";
import { EVALUATION_ELEMENT_LIMIT, EvaluationBudget } from "./budget";
import { evaluateJsonnet, evaluateJsonnetText } from "./index";

/**
 * ory/x jsonnetsecure gives an evaluation one second (jsonnet_pool.go EvaluateAnonymousSnippet); here the evaluator
 * looks at the clock every so many steps (budget.ts). The standard library's own loops over a long array or text —
 * building std.range's numbers, std.makeArray's thunks, copying, summing, comparing, writing JSON — evaluate no node,
 * so each turn of them counts as a step too, or a mapper given a long list holds the server's process for seconds.
 *
 * The data comes in as an external variable: its elements are ready values, whose reading evaluates nothing.
 */

const LENGTH = 20000;
const list = Array.from({ length: LENGTH }, (_, i) => i);
const arrays = list.map((i) => [i]);
const extVars = { list, arrays, json: JSON.stringify(list) };

/** A clock that moves 100 ms each time it is read: the evaluation's second is over after ten looks. */
const steppingBudget = () => {
  let clock = 0;
  return new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => (clock += 100));
};
/** A clock that stands still: the machine's speed must not decide the answer. */
const stillBudget = () => new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => 0);

const DEADLINE = "jsonnetsecure: eval: context deadline exceeded";

describe("the standard library's loops keep the one-second budget", () => {
  it.each([
    // builtinRange and builtinMakeArray build every element before anything reads them.
    ["std.length(std.range(1, 20000))", LENGTH],
    ["std.length(std.makeArray(20000, function(i) i))", LENGTH],
    // std.map / mapWithIndex: std.makeArray over the array, an element thunk per item.
    ["std.length(std.map(function(x) x, std.extVar('list')))", LENGTH],
    ["std.length(std.mapWithIndex(function(i, x) x, std.extVar('list')))", LENGTH],
    // std.flattenArrays: std.foldl of `a + b` over the arrays.
    ["std.length(std.flattenArrays(std.extVar('arrays')))", LENGTH],
    // Builtins that read every element.
    ["std.length(std.reverse(std.extVar('list')))", LENGTH],
    ["std.sum(std.extVar('list'))", (LENGTH * (LENGTH - 1)) / 2],
    ["std.avg(std.extVar('list'))", (LENGTH - 1) / 2],
    ["std.member(std.extVar('list'), -1)", false],
    ["std.contains(std.extVar('list'), -1)", false],
    ["std.count(std.extVar('list'), -1)", 0],
    ["std.length(std.removeAt(std.extVar('list'), 0))", LENGTH - 1],
    ["std.length(std.remove(std.extVar('list'), -1))", LENGTH],
    // Comparing two long arrays (builtinEquals / the ordering operators walk both).
    ["std.extVar('list') == std.extVar('list')", true],
    ["std.extVar('list') != std.extVar('list')", false],
    ["std.extVar('list') < std.extVar('list')", false],
    // Reading a long JSON text (the overflow scan and the conversion of every value).
    ["std.length(std.parseJson(std.extVar('json')))", LENGTH],
    // Writing a long array as text: builtinToString (manifestJSON, a frame per value), manifestJsonEx, manifestYamlDoc,
    // manifestTomlEx.
    ["std.length(std.toString(std.extVar('list'))) > 0", true],
    ["std.length('%s' % [std.extVar('list')]) > 0", true],
    ["std.length(std.manifestJsonEx(std.extVar('list'), ' ')) > 0", true],
    ["std.length(std.manifestJson(std.extVar('list'))) > 0", true],
    ["std.length(std.manifestJsonMinified(std.extVar('list'))) > 0", true],
    ["std.length(std.manifestYamlDoc(std.extVar('list'))) > 0", true],
    ["std.length(std.manifestYamlStream([std.extVar('list')])) > 0", true],
    ["std.length(std.manifestTomlEx({ a: std.extVar('list') }, ' ')) > 0", true],
    ["std.length(std.manifestToml({ a: std.extVar('list') })) > 0", true],
  ])("%s", (source, expected) => {
    expect(() => evaluateJsonnet(source, { extVars, budget: steppingBudget() })).toThrow(DEADLINE);
    expect(evaluateJsonnet(source, { extVars, budget: stillBudget() })).toEqual(expected);
  });

  it("while the result is manifested", () => {
    const source = "std.extVar('list')";
    expect(() => evaluateJsonnetText(source, { extVars, budget: steppingBudget() })).toThrow(DEADLINE);
    expect(() => evaluateJsonnet(source, { extVars, budget: steppingBudget() })).toThrow(DEADLINE);
    expect(evaluateJsonnet(source, { extVars, budget: stillBudget() })).toEqual(list);
  });

  // std.repeat (std.jsonnet lines 198–203) is std.join over std.makeArray(count, …); the join looks at the clock every
  // 1024 elements, and building the elements before it must too.
  it("std.repeat looks at the clock while it builds its elements, not only while it joins them", () => {
    let reads = 0;
    const budget = new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => {
      reads += 1;
      return 0;
    });
    expect(evaluateJsonnet("std.length(std.repeat('a', 20000))", { extVars, budget })).toBe(LENGTH);
    expect(reads).toBeGreaterThanOrEqual(2 * Math.floor(LENGTH / 1024));
  });
});

// std.parseYaml reads the text with the `yaml` package, which has no deadline of its own: the clock is read at each
// lexeme its lexer hands the parser (std-yaml.ts parseDocumentTimed). One line, so that the reader splitting the text
// at `---` lines (a step per line) is not what looks at the clock.
describe("std.parseYaml", () => {
  // 5,000 numbers are some 20,000 lexemes: about twenty looks at the stepping clock, which allows ten.
  const FLOW_LENGTH = 5000;
  const oneLine = `[${list.slice(0, FLOW_LENGTH).join(", ")}]`;

  it("looks at the clock while the YAML text is parsed", () => {
    const source = "std.length(std.parseYaml(std.extVar('yaml')))";
    expect(() => evaluateJsonnet(source, { extVars: { yaml: oneLine }, budget: steppingBudget() })).toThrow(DEADLINE);
    expect(evaluateJsonnet(source, { extVars: { yaml: oneLine }, budget: stillBudget() })).toBe(FLOW_LENGTH);
  });

  it("still answers a document and go-yaml's errors as before", () => {
    expect(evaluateJsonnet("std.parseYaml('a: [1, 2]\\n# c\\nb: x\\n')", { extVars: {} })).toEqual({ a: [1, 2], b: "x" });
    expect(() => evaluateJsonnet("std.parseYaml('a: [1')", { extVars: {} })).toThrow("did not find expected ',' or ']'");
  });
});

describe("std.flattenArrays", () => {
  // go-jsonnet v0.21's std.jsonnet line 890 folds `a + b`, copying the accumulated array at every step; the result is the
  // same array when the elements are appended to one list, in time proportional to it.
  it("takes time in proportion to the result", () => {
    const many = Array.from({ length: 40000 }, (_, i) => [i]);
    expect(evaluateJsonnet("std.length(std.flattenArrays(std.extVar('many')))", { extVars: { many }, budget: stillBudget() })).toBe(40000);
  }, 10_000);

  it("still adds a string as `+` does (the rest of the fold is text), as a go-jsonnet build answers", () => {
    expect(evaluateJsonnet("std.flattenArrays([[1], [2, 3], 'a', [4]])", { extVars: {} })).toBe("[1, 2, 3]a[4]");
    expect(evaluateJsonnet("std.flattenArrays([])", { extVars: {} })).toEqual([]);
  });
});

// go-jsonnet appends slices; a JavaScript spread (`push(...elements)`) passes each element as an argument, and half a
// million of them overflow the engine's stack, which read as go-jsonnet's "max stack frames exceeded." here.
describe("a long array joined or flattened is built, not refused", () => {
  const long = Array.from({ length: 500000 }, (_, i) => i);
  it.each([
    ["std.length(std.join([], [std.extVar('long')]))", 500000],
    ["std.length(std.join([0], [[1], std.extVar('long')]))", 500002],
    ["std.length(std.repeat(std.extVar('long'), 2))", 1000000],
    ["std.length([y for x in [std.extVar('long')] for y in x])", 500000],
  ])("%s", (source, expected) => {
    expect(evaluateJsonnet(source, { extVars: { long }, budget: stillBudget() })).toBe(expected);
  });
});
