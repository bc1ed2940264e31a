import { BudgetExceeded, EvaluationBudget } from "./budget";
import { JsonnetError, RuntimeFailure, toJsonnetError } from "./errors";
import { Env, Evaluator, matchArguments } from "./evaluate";
import { parse } from "./parser";
import { checkStatic } from "./resolve";
import { createStd } from "./std";
import { fromJson, JFunction, manifest, Thunk } from "./values";

/**
 * Jsonnet, as far as Kratos' data mappers use it (OIDC claims mappers, web
 * hook bodies). Kratos evaluates these with go-jsonnet; no pure-JavaScript
 * Jsonnet is on the npm registry, so the embedded server evaluates the subset
 * documented in README.md and refuses the rest with a JsonnetError naming the
 * construct and its line.
 */
export { JsonnetError } from "./errors";
export type { JsonnetErrorKind, SourceLocation } from "./errors";
export { EvaluationBudget } from "./budget";

export interface JsonnetOptions {
  /** Values `std.extVar(name)` returns (Kratos passes `claims`, `ctx`, ...), as JSON data (ExtCode). */
  extVars: Record<string, unknown>;
  /** Named in error messages. */
  filename?: string;
  /** Limits of this evaluation (ory/x jsonnetsecure's one second by default). */
  budget?: EvaluationBudget;
  /**
   * Top-level arguments (TLACode), passed when the program is a function —
   * Kratos' web hook bodies are `function(ctx) …`.
   */
  tlas?: Record<string, unknown>;
}

/** Evaluates a Jsonnet program to its JSON value (objects with hidden and null-named fields removed, as the manifester does). */
export function evaluateJsonnet(source: string, options: JsonnetOptions): unknown {
  const filename = options.filename ?? "<mapper>";
  const ast = parse(source, filename);
  checkStatic(ast);
  const budget = options.budget ?? new EvaluationBudget();
  const evaluator = new Evaluator(budget);
  try {
    const extVars = new Map(Object.entries(options.extVars).map(([name, data]) => [name, new Thunk(() => fromJson(data))]));
    const std = createStd({
      extVars,
      filename,
      call: (fn, args) => evaluator.call(fn, args),
      charge: (elements) => budget.charge(elements),
      matchArguments,
    });
    const root = new Env(new Map([["std", Thunk.of(std)]]), undefined);
    let result = evaluator.evaluate(ast, root);
    if (result instanceof JFunction) {
      const named = new Map(Object.entries(options.tlas ?? {}).map(([name, data]) => [name, Thunk.of(fromJson(data))]));
      result = evaluator.call(result, { positional: [], named });
    }
    return manifest(result);
  } catch (error) {
    if (error instanceof RuntimeFailure) throw toJsonnetError(error);
    // Kratos wraps what its worker pool answers in "jsonnetsecure: eval: …".
    if (error instanceof BudgetExceeded)
      throw new JsonnetError(`jsonnetsecure: eval: ${error.message}`, { kind: "limit", reason: error.message });
    if (error instanceof RangeError && /call stack/i.test(error.message))
      throw new JsonnetError("RUNTIME ERROR: max stack frames exceeded.", { reason: "max stack frames exceeded." });
    // Invalid string or array length: the value outgrew what the process can hold.
    if (error instanceof RangeError)
      throw new JsonnetError(`jsonnetsecure: eval: ${error.message}`, { kind: "limit", reason: error.message });
    throw error;
  }
}
