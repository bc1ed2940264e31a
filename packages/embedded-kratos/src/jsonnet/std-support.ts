import { RuntimeFailure } from "./errors";
import type { CallStack } from "./stack";
import { compareStrings, goFloatV, JArray, JFunction, JObject, Thunk, typeName, type CallArgs, type Value } from "./values";

/** What the standard library needs from the evaluation it runs in. */
export interface StdContext {
  extVars: ReadonlyMap<string, Thunk>;
  filename: string;
  /** Calls a Jsonnet function (keeps the evaluator's stack accounting). */
  call: (fn: JFunction, args: CallArgs) => Value;
  /** Charges elements the library is about to build against the evaluation's limits. */
  charge: (elements: number) => void;
  /**
   * One turn of a library loop that may run no step the evaluator counts (building, copying or reading elements):
   * counted as an evaluation step, so the deadline is looked at every so often however long the loop runs.
   */
  step: () => void;
  /** Matches call arguments to parameters by position and name. */
  matchArguments: (params: readonly { name: string }[], args: CallArgs) => (Thunk | undefined)[];
  /** go-jsonnet's call stack, for the std functions it runs as std.jsonnet code (std-frames.ts). */
  stack: CallStack;
  /** Where std.trace writes (go-jsonnet: the VM's trace output, stderr by default). */
  trace: (line: string) => void;
}

type Builtin = (args: Value[]) => Value;

/** One std function: its parameters (go-jsonnet's names, usable as named arguments) and its body. */
export interface Definition {
  params: string[];
  /** Parameters that may be left out, with the value they then take. */
  defaults?: Record<string, Value>;
  body?: Builtin;
  /**
   * A body given the unforced arguments (for parameters std.jsonnet only evaluates when needed, e.g. std.get's default)
   * and whether the call was written `tailstrict`.
   */
  lazyBody?: (args: (Thunk | undefined)[], tailstrict: boolean) => Value;
  /** For lazyBody: how many leading parameters are required. */
  required?: number;
}

export type Definitions = Record<string, Definition>;

export const str = (value: Value | undefined): string => {
  if (typeof value !== "string") throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected string`);
  return value;
};
export const num = (value: Value | undefined): number => {
  if (typeof value !== "number") throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected number`);
  return value;
};
export const bool = (value: Value | undefined): boolean => {
  if (typeof value !== "boolean") throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected boolean`);
  return value;
};
export const arr = (value: Value | undefined): Value[] => {
  if (!(value instanceof JArray)) throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected array`);
  return value.elements.map((e) => e.get());
};
export const obj = (value: Value | undefined): JObject => {
  if (!(value instanceof JObject)) throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected object`);
  return value;
};
export const fun = (value: Value | undefined): JFunction => {
  if (!(value instanceof JFunction)) throw new RuntimeFailure(`Unexpected type ${typeName(value ?? null)}, expected function`);
  return value;
};
export const array = (values: Value[]) => new JArray(values.map((v) => Thunk.of(v)));
export const sortedFields = (o: JObject, hidden: boolean) =>
  (hidden ? [...o.fieldVisibility().keys()] : o.visibleFields()).sort(compareStrings);

/** A string's code points, as Jsonnet indexes and measures strings. */
export const codePoints = (s: string): string[] => Array.from(s);

/** Calls `fn` with already computed values as positional arguments. */
export const callWith = (context: StdContext, fn: JFunction, ...values: Value[]): Value =>
  context.call(fn, { positional: values.map((v) => Thunk.of(v)), named: new Map() });

/** builtinChar: a code point as a one-character string. */
export function charOf(n: number): string {
  if (n > 0x10ffff) throw new RuntimeFailure(`Invalid unicode codepoint, got ${goFloatV(n)}`);
  if (n < 0) throw new RuntimeFailure(`Codepoints must be >= 0, got ${goFloatV(n)}`);
  const code = Math.trunc(n);
  // Go's string(rune(n)) writes U+FFFD for surrogates.
  return code >= 0xd800 && code <= 0xdfff ? "\ufffd" : String.fromCodePoint(code);
}

/** Go's fmt %v of a []string path, as go-jsonnet's manifest errors print it. */
export const goPath = (path: (string | number)[]) => `[${path.join(" ")}]`;
