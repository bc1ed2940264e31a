import { goQueryEscape } from "@olympus/server-kit/go-url";
import { formatValue, goSprint, goSprintf, goSprintln } from "./fmt";
import { GoCallError } from "./evaluator";
import { compareBytewise, type GoFunc, goMethodSetOf, goTypeName, isGoMap, isTrue } from "./values";

export type Builtin = GoFunc & { builtin: true; raw?: boolean };

const raw = (params: GoFunc["params"], call: GoFunc["call"], variadic = false): Builtin => ({
  params,
  call,
  variadic,
  builtin: true,
  raw: true,
});
const plain = (params: GoFunc["params"], call: GoFunc["call"], variadic = false): Builtin => ({ params, call, variadic, builtin: true });

/** A nil interface inside a map or list reads as no value, as indirectInterface makes it. */
const indirect = (value: unknown): unknown => (value === null ? undefined : value);

type Kind = "bool" | "int" | "float" | "string" | "invalid" | "other";
function basicKind(value: unknown): Kind {
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
    case "undefined":
      return "invalid";
  }
  return "other";
}

/** funcs.go eq: true when arg1 equals any of the others; basic kinds must match (no int/float mixing). */
function eq(arg1: unknown, ...rest: unknown[]): boolean {
  const a = indirect(arg1);
  if (rest.length === 0) throw new GoCallError("missing argument for comparison");
  const k1 = basicKind(a);
  for (const other of rest) {
    const b = indirect(other);
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if (a !== undefined && b !== undefined) throw new GoCallError("incompatible types for comparison");
      continue;
    }
    if (k1 === "other") {
      if (Array.isArray(a) || isGoMap(a)) throw new GoCallError(`non-comparable type ${formatValue(a)}: ${goTypeName(a)}`);
      if (a === b) return true;
      continue;
    }
    if (a === b) return true;
  }
  return false;
}

/** funcs.go lt: basic kinds of the same kind only. */
function lt(arg1: unknown, arg2: unknown): boolean {
  const a = indirect(arg1);
  const b = indirect(arg2);
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === "invalid" || k1 === "other" || k1 === "bool" || k2 === "invalid" || k2 === "other" || k2 === "bool") {
    throw new GoCallError("invalid type for comparison");
  }
  if (k1 !== k2) throw new GoCallError("incompatible types for comparison");
  if (typeof a === "string" && typeof b === "string") return compareBytewise(a, b) < 0;
  return (a as number) < (b as number);
}

function length(item: unknown): bigint {
  if (item === undefined) throw new GoCallError("reflect: call of reflect.Value.Type on zero Value");
  if (item === null) throw new GoCallError("len of nil pointer");
  if (typeof item === "string") return BigInt(Buffer.byteLength(item, "utf8"));
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isGoMap(item)) return BigInt(Object.keys(item).length);
  throw new GoCallError(`len of type ${goTypeName(item)}`);
}

function indexArg(index: unknown, cap: number): number {
  if (index === undefined) throw new GoCallError("cannot index slice/array with nil");
  if (typeof index !== "bigint") throw new GoCallError(`cannot index slice/array with type ${goTypeName(index)}`);
  if (index < 0n || index >= BigInt(cap)) throw new GoCallError(`index out of range: ${index}`);
  return Number(index);
}

/** funcs.go index: successive indexes into lists, strings (a byte) and maps (a missing key is the element type's zero: the nil interface for map[string]interface{}). */
function index(item: unknown, ...indexes: unknown[]): unknown {
  let current = indirect(item);
  if (current === undefined) throw new GoCallError("index of untyped nil");
  for (const rawIndex of indexes) {
    const i = indirect(rawIndex);
    if (typeof current === "string") {
      const bytes = Buffer.from(current, "utf8");
      current = BigInt(bytes[indexArg(i, bytes.length)]!);
    } else if (Array.isArray(current)) current = current[indexArg(i, current.length)];
    else if (isGoMap(current)) {
      if (i === undefined) throw new GoCallError("value is nil; should be of type string");
      if (typeof i !== "string") throw new GoCallError(`value has type ${goTypeName(i)}; should be string`);
      current = Object.hasOwn(current, i) ? current[i] : (goMethodSetOf(current)?.elemZero?.() ?? null);
    } else if (current === null || current === undefined) throw new GoCallError("index of nil pointer");
    else throw new GoCallError(`can't index item of type ${goTypeName(current)}`);
  }
  return current;
}

/** funcs.go evalArgs: a single string as it is, else fmt.Sprint of the arguments. */
export function evalArgs(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return goSprint(args.map((a) => (a === undefined ? null : a)));
}

/** template.HTMLEscapeString. */
export function htmlEscapeString(text: string): string {
  return text.replace(
    /[\0"'&<>]/g,
    (c) => ({ "\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] ?? c,
  );
}

/** template.JSEscapeString as of Go 1.21+ (which also escapes the backtick). */
export function jsEscapeString(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (c === "\\") out += "\\\\";
    else if (c === "'") out += "\\'";
    else if (c === '"') out += '\\"';
    else if (c === "<" || c === ">" || c === "&" || c === "=" || c === "`") out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else if (code < 0x80 && (code < 0x20 || code === 0x7f)) out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else if (code >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u.test(c))
      out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += c;
  }
  return out;
}

/** text/template's builtins() (funcs.go), except `slice`, which sprig's FuncMap replaces. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ["and", raw(["any", "any"], () => undefined, true)],
  ["or", raw(["any", "any"], () => undefined, true)],
  ["not", raw(["any"], (a) => !isTrue(a))],
  ["len", raw(["any"], length)],
  ["index", raw(["any", "any"], index, true)],
  ["print", plain(["any"], (...args) => goSprint(args), true)],
  ["printf", plain(["string", "any"], (format, ...args) => goSprintf(format as string, args), true)],
  ["println", plain(["any"], (...args) => goSprintln(args), true)],
  ["html", plain(["any"], (...args) => htmlEscapeString(evalArgs(args)), true)],
  ["js", plain(["any"], (...args) => jsEscapeString(evalArgs(args)), true)],
  ["urlquery", plain(["any"], (...args) => goQueryEscape(Buffer.from(evalArgs(args), "utf8").toString("latin1")), true)],
  ["eq", raw(["any", "any"], eq, true)],
  ["ne", raw(["any", "any"], (a, b) => !eq(a, b))],
  ["lt", raw(["any", "any"], lt)],
  ["le", raw(["any", "any"], (a, b) => lt(a, b) || eq(a, b))],
  ["gt", raw(["any", "any"], (a, b) => !lt(a, b) && !eq(a, b))],
  ["ge", raw(["any", "any"], (a, b) => !lt(a, b))],
  [
    "call",
    raw(
      ["any", "any"],
      (fn) => {
        if (fn === undefined || fn === null) throw new GoCallError("call of nil");
        throw new GoCallError(`non-function of type ${goTypeName(fn)}`);
      },
      true,
    ),
  ],
]);
