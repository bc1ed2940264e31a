import { RuntimeFailure } from "./errors";
import { isTypeTraced, StdCode, stdSite } from "./std-frames";
import { formatTraced } from "./std-format";
import { modulo } from "./std-math";
import type { Definitions, StdContext } from "./std-support";
import { equals, quoteJson, toStringValue, typeName, type Thunk, type Value } from "./values";

/**
 * std.mod (what `a % b` desugars to) and std.assertEqual as go-jsonnet runs them: std.jsonnet code whose frames and
 * errors sit at these positions (std.jsonnet `mod(a, b)`, lines 256–262, and `assertEqual(a, b)`, lines 842–850; both
 * are object methods, so their code is `function <anonymous>`).
 */

const METHOD = "function <anonymous>";
const METHOD_ARG = "thunk from <function <anonymous>>";

const MOD = {
  isNumberA: stdSite(257, 8, 23, METHOD),
  a: stdSite(257, 21, 22, METHOD_ARG),
  isNumberB: stdSite(257, 27, 42, METHOD),
  b: stdSite(257, 40, 41, METHOD_ARG),
  modulo: stdSite(258, 7, 23, METHOD),
  format: stdSite(260, 7, 23, METHOD),
  formatStr: stdSite(260, 18, 19, METHOD_ARG),
  formatVals: stdSite(260, 21, 22, METHOD_ARG),
  typeB: stdSite(262, 77, 88, METHOD),
  typeBVar: stdSite(262, 86, 87, METHOD_ARG),
  error: stdSite(262, 7, 94, METHOD),
};

/** std.mod's body, run in the frame of its call. */
export function modTraced(std: StdCode, a: Thunk, b: Thunk): Value {
  // std.isNumber is std.jsonnet code too (its frame and its std.type call show on the trace).
  if (isTypeTraced(std, "number", MOD.isNumberA, MOD.a, a) && isTypeTraced(std, "number", MOD.isNumberB, MOD.b, b)) {
    const [left, right] = [a.get(), b.get()];
    if (typeof left === "number" && typeof right === "number") {
      // The std.modulo call ends the body (so does std.format's below): a `tailstrict` caller's frame goes.
      std.endsInCall();
      return std.at(MOD.modulo, () => modulo(left, right));
    }
  }
  const left = a.get();
  if (typeof left === "string") {
    return std.tailCall(MOD.format, () => formatTraced(std, std.variable(MOD.formatStr, a), std.variable(MOD.formatVals, b)));
  }
  // `std.type(b)` reads b here when `a` was neither a number nor a string (short-circuited before).
  const right = std.argument(MOD.typeB, MOD.typeBVar, b);
  return std.fail(MOD.error, `Operator % cannot be used on types ${typeName(left)} and ${typeName(right)}.`);
}

const ASSERT = {
  a: stdSite(847, 8, 9, METHOD),
  b: stdSite(847, 13, 14, METHOD),
  equals: stdSite(847, 8, 14, METHOD),
  error: stdSite(850, 7, 56, METHOD),
};

/** std.assertEqual's body: `a == b` reads a, then b, then compares; a mismatch fails with both shown. */
function assertEqualTraced(std: StdCode, a: Thunk, b: Thunk): Value {
  const left = std.read(ASSERT.a, a);
  const right = std.read(ASSERT.b, b);
  if (std.at(ASSERT.equals, () => equals(left, right))) return true;
  // Strings are shown escaped (std.escapeStringJson), anything else as `+` prints it.
  const show = (v: Value) => (typeof v === "string" ? quoteJson(v) : toStringValue(v));
  return std.at(ASSERT.error, () => {
    throw new RuntimeFailure(`Assertion failed. ${show(left)} != ${show(right)}`);
  });
}

/** The std functions above, each called like a std.jsonnet function: its body runs in a frame pushed from the call. */
export function stdJsonnetDefinitions(context: StdContext): Definitions {
  const std = new StdCode(context.stack);
  const twoArguments = (params: [string, string], body: (a: Thunk, b: Thunk) => Value) => ({
    params,
    required: 2,
    lazyBody: ([a, b]: (Thunk | undefined)[], tailstrict: boolean) => {
      if (!a || !b) throw new RuntimeFailure(`Missing argument: ${a ? params[1] : params[0]}`);
      return std.closureCall([a, b], tailstrict, () => body(a, b));
    },
  });
  return {
    mod: twoArguments(["a", "b"], (a, b) => modTraced(std, a, b)),
    format: twoArguments(["str", "vals"], (str, vals) => formatTraced(std, str, vals)),
    assertEqual: twoArguments(["a", "b"], (a, b) => assertEqualTraced(std, a, b)),
  };
}
