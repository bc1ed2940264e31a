import { index } from "./operators";
import { stdSite, thunkFrom, type StdCode, type TypeName } from "./std-frames";
import { codepointOf } from "./std-math";
import { lengthOf } from "./std-objects";
import { charOf, codePoints, type Definition } from "./std-support";
import type { NamedPlace } from "./stack";
import { JArray, JFunction, Thunk, typeName, type Value } from "./values";

/**
 * std.jsonnet's type tests and character functions (isString … isFunction, stringChars, asciiLower, asciiUpper) as
 * go-jsonnet v0.21 runs them, with their `<std>` frames (see std-jsonnet-functions.ts): isX is `std.type(v) == …`,
 * stringChars is `std.makeArray(std.length(str), function(i) str[i])`, and asciiLower / asciiUpper are
 * `std.join('', std.map(letter, std.stringChars(str)))` with a local `letter(c)` testing `std.codepoint(c)`.
 */

/** go-jsonnet's location-less node (builtinMakeArray's element body), printed as an empty trace line. */
const UNPLACED = { message: "" };

const name = (depth: number) => thunkFrom("function <anonymous>", depth);

/** `std.isX(v)` called by user code: the function's own frame is the call's, then its std.type call reads `v`. */
export function isType(std: StdCode, type: TypeName | "boolean", v: Thunk): boolean {
  const lines = { string: [30, 17], number: [31, 17], boolean: [32, 18], object: [33, 17], array: [34, 16], function: [35, 19] };
  const [line = 0, column = 0] = lines[type];
  const value = std.argument(stdSite(line, column, column + 11, name(0)), stdSite(line, column + 9, column + 10, name(1)), v);
  return typeName(value) === type;
}

/** std.stringChars' body (line 76), run in its call's frame: the elements are `str[i]`, each read when needed. */
export function stringChars(std: StdCode, str: Thunk): JArray {
  const makeArray = stdSite(76, 5, 55, name(0));
  const length = stdSite(76, 19, 34, name(1));
  // The body is the std.makeArray call.
  std.endsInCall();
  const size = std.lazy(() => {
    const value = std.argument(length, stdSite(76, 30, 33, name(2)), str);
    return std.at(length, () => lengthOf(value));
  });
  const count = std.at(makeArray, () => size.get());
  const text = str.get();
  // A string's characters once, not per element (`str[i]` on a string is its i-th code point).
  const chars = typeof text === "string" ? codePoints(text) : undefined;
  const element = (i: number) =>
    // builtinMakeArray's element: a frame from where it is read, then the call of `function(i) str[i]` from no place.
    std.lazy(() =>
      std.at(UNPLACED, () => std.body(() => std.at(stdSite(76, 48, 54, name(0)), () => (chars ? (chars[i] ?? null) : index(text, i))))),
    );
  return new JArray(Array.from({ length: typeof count === "number" ? count : 0 }, (_, i) => element(i)));
}

/** Where asciiUpper (lines 179–185) and asciiLower (lines 187–193) call and read. */
interface CaseSites {
  join: NamedPlace;
  map: NamedPlace;
  chars: NamedPlace;
  str: NamedPlace;
  codepoint: NamedPlace;
  c: NamedPlace;
  letter: string;
  /** The letters the local function changes and by how much. */
  from: number;
  to: number;
  shift: number;
}

const caseSites = (line: number, letter: string, column: number, from: number, shift: number): CaseSites => {
  const body = line + 6;
  const width = letter === "down_letter" ? 2 : 0;
  return {
    join: stdSite(body, 5, 59 + width, name(0)),
    map: stdSite(body, 18, 58 + width, name(1)),
    chars: stdSite(body, 37 + width, 57 + width, name(2)),
    str: stdSite(body, 53 + width, 56 + width, name(3)),
    codepoint: stdSite(line + 2, column, column + 5, `function <${letter}>`),
    c: stdSite(line + 2, column + 3, column + 4, `thunk from <function <${letter}>>`),
    letter,
    from,
    to: from + 26,
    shift,
  };
};

const UPPER = caseSites(179, "up_letter", 29, 97, -32);
const LOWER = caseSites(187, "down_letter", 31, 65, 32);

/** asciiUpper / asciiLower's body, run in its call's frame. */
function changeCase(std: StdCode, map: (func: Thunk, arr: Thunk) => Value, str: Thunk, upper: boolean): Value {
  const at = upper ? UPPER : LOWER;
  // The local function is not evaluated; the std.join call is the body's first and last.
  std.endsInCall();
  const letter = new JFunction(
    [{ name: "c", hasDefault: false }],
    (args) =>
      std.body(() => {
        const c = args.positional[0] ?? args.named.get("c") ?? Thunk.of(null);
        const value = std.argument(at.codepoint, at.c, c);
        const point = std.at(at.codepoint, () => codepointOf(value));
        return point >= at.from && point < at.to ? charOf(point + at.shift) : value;
      }),
    at.letter,
  );
  const chars = std.lazy(() => std.call(at.chars, () => stringChars(std, std.variable(at.str, str))));
  // builtinJoin reads its array argument (the std.map call, a thunk of its own), then each element, all from its call.
  const mapped = std.call(at.join, () => std.call(at.map, () => map(Thunk.of(letter), chars)));
  // The checks above have read `str`; for a string no element can fail, so the letters are changed at once (the
  // same answer as calling `letter` on each character, without a thunk and a frame per character).
  const text = str.get();
  if (typeof text === "string")
    return upper ? text.replace(/[a-z]/g, (c) => c.toUpperCase()) : text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return std.at(at.join, () => {
    const elements = mapped instanceof JArray ? mapped.elements.map((e) => e.get()) : [];
    return elements.map((e) => (typeof e === "string" ? e : "")).join("");
  });
}

/** The definitions above, given the std.jsonnet function frame `define` wraps each body in. */
export function stringFunctions(
  std: StdCode,
  define: (params: string[], body: (args: Thunk[]) => Value) => Definition,
  map: (func: Thunk, arr: Thunk) => Value,
): Record<string, Definition> {
  const types = ["string", "number", "boolean", "object", "array", "function"] as const;
  const tests = Object.fromEntries(
    types.map((type) => [`is${type[0]?.toUpperCase()}${type.slice(1)}`, define(["v"], ([v]) => isType(std, type, v ?? Thunk.of(null)))]),
  );
  return {
    ...tests,
    stringChars: define(["str"], ([s]) => stringChars(std, s ?? Thunk.of(null))),
    asciiUpper: define(["str"], ([s]) => changeCase(std, map, s ?? Thunk.of(null), true)),
    asciiLower: define(["str"], ([s]) => changeCase(std, map, s ?? Thunk.of(null), false)),
  };
}
