import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EvaluationBudget, evaluateJsonnetText, JsonnetError } from "./index";
import { EVALUATION_ELEMENT_LIMIT } from "./budget";

/**
 * go-jsonnet interpreter.go evaluateTailCall / callStack.tailCallTrimStack: a call in tail position drops the frame of
 * the `tailstrict` call it ends, so a tailstrict loop runs in a constant number of frames however deep it goes (the
 * goroutine's own stack grows as needed). Here the evaluator trampolines such calls so JavaScript's stack stays flat too.
 */
/** Deep loops get more than the one second (their speed is not what these tests are about; a loaded CI machine is slow). */
const roomy = () => new EvaluationBudget(30_000);

const message = (source: string, budget: EvaluationBudget = roomy()): string => {
  try {
    evaluateJsonnetText(source, { extVars: {}, filename: "mapper.jsonnet", budget });
  } catch (error) {
    if (error instanceof JsonnetError) return error.message;
    throw error;
  }
  return "(no error)";
};

describe("tailstrict loops (interpreter.go evaluateTailCall, tailCallTrimStack)", () => {
  it("runs a 100,000-deep tailstrict loop", () => {
    const loop = "local f(n, acc) = if n == 0 then acc else f(n - 1, acc + 1) tailstrict; f(100000, 0)";
    expect(evaluateJsonnetText(loop, { extVars: {}, budget: roomy() })).toBe("100000\n");
    const viaLocalAndAssert = "local f(n) = local m = n - 1; assert m >= -1; if n == 0 then 'done' else f(m) tailstrict; f(50000)";
    expect(evaluateJsonnetText(viaLocalAndAssert, { extVars: {}, budget: roomy() })).toBe('"done"\n');
  });

  it("reports an error at the bottom with the same frames however deep the loop went", () => {
    const loop = (n: number) => `local f(n) = if n == 0 then error "bottom" else f(n - 1) tailstrict;\nf(${n})`;
    const shallow = message(loop(3));
    expect(shallow).toBe(
      "RUNTIME ERROR: bottom\n" +
        "\tmapper.jsonnet:1:29-43\tfunction <f>\n" +
        "\tmapper.jsonnet:1:49-57\tfunction <f>\n" +
        "\tmapper.jsonnet:2:1-5\t$\n" +
        "\tDuring evaluation\t\n",
    );
    expect(message(loop(100000))).toBe(shallow.replace("2:1-5", "2:1-10"));
  });

  it("keeps the one-second budget: an endless tailstrict loop stops at the deadline (ory/x jsonnetsecure)", () => {
    let clock = 0;
    const budget = new EvaluationBudget(1000, EVALUATION_ELEMENT_LIMIT, () => (clock += 1));
    expect(message("local f(n) = f(n + 1) tailstrict; f(0)", budget)).toBe("jsonnetsecure: eval: context deadline exceeded");
  });
});

interface GoCase {
  source: string;
  error?: string;
  output?: string;
}

const goCases = (JSON.parse(readFileSync(path.join(__dirname, "testdata", "go-jsonnet-tailstrict.json"), "utf8")) as { cases: GoCase[] })
  .cases;

/**
 * interpreter.go rawevaluate hands the body's tailCall status to a binary operator's right operand and a unary
 * operator's operand too, so `1 + f(n - 1) tailstrict` trims its frame and recurses as deep as memory allows; the
 * operator is applied when the call returns. The fixture is a go-jsonnet build's answer for each program (depths
 * around MaxStack 500 and far past it, errors below and in the waiting operators).
 */
describe("tailstrict calls as operands (interpreter.go rawevaluate *ast.Binary / *ast.Unary with tc)", () => {
  it.each(goCases.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    let got: GoCase;
    try {
      got = { source, output: evaluateJsonnetText(source, { extVars: {}, filename: "snippet", budget: roomy() }) };
    } catch (error) {
      if (!(error instanceof JsonnetError)) throw error;
      got = { source, error: error.message };
    }
    expect(got).toEqual(expected);
  });
});
