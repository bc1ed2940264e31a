import { createHash } from "node:crypto";
import path from "node:path";
import { GoSyntaxError, scanGoJson } from "@olympus/server-kit/go-json";
import { goQuote } from "@olympus/server-kit/go-strconv";
import { goStdBase64Decode, goToLower, goTrimSpace } from "@olympus/server-kit/text";
import { spendStep } from "./budget";
import { GoCallError } from "./evaluator";
import { base32Decode, base32Encode } from "./sprig-base32";
import { asList, goJson, isEmpty, strslice, strval, toFloat64, toInt64 } from "./sprig-convert";
import { deepCopy } from "./sprig-deep-copy";
import { abbrevboth, wrapCustom } from "./sprig-goutils";
import { mergeDicts } from "./sprig-merge";
import { guardLength } from "./sprig-limits";
import { decimalOp, round, seq, toDecimal } from "./sprig-numeric";
import { urlJoin, urlParse } from "./sprig-url";
import { compareBytewise, type GoFunc, goMethodSetOf, goScalarTypeName, goTypeName, type GoMap, isGoMap, type ParamType } from "./values";

/**
 * The part of sprig v3.3.0's HermeticTxtFuncMap / HermeticHtmlFuncMap
 * (functions.go genericMap minus nonhermeticFunctions) that is implemented
 * here; the README lists the rest. Each follows sprig's function of the same
 * name; a Go panic inside one (e.g. `div 1 0`) is its "error calling".
 */

export { MAX_BUILT_LENGTH } from "./sprig-limits";

const fn = (params: ParamType[], call: GoFunc["call"], variadic = false): GoFunc => ({ params, call, variadic });
const s1 = (call: (a: string) => unknown) => fn(["string"], (a) => call(a as string));
const s2 = (call: (a: string, b: string) => unknown) => fn(["string", "string"], (a, b) => call(a as string, b as string));

const byteLength = (s: string) => Buffer.byteLength(s, "utf8");
/** Go's s[a:b] on bytes; a cut through a character leaves U+FFFD, as printing invalid UTF-8 would. */
const byteSlice = (s: string, a: number, b?: number) => Buffer.from(s, "utf8").subarray(a, b).toString("utf8");

function goToUpper(text: string): string {
  // unicode.ToUpper maps rune by rune; JavaScript's may grow a character (ß → SS), which Go leaves.
  return [...text].map((c) => (c.toUpperCase().length === c.length ? c.toUpperCase() : c)).join("");
}

/** strings.Title: the first letter of each word upper-cased (words start after a separator). */
function title(text: string): string {
  let previous = " ";
  let out = "";
  for (const c of text) {
    const separator = !/^[\p{L}\p{N}_]$/u.test(previous);
    out += separator ? goToUpper(c) : c;
    previous = c;
  }
  return out;
}

function untitle(text: string): string {
  let previous = " ";
  let out = "";
  for (const c of text) {
    out += /\s/.test(previous) ? goToLower(c) : c;
    previous = c;
  }
  return out;
}

function trimCutset(text: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set([...cutset]);
  const chars = [...text];
  let a = 0;
  let b = chars.length;
  if (left) while (a < b && set.has(chars[a]!)) a++;
  if (right) while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join("");
}

/** strings.Replace(s, old, new, -1): an empty `old` matches before every character and at the end. */
function replaceAll(text: string, old: string, replacement: string): string {
  const parts = old === "" ? ["", ...text, ""] : text.split(old);
  guardLength(BigInt(byteLength(text)) + BigInt(parts.length) * BigInt(byteLength(replacement)));
  return parts.join(replacement);
}

function abbrev(width: bigint, text: string): string {
  const w = Number(width);
  if (w < 4) return text;
  return text.length > w ? `${text.slice(0, w - 3)}...` : text;
}

function trunc(count: bigint, text: string): string {
  const c = Number(count);
  const length = byteLength(text);
  if (c < 0 && length + c > 0) return byteSlice(text, length + c);
  if (c >= 0 && length > c) return byteSlice(text, 0, c);
  return text;
}

function substr(start: bigint, end: bigint, text: string): string {
  const length = byteLength(text);
  const a = Number(start);
  const b = Number(end);
  if (a < 0) return byteSlice(text, 0, b);
  if (b < 0 || b > length) return byteSlice(text, a);
  return byteSlice(text, a, b);
}

function indent(spaces: bigint, text: string): string {
  const pad = " ".repeat(guardLength(spaces < 0n ? 0n : spaces));
  return pad + text.split("\n").join(`\n${pad}`);
}

/** A list argument (reflect Slice/Array); `message` is sprig's error with `%s` for the value's kind. */
function list(value: unknown, message: string): unknown[] {
  const items = asList(value);
  if (items !== undefined) return items;
  // reflect.TypeOf(nil).Kind(): a nil Type's method panics.
  if (value === null || value === undefined) throw new GoCallError("runtime error: invalid memory address or nil pointer dereference");
  throw new GoCallError(message.replace("%s", kindOf(value)));
}

function dict(...pairs: unknown[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < pairs.length; i += 2) setKey(out, strval(pairs[i]), i + 1 < pairs.length ? pairs[i + 1] : "");
  return out;
}

/** A Go map assignment: defined as an own property, so `__proto__` is a key like any other, not the prototype. */
function setKey(d: GoMap, key: string, value: unknown): GoMap {
  Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
  return d;
}

/** sprig's toJson and toPrettyJson drop json.Marshal's error (a cycle) and print nothing. */
function jsonOrEmpty(marshal: () => string): string {
  try {
    return marshal();
  } catch (error) {
    if (error instanceof GoCallError) return "";
    throw error;
  }
}

function map(value: unknown): GoMap {
  return isGoMap(value) ? value : {};
}

/** A Go type assertion `value.(T)` that fails: the runtime's panic text. */
function assertionFailed(value: unknown, want: string): never {
  throw new GoCallError(`interface conversion: interface {} is ${value === null ? "nil" : goTypeName(value)}, not ${want}`);
}

/** sprig's dig: `dig "a" "b" default dict` walks nested map[string]interface{} values; a missing key is the default. */
function dig(...args: unknown[]): unknown {
  if (args.length < 3) throw new GoCallError("dig needs at least three arguments");
  let current = args[args.length - 1];
  if (!isGoMap(current) || goMethodSetOf(current)) assertionFailed(current, "map[string]interface {}");
  const fallback = args[args.length - 2];
  const keys = args.slice(0, -2).map((k) => (typeof k === "string" ? k : assertionFailed(k, "string")));
  for (const [i, key] of keys.entries()) {
    if (!isGoMap(current) || goMethodSetOf(current)) assertionFailed(current, "map[string]interface {}");
    if (!Object.hasOwn(current, key)) return fallback;
    current = current[key];
    if (i === keys.length - 1) return current;
  }
  return current;
}

/** sprig's mustChunk: sizes computed in float64 as sprig does, so a size below 1 is Go's makeslice panic (or, for some, an empty list). */
function chunk(size: bigint, value: unknown, name: string): unknown[][] {
  const items = list(value, `Cannot ${name} type %s`);
  const length = items.length;
  const s = Number(size);
  const outOfRange = () => new GoCallError("runtime error: makeslice: len out of range");
  const count = Math.floor((length - 1) / s) + 1;
  if (!Number.isFinite(count) || count < 0) throw outOfRange();
  const out: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    let chunkLength = s;
    if (i === count - 1) {
      chunkLength = Math.floor(length % s);
      if (chunkLength === 0) chunkLength = s;
    }
    if (chunkLength < 0) throw outOfRange();
    out.push(items.slice(i * s, i * s + chunkLength));
  }
  return out;
}

function until(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if (step === 0n || (step > 0n && start >= stop) || (step < 0n && start <= stop)) return out;
  guardLength((stop - start) / step);
  for (let i = start; step > 0n ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isGoMap(a) && isGoMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return a === b;
}

function intDivide(a: bigint, b: bigint, op: "div" | "mod"): bigint {
  if (b === 0n) throw new GoCallError("runtime error: integer divide by zero");
  return BigInt.asIntN(64, op === "div" ? a / b : a % b);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "invalid";
  const scalar = goScalarTypeName(value);
  if (scalar !== undefined) return scalar;
  if (Array.isArray(value) || value instanceof Uint8Array) return "slice";
  return isGoMap(value) ? "map" : "ptr";
}

/** unicode.ToTitle of a lower-case letter: upper case, except the DŽ digraphs' own title forms and Georgian Mkhedruli (its own title case). */
function goToTitle(c: string): string {
  const code = c.codePointAt(0)!;
  if (code === 0x1c6 || code === 0x1c9 || code === 0x1cc || code === 0x1f3) return String.fromCodePoint(code - 1);
  if (code >= 0x10d0 && code <= 0x10ff) return c;
  return goToUpper(c);
}

/** unicode.IsSpace: Go's White_Space set (U+0085 yes, U+FEFF no, unlike JavaScript's \s). */
const isGoSpace = (c: string) => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(c);

/** goutils SwapCase (sprig's swapcase): upper and title case lowered; lower case raised, to title case after a space or at the start. */
function swapCase(text: string): string {
  let afterSpace = true;
  let out = "";
  for (const c of text) {
    if (/^[\p{Lu}\p{Lt}]$/u.test(c)) {
      out += goToLower(c);
      afterSpace = false;
    } else if (/^\p{Ll}$/u.test(c)) {
      out += afterSpace ? goToTitle(c) : goToUpper(c);
      afterSpace = false;
    } else {
      out += c;
      afterSpace = isGoSpace(c);
    }
  }
  return out;
}

/** hash/adler32 Checksum of the UTF-8 bytes, printed as an unsigned decimal (sprig crypto.go adler32sum). */
function adler32(text: string): string {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, "utf8")) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(b * 65536 + a);
}

/** sprig defaults.go mustFromJson: json.Unmarshal's syntax error is the call's error. */
function mustFromJson(text: string): unknown {
  try {
    scanGoJson(Buffer.from(text, "utf8"), "unmarshal");
  } catch (error) {
    if (error instanceof GoSyntaxError) throw new GoCallError(error.message);
    throw error;
  }
  return JSON.parse(text) as unknown;
}

const listFns = (name: string, pick: (items: unknown[]) => unknown): [string, GoFunc][] => [
  [name, fn(["any"], (v) => pick(list(v, `Cannot find ${name} on type %s`)))],
  [`must${name[0]!.toUpperCase()}${name.slice(1)}`, fn(["any"], (v) => pick(list(v, `Cannot find ${name} on type %s`)))],
];

/** json.Unmarshal into interface{}: numbers are float64; text that does not parse is nil. */
function fromJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const BASE: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ["hello", fn([], () => "Hello!")],
  // strings
  ["abbrev", fn(["int", "string"], (w, s) => abbrev(w as bigint, s as string))],
  ["trunc", fn(["int", "string"], (c, s) => trunc(c as bigint, s as string))],
  ["trim", s1(goTrimSpace)],
  ["upper", s1(goToUpper)],
  ["lower", s1(goToLower)],
  ["title", s1(title)],
  ["untitle", s1(untitle)],
  ["substr", fn(["int", "int", "string"], (a, b, s) => substr(a as bigint, b as bigint, s as string))],
  [
    "repeat",
    fn(["int", "string"], (n, s) => {
      if ((n as bigint) < 0n) throw new GoCallError("strings: negative Repeat count");
      guardLength((n as bigint) * BigInt(byteLength(s as string)));
      return (s as string).repeat(Number(n));
    }),
  ],
  ["trimall", s2((a, b) => trimCutset(b, a, true, true))],
  ["trimAll", s2((a, b) => trimCutset(b, a, true, true))],
  ["trimSuffix", s2((a, b) => (a !== "" && b.endsWith(a) ? b.slice(0, b.length - a.length) : b))],
  ["trimPrefix", s2((a, b) => (b.startsWith(a) ? b.slice(a.length) : b))],
  ["nospace", s1((s) => s.replace(/\s/gu, ""))],
  ["initials", s1((s) => (s.match(/(?:^|\s)(\S)/gu) ?? []).map((m) => m.trim()).join(""))],
  ["contains", s2((sub, s) => s.includes(sub))],
  ["hasPrefix", s2((sub, s) => s.startsWith(sub))],
  ["hasSuffix", s2((sub, s) => s.endsWith(sub))],
  [
    "quote",
    fn(
      ["any"],
      (...v) =>
        v
          .filter((x) => x !== null)
          .map((x) => goQuote(strval(x)))
          .join(" "),
      true,
    ),
  ],
  [
    "squote",
    fn(
      ["any"],
      (...v) =>
        v
          .filter((x) => x !== null)
          .map((x) => `'${strval(x)}'`)
          .join(" "),
      true,
    ),
  ],
  [
    "cat",
    fn(
      ["any"],
      (...v) =>
        v
          .filter((x) => x !== null)
          .map(strval)
          .join(" ")
          .trim(),
      true,
    ),
  ],
  ["indent", fn(["int", "string"], (n, s) => indent(n as bigint, s as string))],
  ["nindent", fn(["int", "string"], (n, s) => `\n${indent(n as bigint, s as string)}`)],
  ["replace", fn(["string", "string", "string"], (o, n, s) => replaceAll(s as string, o as string, n as string))],
  ["plural", fn(["string", "string", "int"], (one, many, count) => (count === 1n ? one : many))],
  ["sha1sum", s1((s) => createHash("sha1").update(s).digest("hex"))],
  ["sha256sum", s1((s) => createHash("sha256").update(s).digest("hex"))],
  ["sha512sum", s1((s) => createHash("sha512").update(s).digest("hex"))],
  ["toString", fn(["any"], strval)],
  // conversions and arithmetic (int64, like sprig)
  ["atoi", s1((s) => (/^[+-]?\d+$/.test(s) ? BigInt.asIntN(64, BigInt(s)) : 0n))],
  ["int64", fn(["any"], toInt64)],
  ["int", fn(["any"], toInt64)],
  ["float64", fn(["any"], toFloat64)],
  ["split", s2((sep, s) => Object.fromEntries(s.split(sep).map((part, i) => [`_${i}`, part])))],
  ["splitList", s2((sep, s) => s.split(sep))],
  [
    "splitn",
    fn(["string", "int", "string"], (sep, n, s) => {
      const parts = (s as string).split(sep as string);
      const count = Number(n);
      const kept = count > 0 && parts.length > count ? [...parts.slice(0, count - 1), parts.slice(count - 1).join(sep as string)] : parts;
      return Object.fromEntries(kept.map((part, i) => [`_${i}`, part]));
    }),
  ],
  ["toStrings", fn(["any"], strslice)],
  ["until", fn(["int"], (n) => until(0n, n as bigint, (n as bigint) < 0n ? -1n : 1n))],
  ["untilStep", fn(["int", "int", "int"], (a, b, c) => until(a as bigint, b as bigint, c as bigint))],
  ["add1", fn(["any"], (i) => BigInt.asIntN(64, toInt64(i) + 1n))],
  [
    "add",
    fn(
      ["any"],
      (...v) =>
        BigInt.asIntN(
          64,
          v.reduce<bigint>((sum, x) => sum + toInt64(x), 0n),
        ),
      true,
    ),
  ],
  ["sub", fn(["any", "any"], (a, b) => BigInt.asIntN(64, toInt64(a) - toInt64(b)))],
  ["div", fn(["any", "any"], (a, b) => intDivide(toInt64(a), toInt64(b), "div"))],
  ["mod", fn(["any", "any"], (a, b) => intDivide(toInt64(a), toInt64(b), "mod"))],
  [
    "mul",
    fn(
      ["any", "any"],
      (a, ...v) =>
        BigInt.asIntN(
          64,
          v.reduce<bigint>((p, x) => p * toInt64(x), toInt64(a)),
        ),
      true,
    ),
  ],
  ["max", fn(["any", "any"], (a, ...v) => v.map(toInt64).reduce((m, x) => (x > m ? x : m), toInt64(a)), true)],
  ["biggest", fn(["any", "any"], (a, ...v) => v.map(toInt64).reduce((m, x) => (x > m ? x : m), toInt64(a)), true)],
  ["min", fn(["any", "any"], (a, ...v) => v.map(toInt64).reduce((m, x) => (x < m ? x : m), toInt64(a)), true)],
  ["ceil", fn(["any"], (a) => Math.ceil(toFloat64(a)))],
  ["floor", fn(["any"], (a) => Math.floor(toFloat64(a)))],
  // defaults, logic, JSON
  ["join", fn(["string", "any"], (sep, v) => strslice(v).join(sep as string))],
  ["sortAlpha", fn(["any"], (v) => (asList(v) ? strslice(v) : [strval(v)]).sort(compareBytewise))],
  ["default", fn(["any", "any"], (d, ...given) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]), true)],
  ["empty", fn(["any"], isEmpty)],
  ["coalesce", fn(["any"], (...v) => v.find((x) => !isEmpty(x)) ?? null, true)],
  ["all", fn(["any"], (...v) => v.every((x) => !isEmpty(x)), true)],
  ["any", fn(["any"], (...v) => v.some((x) => !isEmpty(x)), true)],
  ["compact", fn(["any"], (v) => list(v, "Cannot compact on type %s").filter((x) => !isEmpty(x)))],
  ["ternary", fn(["any", "any", "bool"], (yes, no, condition) => (condition ? yes : no))],
  ["toJson", fn(["any"], (v) => jsonOrEmpty(() => goJson(v)))],
  ["toPrettyJson", fn(["any"], (v) => jsonOrEmpty(() => goJson(v, { pretty: true })))],
  ["toRawJson", fn(["any"], (v) => goJson(v, { escapeHtml: false }))],
  ["mustToJson", fn(["any"], (v) => goJson(v))],
  ["mustToPrettyJson", fn(["any"], (v) => goJson(v, { pretty: true }))],
  ["mustToRawJson", fn(["any"], (v) => goJson(v, { escapeHtml: false }))],
  [
    "fail",
    s1((message) => {
      throw new GoCallError(message);
    }),
  ],
  // encodings and paths
  ["b32enc", s1(base32Encode)],
  ["b32dec", s1(base32Decode)],
  ["b64enc", s1((s) => Buffer.from(s, "utf8").toString("base64"))],
  [
    "b64dec",
    s1((s) => {
      const decoded = goStdBase64Decode(s);
      return "error" in decoded ? decoded.error : Buffer.from(decoded.bytes).toString("utf8");
    }),
  ],
  ["base", s1((p) => (p === "" ? "." : path.posix.basename(p.replace(/\/+$/, "")) || "/"))],
  ["dir", s1((p) => path.posix.dirname(p) || ".")],
  ["ext", s1((p) => path.posix.extname(p))],
  ["clean", s1((p) => (p === "" ? "." : path.posix.normalize(p).replace(/(.)\/$/, "$1")))],
  ["isAbs", s1((p) => p.startsWith("/"))],
  // lists and dicts
  ["list", fn(["any"], (...v) => v, true)],
  ["tuple", fn(["any"], (...v) => v, true)],
  ["dict", fn(["any"], dict, true)],
  ["get", fn(["map", "string"], (d, k) => (Object.hasOwn(map(d), k as string) ? map(d)[k as string] : ""))],
  ["set", fn(["map", "string", "any"], (d, k, v) => setKey(map(d), k as string, v))],
  [
    "unset",
    fn(["map", "string"], (d, k) => {
      delete map(d)[k as string];
      return d;
    }),
  ],
  ["dig", fn(["any"], dig, true)],
  [
    "pluck",
    fn(["string", "map"], (k, ...ds) => ds.filter((d) => Object.hasOwn(map(d), k as string)).map((d) => map(d)[k as string]), true),
  ],
  ["chunk", fn(["int", "any"], (size, l) => chunk(size as bigint, l, "chunk"))],
  ["mustChunk", fn(["int", "any"], (size, l) => chunk(size as bigint, l, "chunk"))],
  ["hasKey", fn(["map", "string"], (d, k) => Object.hasOwn(map(d), k as string))],
  ["keys", fn(["map"], (...ds) => ds.flatMap((d) => Object.keys(map(d))).sort(compareBytewise), true)],
  [
    "values",
    fn(["map"], (d) =>
      Object.keys(map(d))
        .sort(compareBytewise)
        .map((k) => map(d)[k]),
    ),
  ],
  [
    "pick",
    fn(
      ["map", "string"],
      (d, ...ks) => Object.fromEntries((ks as string[]).filter((k) => Object.hasOwn(map(d), k)).map((k) => [k, map(d)[k]])),
      true,
    ),
  ],
  [
    "omit",
    fn(["map", "string"], (d, ...ks) => Object.fromEntries(Object.entries(map(d)).filter(([k]) => !(ks as string[]).includes(k))), true),
  ],
  ...listFns("first", (items) => (items.length === 0 ? null : items[0])),
  ...listFns("last", (items) => (items.length === 0 ? null : items[items.length - 1])),
  ...listFns("rest", (items) => (items.length === 0 ? null : items.slice(1))),
  ...listFns("initial", (items) => (items.length === 0 ? null : items.slice(0, -1))),
  ...listFns("reverse", (items) => [...items].reverse()),
  ...listFns("uniq", (items) =>
    items.filter((v, i) => {
      // Pairwise, as sprig compares: one budget step per item keeps a long list within the template's caps.
      spendStep();
      return items.findIndex((w) => deepEqual(v, w)) === i;
    }),
  ),
  ["append", fn(["any", "any"], (l, v) => [...list(l, "Cannot push on type %s"), v].slice(0, guardLength(asList(l)?.length ?? 0) + 1))],
  ["push", fn(["any", "any"], (l, v) => [...list(l, "Cannot push on type %s"), v].slice(0, guardLength(asList(l)?.length ?? 0) + 1))],
  ["prepend", fn(["any", "any"], (l, v) => [v, ...list(l, "Cannot prepend on type %s")])],
  [
    "without",
    fn(["any", "any"], (l, ...omit) => list(l, "Cannot find without on type %s").filter((v) => !omit.some((o) => deepEqual(v, o))), true),
  ],
  [
    "has",
    fn(["any", "any"], (needle, haystack) =>
      haystack === null ? false : list(haystack, "Cannot find has on type %s").some((v) => deepEqual(v, needle)),
    ),
  ],
  ["concat", fn(["any"], (...ls) => ls.flatMap((l) => list(l, "Cannot concat type %s as list")), true)],
  [
    "slice",
    fn(
      ["any", "any"],
      (l, ...indices) => {
        const items = list(l, "list should be type of slice or array but %s");
        if (items.length === 0) return null;
        const a = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
        const b = indices.length > 1 ? Number(toInt64(indices[1])) : items.length;
        if (a < 0 || b > items.length || a > b) throw new GoCallError(`runtime error: slice bounds out of range [${a}:${b}]`);
        return items.slice(a, b);
      },
      true,
    ),
  ],
  ["deepEqual", fn(["any", "any"], deepEqual)],
  ["fromJson", s1(fromJson)],
  ["osBase", s1((p) => (p === "" ? "." : path.posix.basename(p.replace(/\/+$/, "")) || "/"))],
  ["osDir", s1((p) => path.posix.dirname(p) || ".")],
  ["osExt", s1((p) => path.posix.extname(p))],
  ["osClean", s1((p) => (p === "" ? "." : path.posix.normalize(p).replace(/(.)\/$/, "$1")))],
  ["osIsAbs", s1((p) => p.startsWith("/"))],
  ["kindOf", fn(["any"], kindOf)],
  ["kindIs", fn(["string", "any"], (k, v) => k === kindOf(v))],
  ["typeOf", fn(["any"], (v) => (v === null ? "<nil>" : goTypeName(v)))],
  // sprig reflect.go typeIsLike: the type's name, or a pointer to it.
  [
    "typeIsLike",
    fn(["string", "any"], (t, v) => {
      const name = v === null ? "<nil>" : goTypeName(v);
      return t === name || `*${t as string}` === name;
    }),
  ],
  ["swapcase", s1(swapCase)],
  ["wrap", fn(["int", "string"], (l, s) => wrapCustom(s as string, Number(l), "", false))],
  ["wrapWith", fn(["int", "string", "string"], (l, sep, s) => wrapCustom(s as string, Number(l), sep as string, true))],
  ["abbrevboth", fn(["int", "int", "string"], (l, r, s) => abbrevboth(Number(l), Number(r), s as string))],
  ["adler32sum", s1(adler32)],
  ["seq", fn(["int"], (...p) => seq(...(p as bigint[])), true)],
  ["mustFromJson", s1(mustFromJson)],
  ["deepCopy", fn(["any"], deepCopy)],
  ["mustDeepCopy", fn(["any"], deepCopy)],
  ["merge", fn(["map", "map"], (d, ...srcs) => mergeDicts(map(d), srcs.map(map), false, false), true)],
  ["mustMerge", fn(["map", "map"], (d, ...srcs) => mergeDicts(map(d), srcs.map(map), false, true), true)],
  ["mergeOverwrite", fn(["map", "map"], (d, ...srcs) => mergeDicts(map(d), srcs.map(map), true, false), true)],
  ["mustMergeOverwrite", fn(["map", "map"], (d, ...srcs) => mergeDicts(map(d), srcs.map(map), true, true), true)],
  ["urlParse", s1(urlParse)],
  ["urlJoin", fn(["map"], (d) => urlJoin(map(d), kindOf))],
  ["toDecimal", fn(["any"], toDecimal)],
  ["add1f", fn(["any"], (i) => decimalOp("add", i, [1n]))],
  ["addf", fn(["any"], (...v) => decimalOp("add", 0, v), true)],
  ["subf", fn(["any", "any"], (a, ...v) => decimalOp("sub", a, v), true)],
  ["divf", fn(["any", "any"], (a, ...v) => decimalOp("div", a, v), true)],
  ["mulf", fn(["any", "any"], (a, ...v) => decimalOp("mul", a, v), true)],
  ["maxf", fn(["any", "any"], (a, ...v) => v.map(toFloat64).reduce((m, x) => Math.max(m, x), toFloat64(a)), true)],
  ["minf", fn(["any", "any"], (a, ...v) => v.map(toFloat64).reduce((m, x) => Math.min(m, x), toFloat64(a)), true)],
  ["round", fn(["any", "int", "float64"], (a, p, ...on) => round(a, p as bigint, ...(on as number[])), true)],
  ["typeIs", fn(["string", "any"], (t, v) => t === (v === null ? "<nil>" : goTypeName(v)))],
]);

/** The must* twins return as an error what the plain ones panic with: both read "error calling <name>: <text>". */
const MUST_TWINS: Record<string, string> = {
  mustCompact: "compact",
  mustAppend: "append",
  mustPush: "push",
  mustPrepend: "prepend",
  mustWithout: "without",
  mustHas: "has",
  mustSlice: "slice",
};

export const SPRIG_FUNCS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ...BASE,
  ...Object.entries(MUST_TWINS).map(([must, plain]): [string, GoFunc] => [must, BASE.get(plain)!]),
]);
