/**
 * tidwall/gjson v1.18.0's Get(json, key).Int() for a key without path
 * syntax, on any text: gjson does not validate. Get skips to the first `{`
 * (a `[` first holds no key), then parseObject takes each `"…"` it meets as a
 * key and the next value-looking byte as its value, skipping whatever lies
 * between (no colon or comma needed); the first key equal to `key` (after
 * unescaping) wins, and whatever follows is never read. ory/x
 * tokenpagination reads its page tokens' `offset` this way.
 *
 * The text is handled as Go handles a string: bytes (a latin1 string here,
 * one character per byte).
 */

/** The value gjson found: its Type, its Raw text and, for a String, the unescaped Str. */
export type GjsonValue =
  { type: "none" } | { type: "string"; str: string } | { type: "number"; raw: string } | { type: "true" } | { type: "other" };

const INT64_MIN = -(1n << 63n);
const MAX_SAFE = 9007199254740991;

/** gjson.Get(text, key) for a plain key, on the bytes of `text` (latin1). */
export function gjsonGet(text: string, key: string): GjsonValue {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "{") return parseObject(text, i + 1, key);
    // parseArray reads a plain key as an index, which a name is not: nothing matches.
    if (text[i] === "[") return { type: "none" };
  }
  return { type: "none" };
}

function parseObject(s: string, start: number, key: string): GjsonValue {
  let i = start;
  while (i < s.length) {
    // The next key: the first `"` (a `}` first ends the object).
    let found: { text: string; escaped: boolean } | undefined;
    for (; i < s.length; i++) {
      if (s[i] === '"') {
        const end = stringEnd(s, i + 1);
        if (end === undefined) return { type: "none" };
        found = { text: s.slice(i + 1, end.close), escaped: end.escaped };
        i = end.close + 1;
        break;
      }
      if (s[i] === "}") return { type: "none" };
    }
    if (!found) return { type: "none" };
    const hit = (found.escaped ? unescape(found.text) : found.text) === key;
    // The value: the first byte that can start one.
    for (; i < s.length; i++) {
      const c = s[i] ?? "";
      if (c === '"') {
        const end = stringEnd(s, i + 1);
        if (end === undefined) return { type: "none" };
        const inner = s.slice(i + 1, end.close);
        if (hit) return { type: "string", str: end.escaped ? unescape(inner) : inner };
        i = end.close + 1;
      } else if (c === "{" || c === "[") {
        if (hit) return { type: "other" };
        i = squashEnd(s, i);
      } else if ((c === "n" && s[i + 1] === "u") || (c === "n" && i + 1 >= s.length) || c === "t" || c === "f") {
        // A literal: the lower-case letters from here (`nu…` is null, any other `n` a number).
        if (hit) return c === "t" ? { type: "true" } : { type: "other" };
        i = literalEnd(s, i);
      } else if ("+-0123456789iIN".includes(c) || c === "n") {
        const end = numberEnd(s, i);
        if (hit) return { type: "number", raw: s.slice(i, end) };
        i = end;
      } else continue;
      break;
    }
  }
  return { type: "none" };
}

/**
 * parseString's end of a string whose text starts at `from`: before any
 * backslash the first `"` closes it; after one, a `"` closes it unless the
 * backslashes right before it make an odd run (counted back as far as the
 * text's second byte, as gjson does).
 * Undefined when the text ends first.
 */
function stringEnd(s: string, from: number): { close: number; escaped: boolean } | undefined {
  let i = from;
  for (; i < s.length; i++) {
    if (s[i] === '"') return { close: i, escaped: false };
    if (s[i] === "\\") break;
  }
  for (i += 1; i < s.length; i++) {
    if (s[i] !== '"') continue;
    if (s[i - 1] === "\\") {
      let run = 0;
      for (let j = i - 2; j > 0 && s[j] === "\\"; j--) run++;
      if (run % 2 === 0) continue;
    }
    return { close: i, escaped: true };
  }
  return undefined;
}

/** parseSquash: past the bracket closing the one at `at` (`(` and `)` count too), strings skipped. */
function squashEnd(s: string, at: number): number {
  let depth = 1;
  for (let i = at + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      const textStart = i + 1;
      for (i = textStart; i < s.length; i++) {
        if (s[i] !== '"') continue;
        let run = 0;
        for (let j = i - 1; j >= textStart && s[j] === "\\"; j--) run++;
        if (run % 2 === 0) break;
      }
    } else if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return s.length;
}

function literalEnd(s: string, at: number): number {
  let i = at + 1;
  while (i < s.length && (s[i] ?? "") >= "a" && (s[i] ?? "") <= "z") i++;
  return i;
}

function numberEnd(s: string, at: number): number {
  let i = at + 1;
  while (i < s.length && !((s.charCodeAt(i) ?? 0) <= 0x20 || s[i] === "," || s[i] === "]" || s[i] === "}")) i++;
  return i;
}

/** gjson's unescape: stops at a control byte or an unknown escape; \u escapes become UTF-8 bytes. */
function unescape(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) return out;
    if (c !== 0x5c) {
      out += text[i];
      continue;
    }
    i++;
    const e = text[i];
    const simple: Record<string, string> = { "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", '"': '"' };
    if (e !== undefined && e in simple) {
      out += simple[e];
      continue;
    }
    if (e !== "u" || i + 5 > text.length) return out;
    let rune = hex4(text.slice(i + 1, i + 5));
    i += 5;
    if (rune >= 0xd800 && rune <= 0xdfff && text[i] === "\\" && text[i + 1] === "u" && text.length - i >= 6) {
      const low = hex4(text.slice(i + 2, i + 6));
      // utf16.DecodeRune: a pair that is not high then low is U+FFFD.
      rune = rune < 0xdc00 && low >= 0xdc00 && low <= 0xdfff ? 0x10000 + ((rune - 0xd800) << 10) + (low - 0xdc00) : 0xfffd;
      i += 6;
    }
    // utf8.EncodeRune writes a lone surrogate as U+FFFD.
    if (rune >= 0xd800 && rune <= 0xdfff) rune = 0xfffd;
    out += Buffer.from(String.fromCodePoint(rune), "utf8").toString("latin1");
    i--;
  }
  return out;
}

/** strconv.ParseUint(text[:4], 16, 64) with its error ignored: 0 unless all four are hex digits. */
const hex4 = (text: string): number => (/^[0-9a-fA-F]{4}$/.test(text) ? parseInt(text, 16) : 0);

/** Result.Int(): true 1; a String only as -?digits; a Number as safeInt, its raw -?digits, then Go's conversion; else 0. */
export function gjsonInt(value: GjsonValue): bigint {
  switch (value.type) {
    case "true":
      return 1n;
    case "string":
      return gjsonParseInt(value.str) ?? 0n;
    case "number": {
      const f = goParseFloat(value.raw);
      // safeInt: the comparisons are false for NaN, which goes on to the conversion.
      if (!(f < -MAX_SAFE || f > MAX_SAFE)) return float64ToInt64(f);
      return gjsonParseInt(value.raw) ?? float64ToInt64(f);
    }
    default:
      return 0n;
  }
}

/** gjson's parseInt: `-?[0-9]+`, accumulated in int64 (wrapping past it, as Go's arithmetic does). */
function gjsonParseInt(text: string): bigint | undefined {
  if (!/^-?[0-9]+$/.test(text)) return undefined;
  let n = 0n;
  for (const d of text.replace(/^-/, "")) n = BigInt.asIntN(64, n * 10n + BigInt(d));
  return text.startsWith("-") ? BigInt.asIntN(64, -n) : n;
}

/**
 * int64(f) as Go compiles it on amd64 (CVTTSD2SQ): truncation, and the
 * "integer indefinite" value, the smallest int64, for NaN and out of range.
 */
function float64ToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= 2 ** 63 || f < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

/**
 * strconv.ParseFloat(text, 64) with its error ignored: the value, 0 for a
 * syntax error, ±Inf past the range. Decimal and hexadecimal (`0x…p…`) forms,
 * `inf`/`infinity`/`nan` in any case, `_` between digits.
 */
export function goParseFloat(text: string): number {
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (special) return special[1] === "-" ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (text.includes("_") && !underscoreOk(text)) return 0;
  const t = text.replace(/_/g, "");
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return Number(t);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(t);
  if (!hex || `${hex[2]}${hex[3]}` === "") return 0;
  const mantissa = Number(BigInt(`0x${hex[2]}${hex[3]}`));
  const exponent = Math.max(-1e5, Math.min(1e5, Number(hex[4]))) - 4 * (hex[3] ?? "").length;
  const value = mantissa * 2 ** exponent;
  return hex[1] === "-" ? -value : value;
}

/** strconv's underscoreOK: underscores only between digits, or between a base prefix and a digit. */
function underscoreOk(text: string): boolean {
  let s = text.replace(/^[+-]/, "");
  let saw = "^";
  let hex = false;
  if (/^0[bBoOxX]/.test(s)) {
    saw = "0";
    hex = /^0[xX]/.test(s);
    s = s.slice(2);
  }
  for (const c of s) {
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) saw = "0";
    else if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
    } else {
      if (saw === "_") return false;
      saw = "!";
    }
  }
  return saw !== "_";
}
