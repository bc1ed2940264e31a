import { RuntimeFailure } from "./errors";
import type { CallStack, NamedPlace } from "./stack";
import { JArray, Thunk, typeName, type Value } from "./values";

/**
 * go-jsonnet runs the std functions it has no Go builtin for (std.mod behind `%`, std.format, std.assertEqual, …) as
 * Jsonnet code from stdlib/std.jsonnet, so their frames appear in stack traces as `<std>:<line>:<col>-<col>` lines.
 * The TypeScript standard library reproduces those frames from a table of positions in go-jsonnet v0.21's
 * std.jsonnet (google/jsonnet at the commit go-jsonnet v0.21 vendors as cpp-jsonnet): where each call, variable read
 * and `error` of the code path sits, and the frame name go-jsonnet's addContext gives the code there.
 */

/** go-jsonnet's name for the standard library's source. */
const STD_FILE = "<std>";

/** A position in std.jsonnet (line:column-column, or lines given with `endLine`) and the frame name there. */
export function stdSite(line: number, column: number, endColumn: number, name: string, endLine = line): NamedPlace {
  return { loc: { filename: STD_FILE, line, column, endLine, endColumn }, name };
}

/**
 * The frame name go-jsonnet's addContext gives code `depth` thunks deep inside `outer` (parser/context.go: a function
 * argument or array element is `thunk from <…>` of the code around it): `thunk from <thunk from <outer>>` for 2.
 */
export const thunkFrom = (outer: string, depth = 1): string => "thunk from <".repeat(depth) + outer + ">".repeat(depth);

/**
 * The moves of std.jsonnet code that change go-jsonnet's call stack (interpreter.go): calling a function (a frame whose
 * trace is the call), a builtin forcing its argument thunk (likewise), forcing a variable's unevaluated thunk (a frame
 * whose trace is the variable), and `error` (the error's trace is the error expression).
 */
export class StdCode {
  constructor(readonly stack: CallStack) {}

  /** A call at `site` of a function std.jsonnet defines: its body runs in a frame pushed from `site`. */
  call<T>(site: NamedPlace, body: () => T): T {
    return this.stack.at(site, () => this.stack.frame(body));
  }

  /** Work done at `site` without a frame of its own (a builtin's work, an operator); a `message` place is location-less. */
  at<T>(site: NamedPlace | { message: string; loc?: NamedPlace["loc"] }, fn: () => T): T {
    return this.stack.at(site, fn);
  }

  /** `error message` written at `site`. */
  fail(site: NamedPlace, message: string): never {
    return this.stack.at(site, () => {
      throw new RuntimeFailure(message);
    });
  }

  /** Reading the variable at `site`: its thunk, if not yet computed, computes in a frame pushed from `site`. */
  read(site: NamedPlace, thunk: Thunk): Value {
    return this.stack.at(site, () => thunk.get());
  }

  /** A builtin called at `apply` with the variable at `variable` as argument: the argument thunk is a frame of its own. */
  argument(apply: NamedPlace, variable: NamedPlace, thunk: Thunk): Value {
    return this.call(apply, () => this.read(variable, thunk));
  }

  /** A thunk of std.jsonnet code (a local, an argument): computed in a frame of its own, once. */
  lazy(body: () => Value): Thunk {
    return new Thunk(() => this.stack.frame(body));
  }

  /** A thunk whose body reads the variable at `site` (an argument written as a variable). */
  variable(site: NamedPlace, thunk: Thunk): Thunk {
    return this.lazy(() => this.read(site, thunk));
  }

  /** The frame a function std.jsonnet defines runs in, entered from the caller's current place. */
  body<T>(fn: () => T): T {
    return this.stack.frame(fn);
  }

  /**
   * A call of a function std.jsonnet defines, given its arguments: a call written `tailstrict` forces the arguments given
   * before the body's frame is pushed, and that frame is trimmable (thunks.go closure.evalCall).
   */
  closureCall<T>(args: readonly (Thunk | undefined)[], tailstrict: boolean, body: () => T): T {
    if (tailstrict) for (const thunk of args) thunk?.get();
    return this.stack.frame(body, tailstrict);
  }

  /**
   * The body has reached its last call, a builtin's or a std.jsonnet function's (interpreter.go evaluateTailCall): the
   * frame of a `tailstrict` call of this function goes (callStack.tailCallTrimStack) before that call runs, so what
   * fails from here on no longer shows the caller's line. Without `tailstrict` the frame is not trimmable and stays.
   */
  endsInCall(): void {
    this.stack.trimForTailCall();
  }

  /**
   * A call at `site` in tail position of a std.jsonnet body: evaluateTailCall first drops the frame of a `tailstrict`
   * call it ends (callStack.tailCallTrimStack), then the call pushes its own.
   */
  tailCall<T>(site: NamedPlace, body: () => T): T {
    return this.stack.at(site, () => {
      this.stack.trimForTailCall();
      return this.stack.frame(body);
    });
  }

  /**
   * An array comprehension with one `for` at `loc` that ends a body (desugarer.go desugarForSpec): std.flatMap called
   * in tail position at the comprehension's extent, which has no name; builtinFlatMap forces the source (a thunk, so a
   * frame of its own) and calls the desugared function for each element (a frame whose body starts at a
   * location-less `if`), concatenating the arrays `step` gives. The sources here are arrays (std.flatMap's string case
   * is not needed).
   */
  comprehension(loc: NamedPlace["loc"], source: () => Value, step: (element: Thunk) => Thunk[]): JArray {
    const place = { message: "", loc };
    return this.stack.at(place, () => {
      this.stack.trimForTailCall();
      const list = this.stack.frame(source);
      if (!(list instanceof JArray)) throw new RuntimeFailure(`std.flatMap second param must be array / string, got ${typeName(list)}`);
      const out: Thunk[] = [];
      for (const element of list.elements) {
        // Element by element: a spread passes each as an argument, and a long array overflows JavaScript's stack.
        for (const item of this.stack.frame(() => this.stack.at(UNPLACED, () => step(element)))) out.push(item);
      }
      return new JArray(out);
    });
  }
}

/** go-jsonnet's location-less node (a desugared `if`), printed as an empty trace line. */
const UNPLACED = { message: "" };

/** Where std.jsonnet's isX at `line` (`std.type(v) == '…'`) calls std.type and reads `v`, the call starting at `column`. */
const typeCheck = (line: number, column: number) => ({
  typeCall: stdSite(line, column, column + 11, "function <anonymous>"),
  v: stdSite(line, column + 9, column + 10, "thunk from <function <anonymous>>"),
});

/** std.jsonnet's isString … isFunction (lines 30–35), their sites made once (some functions check every element). */
const IS_TYPE = {
  string: typeCheck(30, 17),
  number: typeCheck(31, 17),
  boolean: typeCheck(32, 18),
  object: typeCheck(33, 17),
  array: typeCheck(34, 16),
  function: typeCheck(35, 19),
};

export type TypeName = keyof typeof IS_TYPE;

/**
 * `std.isX(v)` called at `call` with the variable at `variable`: isX's frame, its std.type call and the read of `v`,
 * which reads the caller's variable.
 */
export function isTypeTraced(std: StdCode, type: TypeName, call: NamedPlace, variable: NamedPlace, thunk: Thunk): boolean {
  const { typeCall, v } = IS_TYPE[type];
  const value = std.call(call, () => std.argument(typeCall, v, std.variable(variable, thunk)));
  return typeName(value) === type;
}
