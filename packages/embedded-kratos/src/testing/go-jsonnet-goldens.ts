import { readFileSync } from "node:fs";
import path from "node:path";
import { EvaluationBudget, evaluateJsonnetText, JsonnetError } from "../jsonnet/index";

/** One program of a golden file and what a Go build of go-jsonnet printed for it: the output or the error text. */
export interface GoJsonnetCase {
  source: string;
  error?: string;
  output?: string;
}

/** The cases of `src/jsonnet/testdata/<file>` (each file names the go-jsonnet commit that printed them). */
export function goJsonnetCases(file: string): GoJsonnetCase[] {
  const text = readFileSync(path.join(__dirname, "..", "jsonnet", "testdata", file), "utf8");
  return (JSON.parse(text) as { cases: GoJsonnetCase[] }).cases;
}

/**
 * The goldens record answers, not timings: none of them runs into jsonnetsecure's one second in go-jsonnet,
 * and a loaded test machine must not turn a slow answer into "context deadline exceeded" (budget-loops.test.ts
 * covers the deadline itself).
 */
const GOLDEN_TIME_LIMIT_MS = 60_000;

/** Runs a program as the golden files record it: the text go-jsonnet returns, or its error message. */
export function runAsGoJsonnet(source: string): GoJsonnetCase {
  try {
    const budget = new EvaluationBudget(GOLDEN_TIME_LIMIT_MS);
    return { source, output: evaluateJsonnetText(source, { extVars: {}, filename: "snippet", budget }) };
  } catch (error) {
    if (error instanceof JsonnetError) return { source, error: error.message };
    throw error;
  }
}
