import { RuntimeFailure } from "./errors";
import { compare, indexPosition } from "./operators";
import { isTypeTraced, stdSite, type StdCode } from "./std-frames";
import { extremum } from "./std-jsonnet-math";
import { modTraced } from "./std-mod";
import { lengthOf } from "./std-objects";
import { JArray, plus, Thunk, typeName, type Value } from "./values";

/**
 * `x[begin:end:step]` and std.slice as go-jsonnet v0.21 runs them: its desugarer turns the slice syntax into a call of
 * std.slice (internal/program/desugarer.go, buildStdCall), and std.slice is std.jsonnet code (lines 205–245), not a
 * builtins.go builtin. That code keeps its bounds in a local object `invar` whose fields are computed when first read,
 * asserts the step (231, 232) and the type (233), then appends one element per `build(…) tailstrict` call. The reads,
 * calls and assertions sit at their std.jsonnet positions (std-frames.ts), so failures carry go-jsonnet's `<std>`
 * frames and words, and an array element read through a slice carries the frame of `invar.indexable[cur]` (242).
 * The loop itself is a plain loop: once the assertions hold nothing in it can fail.
 */

const METHOD = "function <anonymous>";
const INVAR = "object <invar>";
const IN_INVAR = "thunk from <object <invar>>";
const IN_METHOD = "thunk from <function <anonymous>>";
const BUILD = "function <build>";

const site = (line: number, column: number, endColumn: number, name = METHOD) => stdSite(line, column, endColumn, name);

/** A failed `assert` of std.slice: its desugared `error` spans from the assertion to the end of the function body. */
const assertion = (line: number) => ({ message: "", loc: { filename: "<std>", line, column: 5, endLine: 245, endColumn: 66 } });

/** The arguments of one std.slice call, unforced. */
export interface SliceArguments {
  indexable: Thunk;
  index: Thunk;
  end: Thunk;
  step: Thunk;
}

/**
 * std.slice's body, run in the frame of its call. `charge` counts the elements the slice builds against the
 * evaluation's limits (a tiny step over a long range would otherwise loop past the deadline in one go).
 */
export function sliceTraced(std: StdCode, charge: (elements: number) => void, args: SliceArguments): Value {
  const { indexable, index, end, step } = args;
  /** `std.length(indexable)` written at line:column, `indexable` 11 columns in; `name` is the code's frame name there. */
  const lengthAt = (line: number, column: number, name: string, argumentName: string): number => {
    const call = site(line, column, column + 21, name);
    const value = std.argument(call, site(line, column + 11, column + 20, argumentName), indexable);
    return std.at(call, () => lengthOf(value));
  };
  /** `v < 0` written at line:column with a variable of `width` characters; the left operand's type decides the error. */
  const negative = (line: number, column: number, width: number, v: Value) =>
    std.at(site(line, column, column + width + 4, INVAR), () => compare(v, 0) < 0);

  // invar's fields: each computed in a frame of its own when first read (an object field), then kept.
  const invar = {
    index: std.lazy(() => {
      const i = std.read(site(211, 14, 19, INVAR), index);
      if (i === null) return 0;
      if (!negative(214, 16, 5, i)) return i;
      // `std.max(0, std.length(indexable) + index)`: std.max is std.jsonnet code too.
      const sum = std.lazy(() => {
        const length = lengthAt(215, 29, IN_INVAR, `thunk from <${IN_INVAR}>`);
        const offset = std.read(site(215, 53, 58, IN_INVAR), index);
        return std.at(site(215, 29, 58, IN_INVAR), () => plus(length, offset));
      });
      return std.call(site(215, 18, 59, INVAR), () => extremum(std, Thunk.of(0), sum, true));
    }),
    end: std.lazy(() => {
      const e = std.read(site(218, 14, 17, INVAR), end);
      if (e === null) return lengthAt(219, 16, INVAR, IN_INVAR);
      if (!negative(221, 16, 3, e)) return e;
      const length = lengthAt(222, 18, INVAR, IN_INVAR);
      return std.at(site(222, 18, 45, INVAR), () => plus(length, std.read(site(222, 42, 45, INVAR), end)));
    }),
    step: std.lazy(() => (std.read(site(225, 14, 18, INVAR), step) === null ? 1 : step.get())),
    length: std.lazy(() => lengthAt(228, 17, INVAR, IN_INVAR)),
  };

  // 231: `assert invar.step >= 0 : 'got [%s:%s:%s] but negative steps are not supported' % [invar.index, invar.end, invar.step]`
  const stride = std.read(site(231, 12, 22), invar.step);
  if (std.at(site(231, 12, 27), () => compare(stride, 0)) < 0) {
    const element = (column: number, endColumn: number, field: Thunk) =>
      std.lazy(() => std.read(site(231, column, endColumn, IN_METHOD), field));
    const shown = new JArray([element(87, 98, invar.index), element(100, 109, invar.end), element(111, 121, invar.step)]);
    const format = "got [%s:%s:%s] but negative steps are not supported";
    fail(
      std,
      231,
      std.call(site(231, 30, 122, ""), () => modTraced(std, Thunk.of(format), Thunk.of(shown))),
    );
  }
  // 232: `assert step != 0 : 'got %s but step must be greater than 0' % step` (also -0).
  if (std.read(site(232, 12, 16), step) === 0) {
    const format = "got %s but step must be greater than 0";
    fail(
      std,
      232,
      std.call(site(232, 24, 71, ""), () => modTraced(std, Thunk.of(format), std.variable(site(232, 67, 71, IN_METHOD), step))),
    );
  }
  // 233: `assert std.isString(indexable) || std.isArray(indexable) : 'std.slice accepts …: %s' % std.type(indexable)`
  const accepted =
    isTypeTraced(std, "string", site(233, 12, 35), site(233, 25, 34, IN_METHOD), indexable) ||
    isTypeTraced(std, "array", site(233, 39, 61), site(233, 51, 60, IN_METHOD), indexable);
  const target = indexable.get();
  if (!accepted || !(typeof target === "string" || target instanceof JArray)) {
    fail(std, 233, `std.slice accepts a string or an array, but got: ${typeName(target)}`);
  }

  // 245: `build(…, invar.index)`; its first run compares `cur` (that thunk) with invar.end and invar.length (235).
  // build's first call ends the body: a `tailstrict` caller's frame goes (callStack.tailCallTrimStack).
  return std.tailCall(site(245, 5, 66), () => {
    const cur = std.lazy(() => std.read(site(245, 54, 65, IN_METHOD), invar.index));
    const from = std.read(site(235, 10, 13, BUILD), cur);
    const until = std.read(site(235, 17, 26, BUILD), invar.end);
    std.at(site(235, 10, 26, BUILD), () => compare(from, until));
    const length = std.read(site(235, 37, 49, BUILD), invar.length);
    return collect(std, charge, target, from, until, length, stride);
  });
}

/** Throws an assertion's message from its place. */
function fail(std: StdCode, line: number, message: Value): never {
  return std.at(assertion(line), () => {
    throw new RuntimeFailure(typeof message === "string" ? message : "unreachable: a formatted string");
  });
}

/**
 * build's loop: from `cur` in steps of `step` while below `end` and `length`, each element read at
 * `invar.indexable[cur]` (an index truncated as go-jsonnet truncates one).
 */
function collect(
  std: StdCode,
  charge: (elements: number) => void,
  target: string | JArray,
  cur: Value,
  end: Value,
  length: Value,
  step: Value,
): Value {
  if (typeof cur !== "number" || typeof end !== "number" || typeof length !== "number" || typeof step !== "number") {
    throw new TypeError("unreachable: std.slice's bounds are numbers once compared");
  }
  const last = Math.min(end, length);
  charge(cur < last ? Math.ceil((last - cur) / step) : 0);
  if (typeof target === "string") {
    const chars = Array.from(target);
    let out = "";
    for (let i = cur; i < last; i += step) out += chars[indexPosition(i)] ?? "";
    return out;
  }
  const elements: Thunk[] = [];
  const read = site(242, 22, 42, "thunk from <thunk from <function <build>>>");
  for (let i = cur; i < last; i += step) {
    const item = target.elements[indexPosition(i)];
    // `[invar.indexable[cur]]`: an element thunk that reads the indexed element in a frame of its own.
    if (item) elements.push(std.lazy(() => std.at(read, () => item.get())));
  }
  return new JArray(elements);
}
