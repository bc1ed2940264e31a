import { goTrimSpace } from "@olympus/server-kit/text";
import { RuntimeFailure } from "./errors";
import { array, codePoints, num, str, type Definitions, type StdContext } from "./std-support";
import { manifestJsonText, quoteJson, typeName, type Value } from "./values";

/** std's string functions: go-jsonnet's builtins (builtins.go) and the ones std.jsonnet defines in Jsonnet. */

function strip(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(codePoints(chars));
  const points = codePoints(s);
  let from = 0;
  let to = points.length;
  while (left && from < to && set.has(points[from] as string)) from++;
  while (right && to > from && set.has(points[to - 1] as string)) to--;
  return points.slice(from, to).join("");
}

function checkedSplitArgs(fn: string, c: string, limit: number): void {
  if (!Number.isInteger(limit)) throw new RuntimeFailure(`std.${fn} third parameter should be an integer, got ${limit}`);
  if (limit < -1) throw new RuntimeFailure(`std.${fn} third parameter should be -1 or non-negative, got ${limit}`);
  if (c === "") throw new RuntimeFailure(`std.${fn} second parameter should have length 1 or greater, got 0`);
}

/** builtinSplitLimit: Go's strings.SplitN with the limit shifted by one. */
export function splitLimit(s: string, sep: string, limit: number): string[] {
  checkedSplitArgs("splitLimit", sep, limit);
  const parts = s.split(sep);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  return [...parts.slice(0, limit), parts.slice(limit).join(sep)];
}

/** builtinSplitLimitR: the same, splitting from the right. */
function splitLimitR(s: string, sep: string, limit: number): string[] {
  checkedSplitArgs("splitLimitR", sep, limit);
  const parts = s.split(sep);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  const keep = parts.length - limit;
  return [parts.slice(0, keep).join(sep), ...parts.slice(keep)];
}

/**
 * builtinToString: a string as is, anything else as one-line JSON, manifested as go-jsonnet's manifestJSON does it
 * (an element's or field's failure shows `Array element i` / `Field "name"` on the trace).
 */
export function tracedToString(context: StdContext, value: Value): string {
  const { stack } = context;
  return typeof value === "string"
    ? value
    : manifestJsonText(value, "", "", { value: (fn) => stack.frame(fn), at: (message, fn) => stack.at({ message }, fn) });
}

/** builtinStrReplace: every `from` in `s` replaced by `to`. */
export function replaceAll(context: StdContext, s: string, from: string, to: string): string {
  if (from === "") throw new RuntimeFailure("'from' string must not be zero length.");
  const pieces = s.split(from);
  context.charge(pieces.reduce((total, piece) => total + piece.length, 0) + to.length * (pieces.length - 1));
  return pieces.join(to);
}

export function stringDefinitions(context: StdContext): Definitions {
  return {
    toString: { params: ["a"], body: ([a]: Value[]) => tracedToString(context, a ?? null) },
    // builtinSubstr's own messages.
    substr: {
      params: ["str", "from", "len"],
      body: ([s, from, len]) => {
        if (typeof s !== "string") throw new RuntimeFailure(`substr first parameter should be a string, got ${typeName(s ?? null)}`);
        if (typeof from !== "number") throw new RuntimeFailure(`substr second parameter should be a number, got ${typeName(from ?? null)}`);
        if (!Number.isInteger(from)) throw new RuntimeFailure(`substr second parameter should be an integer, got ${from.toFixed(6)}`);
        if (from < 0) throw new RuntimeFailure(`substr second parameter should be greater than zero, got ${from.toFixed(6)}`);
        if (typeof len !== "number") throw new RuntimeFailure(`substr third parameter should be a number, got ${typeName(len ?? null)}`);
        if (!Number.isInteger(len)) throw new RuntimeFailure(`substr third parameter should be an integer, got ${len.toFixed(6)}`);
        if (len < 0) throw new RuntimeFailure(`substr third parameter should be greater than zero, got ${len}`);
        return codePoints(s)
          .slice(from, from + len)
          .join("");
      },
    },
    stripChars: { params: ["str", "chars"], body: ([s, c]) => strip(str(s), str(c), true, true) },
    lstripChars: { params: ["str", "chars"], body: ([s, c]) => strip(str(s), str(c), true, false) },
    rstripChars: { params: ["str", "chars"], body: ([s, c]) => strip(str(s), str(c), false, true) },
    // go-jsonnet's builtinTrim is Go's strings.TrimSpace (unicode.IsSpace), not std.jsonnet's shorter list.
    trim: { params: ["str"], body: ([s]) => goTrimSpace(str(s)) },
    parseInt: {
      params: ["str"],
      body: ([s]) => {
        const text = str(s);
        // builtinParseInt: Go's strconv.ParseInt(s, 10, 64), which takes a sign and refuses what overflows int64.
        const valid = /^[+-]?[0-9]+$/.test(text) && BigInt(text) <= 2n ** 63n - 1n && BigInt(text) >= -(2n ** 63n);
        if (!valid) throw new RuntimeFailure(`${text} is not a base 10 integer`);
        return Number(BigInt(text));
      },
    },
    splitLimit: {
      params: ["str", "c", "maxsplits"],
      body: ([s, c, n]) => array(splitLimit(str(s), str(c), num(n))),
    },
    splitLimitR: {
      params: ["str", "c", "maxsplits"],
      body: ([s, c, n]) => array(splitLimitR(str(s), str(c), num(n))),
    },
    strReplace: {
      params: ["str", "from", "to"],
      body: ([s, from, to]) => replaceAll(context, str(s), str(from), str(to)),
    },
    equalsIgnoreCase: {
      params: ["str1", "str2"],
      body: ([a, b]) => {
        const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
        return lower(str(a)) === lower(str(b));
      },
    },
    isEmpty: { params: ["str"], body: ([s]) => str(s) === "" },
    escapeStringJson: { params: ["str_"], body: ([s]) => quoteJson(tracedToString(context, s ?? null)) },
  };
}
