import { RuntimeFailure } from "./errors";
import { isTypeTraced, type StdCode, stdSite, thunkFrom } from "./std-frames";
import { codePoints, sortedFields, type Definition, type StdContext } from "./std-support";
import type { NamedPlace } from "./stack";
import { JArray, JObject, plus, Thunk, typeName, unexpectedType, type Value } from "./values";

/**
 * std.lines, std.deepJoin, std.parseOctal, std.parseHex, std.repeat and std.findSubstr as go-jsonnet v0.21 runs them:
 * std.jsonnet code (lines 78–112, 198–203, 327–336, 1642–1653), not builtins.go funcBuiltins, so their failures carry the `<std>` frames of
 * that code (std-frames.ts). Checked against a go-jsonnet build in testdata/go-jsonnet-std-frames.json.
 */

const name = (depth: number) => thunkFrom("function <anonymous>", depth);
const site = (line: number, column: number, endColumn: number, depth = 0) => stdSite(line, column, endColumn, name(depth));

/** A failed `assert`: its desugared `error` has the assertion's extent (here over several lines) and no name. */
const assertion = (line: number, column: number, endLine: number, endColumn: number) => ({
  message: "",
  loc: { filename: "<std>", line, column, endLine, endColumn },
});

const JOINER = "thunk <joiner> from <function <anonymous>>";

/** go-jsonnet's location-less node (builtinMakeArray's element body), printed as an empty trace line. */
const UNPLACED = { message: "" };

/** Elements joined between two looks at the evaluation's deadline. */
const CLOCK_CHECK_EVERY = 1024;

/** builtinJoin's joinStrings: elements forced in order, nulls skipped, anything else but a string refused. */
export function joinStrings(context: StdContext, sep: string, elements: Thunk[]): string {
  const parts: string[] = [];
  for (const [i, element] of elements.entries()) {
    // Forcing an element may run no Jsonnet step the evaluator counts (a lazy character), so look at the clock here.
    if (i % CLOCK_CHECK_EVERY === CLOCK_CHECK_EVERY - 1) context.charge(0);
    const value = element.get();
    if (value === null) continue;
    if (typeof value !== "string") throw unexpectedType(value, "string");
    parts.push(value);
  }
  context.charge(parts.reduce((total, part) => total + part.length, 0) + sep.length * Math.max(0, parts.length - 1));
  return parts.join(sep);
}

/** builtinJoin with an array separator (joinArrays): nulls skipped, other non-arrays refused. */
function joinArrays(context: StdContext, sep: JArray, elements: Thunk[]): JArray {
  const out: Thunk[] = [];
  let first = true;
  for (const element of elements) {
    const value = element.get();
    if (value === null) continue;
    if (!(value instanceof JArray)) throw unexpectedType(value, "array");
    // Charged before building: std.repeat of a long array is how a program would build a huge one.
    context.charge(value.elements.length + (first ? 0 : sep.elements.length));
    // Element by element: a spread passes each as an argument, and a long array overflows JavaScript's stack.
    if (!first) for (const item of sep.elements) out.push(item);
    for (const item of value.elements) out.push(item);
    first = false;
  }
  return new JArray(out);
}

/** The strings of an array of field names (std.objectFields' answer). */
export const namesOf = (list: Value): string[] =>
  list instanceof JArray ? list.elements.map((e) => e.get()).filter((n): n is string => typeof n === "string") : [];

/** builtinJoin after its arguments are forced. */
export function join(context: StdContext, sep: Value, arr: Value): Value {
  if (!(arr instanceof JArray)) throw unexpectedType(arr, "array");
  if (typeof sep === "string") return joinStrings(context, sep, arr.elements);
  if (sep instanceof JArray) return joinArrays(context, sep, arr.elements);
  throw new RuntimeFailure(`join first parameter should be string or array, got ${typeName(sep)}`);
}

/**
 * `std.objectFields(o)` called at `call` with `o` read at `variable`: objectFields' frame, whose body (std.jsonnet
 * line 1559) is `std.objectFieldsEx(o, false)`.
 */
export function objectFieldsTraced(std: StdCode, call: NamedPlace, variable: NamedPlace, o: Thunk): string[] {
  return std.call(call, () => {
    const inner = site(1559, 5, 33);
    const value = std.argument(inner, site(1559, 24, 25, 1), std.variable(variable, o));
    return std.at(inner, () => {
      if (!(value instanceof JObject)) throw unexpectedType(value, "object");
      return sortedFields(value, false);
    });
  });
}

export class StdText {
  constructor(
    private readonly std: StdCode,
    private readonly context: StdContext,
  ) {}

  /** std.lines (line 328): `std.join('\n', arr + [''])`, the `+` a thunk forced by the join. */
  lines(arr: Thunk): Value {
    const call = site(328, 5, 31);
    // The body is the std.join call.
    this.std.endsInCall();
    const list = this.std.lazy(() => {
      const left = this.std.read(site(328, 20, 23, 1), arr);
      return this.std.at(site(328, 20, 30, 1), () => plus(left, new JArray([Thunk.of("")])));
    });
    const value = this.std.at(call, () => list.get());
    return this.std.at(call, () => join(this.context, "\n", value));
  }

  /**
   * std.deepJoin (lines 330–336): a string as is, an array by `std.join('', [std.deepJoin(x) for x in arr])`, whose
   * elements each call deepJoin when the join reads them.
   */
  deepJoin(arr: Thunk): Value {
    if (isTypeTraced(this.std, "string", site(331, 8, 25), site(331, 21, 24, 1), arr)) return arr.get();
    if (isTypeTraced(this.std, "array", site(333, 13, 29), site(333, 25, 28, 1), arr)) {
      // `std.join('', …)` ends the body.
      this.std.endsInCall();
      const value = arr.get();
      const elements = value instanceof JArray ? value.elements : [];
      const parts = elements.map((x) =>
        this.std.lazy(() => this.std.call(site(334, 21, 36, 2), () => this.deepJoin(this.std.variable(site(334, 34, 35, 3), x)))),
      );
      return this.std.at(site(334, 7, 51), () => joinStrings(this.context, "", parts));
    }
    return this.std.fail(site(336, 7, 63), `Expected string or array, got ${typeName(arr.get())}`);
  }

  /**
   * std.parseOctal / std.parseHex (lines 104–112): two assertions, then parse_nat (lines 78–94), whose foldl calls
   * addDigit per character; addDigit's assertion fails on a character that is no digit of the base.
   */
  parseNat(str: Thunk, base: 8 | 16): Value {
    const line = base === 8 ? 105 : 110;
    const end = base === 8 ? 22 : 23;
    if (!isTypeTraced(this.std, "string", site(line, 12, 29), site(line, 25, 28, 1), str)) {
      return this.std.at(assertion(line, 5, line + 2, end), () => {
        throw new RuntimeFailure(`Expected string, got ${typeName(str.get())}`);
      });
    }
    const value = str.get();
    const text = typeof value === "string" ? value : "";
    const chars = codePoints(text);
    if (chars.length === 0) {
      const message = base === 8 ? 'Not an octal number: ""' : 'Not hexadecimal: ""';
      return this.std.at(assertion(line + 1, 5, line + 2, end), () => {
        throw new RuntimeFailure(message);
      });
    }
    // parse_nat's call ends the body, after the assertions.
    return this.std.tailCall(site(line + 2, 5, end), () =>
      this.std.at(site(94, 5, 49), () =>
        chars.reduce((aggregate, c) => {
          const code = c.codePointAt(0) ?? 0;
          const digit = code >= 0x61 ? code - 0x61 + 10 : code >= 0x41 ? code - 0x41 + 10 : code - 0x30;
          if (digit >= 0 && digit < base) return base * aggregate + digit;
          // builtinFoldl calls addDigit from its own place: addDigit's frame shows only its failed assertion.
          return this.std.body(() =>
            this.std.at(assertion(92, 7, 93, 31), () => {
              throw new RuntimeFailure(`${text} is not a base ${base} integer`);
            }),
          );
        }, 0),
      ),
    );
  }

  /**
   * std.findSubstr (lines 1642–1653): both parameters checked with std.isString, then the start of every match
   * (std.filter over the positions; nothing there can fail once both are strings).
   */
  findSubstr(pat: Thunk, str: Thunk): Value {
    if (!isTypeTraced(this.std, "string", site(1643, 9, 26), site(1643, 22, 25, 1), pat)) {
      return this.std.fail(site(1644, 7, 82), `findSubstr first parameter should be a string, got ${typeName(pat.get())}`);
    }
    if (!isTypeTraced(this.std, "string", site(1645, 14, 31), site(1645, 27, 30, 1), str)) {
      return this.std.fail(site(1646, 7, 83), `findSubstr second parameter should be a string, got ${typeName(str.get())}`);
    }
    const chars = (v: Value) => codePoints(typeof v === "string" ? v : "");
    const needle = chars(pat.get());
    const text = chars(str.get());
    const found: Thunk[] = [];
    if (needle.length === 0 || needle.length > text.length) return new JArray(found);
    // The std.filter call ends the body.
    this.std.endsInCall();
    this.context.charge(text.length);
    for (let i = 0; i + needle.length <= text.length; i++) if (needle.every((c, k) => text[i + k] === c)) found.push(Thunk.of(i));
    return new JArray(found);
  }

  /**
   * std.repeat (lines 198–203): a local `joiner` ('' or [] by the type of `what`) and `std.join(joiner,
   * std.makeArray(count, function(i) what))`; the join forces the joiner, then the makeArray call.
   */
  repeat(what: Thunk, count: Thunk): Value {
    const call = site(203, 5, 61);
    // The local `joiner` waits; the std.join call is the body's first and last.
    this.std.endsInCall();
    const joiner = this.std.lazy(() => {
      const local = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, JOINER);
      const variable = (line: number, column: number, endColumn: number) => stdSite(line, column, endColumn, `thunk from <${JOINER}>`);
      if (isTypeTraced(this.std, "string", local(200, 10, 28), variable(200, 23, 27), what)) return "";
      if (isTypeTraced(this.std, "array", local(201, 15, 32), variable(201, 27, 31), what)) return new JArray([]);
      return this.std.fail(local(202, 12, 74), "std.repeat first argument must be an array or a string");
    });
    const sep = this.std.argument(call, site(203, 14, 20, 1), joiner);
    const makeArray = site(203, 22, 60, 1);
    const array = this.std.lazy(() => {
      const size = this.std.argument(makeArray, site(203, 36, 41, 2), count);
      return this.std.at(makeArray, () => {
        if (typeof size !== "number") throw unexpectedType(size, "number");
        if ((size | 0) !== size) throw new RuntimeFailure(`Expected an integer, but got ${size}`);
        // builtinMakeArray makes no elements for a negative size.
        this.context.charge(Math.max(0, size));
        const element = () => this.std.lazy(() => this.std.at(UNPLACED, () => this.std.body(() => this.std.read(site(203, 55, 59), what))));
        return new JArray(
          Array.from({ length: Math.max(0, size) }, () => {
            this.context.step();
            return element();
          }),
        );
      });
    });
    const elements = this.std.at(call, () => array.get());
    return this.std.at(call, () => join(this.context, sep, elements));
  }
}

/** The definitions above, each body run in the frame of its call. */
export function textFunctions(std: StdCode, context: StdContext): Record<string, Definition> {
  const text = new StdText(std, context);
  const define = (params: string[], body: (args: Thunk[]) => Value): Definition => ({
    params,
    required: params.length,
    lazyBody: (args, tailstrict) => std.closureCall(args, tailstrict, () => body(params.map((_, i) => args[i] ?? Thunk.of(null)))),
  });
  return {
    lines: define(["arr"], ([a]) => text.lines(a ?? Thunk.of(null))),
    deepJoin: define(["arr"], ([a]) => text.deepJoin(a ?? Thunk.of(null))),
    parseOctal: define(["str"], ([s]) => text.parseNat(s ?? Thunk.of(null), 8)),
    parseHex: define(["str"], ([s]) => text.parseNat(s ?? Thunk.of(null), 16)),
    findSubstr: define(["pat", "str"], ([p, s]) => text.findSubstr(p ?? Thunk.of(null), s ?? Thunk.of(null))),
    repeat: define(["what", "count"], ([w, c]) => text.repeat(w ?? Thunk.of(null), c ?? Thunk.of(null))),
  };
}
