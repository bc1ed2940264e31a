import type { Node } from "./ast";
import { BudgetExceeded, EvaluationBudget } from "./budget";
import { JsonnetError, RuntimeFailure, staticErrorText, toJsonnetError } from "./errors";
import { Env, Evaluator, matchArguments } from "./evaluate";
import { parse } from "./parser";
import { checkStatic } from "./resolve";
import { createStd } from "./std";
import { fromJson, JFunction, manifest, manifestJsonText, Thunk, type ManifestTrace, type Value } from "./values";

/**
 * Jsonnet for Kratos' data mappers (OIDC claims mappers, web hook bodies,
 * session tokenizer templates). Kratos evaluates these with go-jsonnet inside
 * ory/x jsonnetsecure; no pure-JavaScript Jsonnet is on the npm registry, so
 * this is an interpreter of the whole language and go-jsonnet's standard
 * library, with jsonnetsecure's importer (every import fails).
 */
export { JsonnetError } from "./errors";
export type { JsonnetErrorKind, SourceLocation } from "./errors";
export { EvaluationBudget } from "./budget";

/**
 * The error text Kratos gets for a failed evaluation (ory/x jsonnetsecure, jsonnet_pool.go): the worker writes
 * `ERROR: ` and go-jsonnet's formatted error (cmd.go scan), and processPoolVM.EvaluateAnonymousSnippet hands it back
 * as `jsonnetsecure: ERROR: …`. A limit error already reads as its `jsonnetsecure: eval: …`.
 */
export function jsonnetsecureErrorText(error: unknown): string {
  if (!(error instanceof JsonnetError)) return error instanceof Error ? error.message : String(error);
  return error.kind === "limit" ? error.message : `jsonnetsecure: ERROR: ${error.message}`;
}

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
  /** Receives std.trace's lines (go-jsonnet writes them to the worker's stderr, which Kratos does not read); dropped by default. */
  trace?: (line: string) => void;
}

/**
 * Evaluates a Jsonnet program to the text go-jsonnet's EvaluateAnonymousSnippet returns (what Kratos' jsonnetsecure
 * hands back): the manifested JSON with sorted keys, three-space indentation and a final newline. Use this where
 * Kratos uses the text itself; a JavaScript object cannot keep go-jsonnet's key order for keys like "1".
 */
export function evaluateJsonnetText(source: string, options: JsonnetOptions): string {
  return run(source, options, (value, trace) => `${manifestJsonText(value, "   ", "\n", trace)}\n`);
}

/** Evaluates a Jsonnet program to its JSON value (objects with hidden and null-named fields removed, as the manifester does). */
export function evaluateJsonnet(source: string, options: JsonnetOptions): unknown {
  return run(source, options, manifest);
}

/**
 * go-jsonnet's evaluate/evaluateAux: the program runs in a frame placed at `During evaluation`, a top-level function
 * is called from `Top-level function call`, and the result is manifested from `During manifestation`; those are the
 * outermost lines of every stack trace.
 */
function run<T>(source: string, options: JsonnetOptions, output: (value: Value, trace: ManifestTrace) => T): T {
  const filename = options.filename ?? "<mapper>";
  const ast = parseChecked(source, filename);
  const budget = options.budget ?? new EvaluationBudget();
  const evaluator = new Evaluator(budget);
  try {
    const extVars = new Map(Object.entries(options.extVars).map(([name, data]) => [name, new Thunk(() => fromJson(data))]));
    const std = createStd({
      extVars,
      filename,
      call: (fn, args) => evaluator.call(fn, args),
      charge: (elements) => budget.charge(elements),
      step: () => budget.step(),
      stack: evaluator.stack,
      matchArguments,
      trace: options.trace ?? (() => undefined),
    });
    const root = new Env(new Map([["std", Thunk.of(std)]]), undefined);
    const stack = evaluator.stack;
    let result = stack.at({ message: "During evaluation" }, () => stack.frame(() => evaluator.evaluate(ast, root, true)));
    if (result instanceof JFunction) {
      const fn = result;
      const named = new Map(Object.entries(options.tlas ?? {}).map(([name, data]) => [name, Thunk.of(fromJson(data))]));
      result = stack.at({ message: "Top-level function call" }, () => evaluator.call(fn, { positional: [], named }));
    }
    const value = result;
    const trace: ManifestTrace = { value: (fn) => stack.frame(fn), at: (message, fn) => stack.at({ message }, fn) };
    return stack.at({ message: "During manifestation" }, () => output(value, trace));
  } catch (error) {
    if (error instanceof RuntimeFailure) throw toJsonnetError(error);
    // Kratos wraps what its worker pool answers in "jsonnetsecure: eval: …".
    if (error instanceof BudgetExceeded)
      throw new JsonnetError(`jsonnetsecure: eval: ${error.message}`, { kind: "limit", reason: error.message });
    // JavaScript's own stack ran out first (deep tailstrict recursion): the same first line as go-jsonnet's.
    if (error instanceof RangeError && /call stack/i.test(error.message))
      throw new JsonnetError("RUNTIME ERROR: max stack frames exceeded.\n", { reason: "max stack frames exceeded." });
    // Invalid string or array length: the value outgrew what the process can hold.
    if (error instanceof RangeError)
      throw new JsonnetError(`jsonnetsecure: eval: ${error.message}`, { kind: "limit", reason: error.message });
    throw error;
  }
}

/** parser.SnippetToAST and the static analyser; an error is formatted with the source lines it points at. */
function parseChecked(source: string, filename: string): Node {
  try {
    const ast = parse(source, filename);
    checkStatic(ast);
    return ast;
  } catch (error) {
    if (error instanceof JsonnetError) throw staticErrorText(error, source);
    throw error;
  }
}
