import type { Bind, Field, Node, NodeOf, Param } from "./ast";
import { EvaluationBudget } from "./budget";
import { RuntimeFailure } from "./errors";
import { arrayComprehension, objectComprehension, type ComprehensionHost } from "./comprehension";
import { binaryOperation, index, unary } from "./operators";
import { plusSuperField } from "./plus-super";
import { sliceTraced } from "./slice";
import { CallStack } from "./stack";
import { StdCode } from "./std-frames";
import { modTraced } from "./std-mod";
import { objectHasTraced } from "./std-object-has";
import {
  JArray,
  JFunction,
  JObject,
  plus,
  Thunk,
  toStringValue,
  typeName,
  unexpectedType,
  type CallArgs,
  type Layer,
  type LayerField,
  type Value,
} from "./values";

/**
 * The evaluator (spec "Operational Semantics"), lazy like go-jsonnet: bindings, array elements and fields are computed
 * when first needed. `tail` is go-jsonnet's tailCallStatus: true for a function body and what it hands its value on
 * to (a local's body, a conditional's branches, a binary operator's right operand), where a `tailstrict` call's frame
 * may be replaced.
 */

/**
 * A call in tail position that replaces the frame of the `tailstrict` call whose body it ends (tailCallTrimStack): rather
 * than nesting it, the body hands it back to the call that ran it, which runs it in a loop (settle). go-jsonnet nests
 * these calls on a goroutine stack that grows as needed; JavaScript's does not, so the trampoline keeps a tailstrict
 * loop of any depth within it. `place` is the call expression, where go-jsonnet's new frame is pushed from.
 */
class TailCall {
  constructor(
    readonly fn: JFunction,
    readonly args: CallArgs,
    readonly place: Node,
    /**
     * What the body still does with the call's value, innermost first: the operator whose operand in tail position the
     * call was (`1 + f(n - 1) tailstrict`). go-jsonnet trims the frame there too and applies the operator when the
     * call returns; here it is applied once the loop has the value.
     */
    readonly then: readonly Continuation[] = [],
  ) {}

  /** This call as the tail-position operand of `node`, whose operator `finish` applies to its value. */
  operandOf(node: Node, finish: (value: Value) => Value): TailCall {
    return new TailCall(this.fn, this.args, this.place, [...this.then, { node, finish }]);
  }
}

interface Continuation {
  node: Node;
  finish: (value: Value) => Value;
}

/** go-jsonnet desugars `assert c : m; rest` into an `if` built without a location or name. */
const DESUGARED_IF = { message: "" };

/** The lexical scope: variables plus, inside an object, its `self`, the layer below for `super`, and `$`. */
export class Env {
  constructor(
    private readonly vars: ReadonlyMap<string, Thunk>,
    private readonly parent: Env | undefined,
    readonly self?: JObject,
    readonly superBelow = -1,
    readonly dollar?: JObject,
  ) {}

  lookup(name: string): Thunk | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  with(vars: ReadonlyMap<string, Thunk>): Env {
    return new Env(vars, this, this.self, this.superBelow, this.dollar);
  }

  inObject(self: JObject, layerIndex: number, bindsDollar: boolean): Env {
    return new Env(new Map(), this, self, layerIndex - 1, bindsDollar ? self : this.dollar);
  }
}

export class Evaluator implements ComprehensionHost<Env> {
  readonly stack = new CallStack(() => this.budget.step());
  /** The moves of std.jsonnet code the evaluator runs itself (the desugared slice and `%`), std-frames.ts. */
  private readonly stdCode = new StdCode(this.stack);
  /** A Jsonnet function's call up to its body's result, which may be a tail call still to run (see TailCall). */
  private readonly bodies = new WeakMap<JFunction, (args: CallArgs) => Value | TailCall>();

  constructor(private readonly budget: EvaluationBudget = new EvaluationBudget()) {}

  /** One step of work that evaluates no node (a frame pushed, a value compared): counted against the budget. */
  private readonly step = (): void => this.budget.step();

  evaluate(node: Node, env: Env, tail = false): Value {
    return this.visit(node, () => this.evaluateNode(node, env, tail));
  }

  /** Evaluates `node` with it as the current trace; a failure inside gets its place and trace. */
  private visit<T>(node: Node, fn: () => T): T {
    this.budget.step();
    const stack = this.stack;
    const saved = stack.current;
    stack.current = node;
    try {
      return fn();
    } catch (error) {
      // The innermost expression that failed names the place, and the stack as it is now is the trace.
      if (error instanceof RuntimeFailure) {
        error.location ??= node.loc;
        stack.mark(error);
      }
      throw error;
    } finally {
      stack.current = saved;
    }
  }

  /** A lazily computed value: forcing it pushes a frame (go-jsonnet cachedThunk.getValue). */
  private thunk(node: Node, env: Env): Thunk {
    return new Thunk(() => this.stack.frame(() => this.evaluate(node, env, true)));
  }

  /** A thunk evaluating `node` in `env` when forced; literals too push their frame, as go-jsonnet's cachedThunk does. */
  delay(node: Node, env: Env): Thunk {
    return this.thunk(node, env);
  }

  private evaluateNode(node: Node, env: Env, tail: boolean): Value {
    switch (node.kind) {
      case "null":
        return null;
      case "boolean":
      case "number":
      case "string":
        return node.value;
      case "self":
        if (!env.self) throw new RuntimeFailure("Can't use self outside of an object.");
        return env.self;
      case "dollar":
        if (!env.dollar) throw new RuntimeFailure("No top-level object found.");
        return env.dollar;
      case "var": {
        const thunk = env.lookup(node.name);
        if (!thunk) throw new RuntimeFailure(`Unknown variable: ${node.name}`);
        return thunk.get();
      }
      case "array":
        return new JArray(node.elements.map((e) => this.delay(e, env)));
      case "arrayComp":
        return arrayComprehension(this, node, env);
      case "object":
        return this.objectLiteral(node, env);
      case "objectComp":
        return objectComprehension(this, node, env);
      case "local":
        return this.evaluate(node.body, this.bindLocals(node.binds, env), tail);
      case "if": {
        const cond = this.evaluate(node.cond, env);
        if (typeof cond !== "boolean") throw unexpectedType(cond, "boolean");
        if (cond) return this.evaluate(node.then, env, tail);
        return node.else ? this.evaluate(node.else, env, tail) : null;
      }
      case "function":
        return this.makeFunction(node.params, node.body, env);
      case "apply":
        return this.apply(node, env, tail);
      case "index":
        return index(this.evaluate(node.target, env), this.evaluate(node.index, env));
      case "slice":
        return this.slice(node, env, tail);
      case "superIndex": {
        const name = this.evaluate(node.index, env);
        if (!env.self) throw new RuntimeFailure("Can't use super outside of an object.");
        if (env.superBelow < 0) throw new RuntimeFailure("Attempt to use super when there is no super class.");
        if (typeof name !== "string") throw new RuntimeFailure(`Super index must be string, got ${typeName(name)}.`);
        return env.self.lookup(name, env.superBelow);
      }
      case "inSuper": {
        const name = this.evaluate(node.field, env);
        if (!env.self) throw new RuntimeFailure("Can't use super outside of an object.");
        if (typeof name !== "string") throw new RuntimeFailure(`The left hand side of 'in' must be a string, got ${typeName(name)}.`);
        return env.self.hasField(name, env.superBelow);
      }
      case "binary":
        return this.binary(node, env, tail);
      case "unary":
        return unary(node.op, this.evaluate(node.operand, env, tail));
      case "error": {
        const message = this.evaluate(node.expr, env);
        throw new RuntimeFailure(toStringValue(message, this.stack.manifesting));
      }
      case "assert":
        this.check(node.cond, node.message, node.loc, env, "Assertion failed");
        return this.evaluate(node.rest, env, tail);
      case "import":
        // Kratos' VM (ory/x jsonnetsecure MakeSecureVM) installs ErrorImporter, which refuses every path; go-jsonnet reports
        // the importer's error when the import is evaluated.
        throw new RuntimeFailure(`import not available ${node.path}`);
    }
  }

  /**
   * An assertion as go-jsonnet desugars it: `if cond then … else error message`, the `if` without a location or name,
   * the `error` with the assertion's extent and no name.
   */
  private check(condNode: Node, messageNode: Node | undefined, loc: Node["loc"], env: Env, fallback: string): void {
    const cond = this.stack.at(DESUGARED_IF, () => {
      const value = this.evaluate(condNode, env);
      if (typeof value !== "boolean") throw unexpectedType(value, "boolean");
      return value;
    });
    if (cond) return;
    this.stack.at({ message: "", loc }, () => {
      throw new RuntimeFailure(messageNode ? toStringValue(this.evaluate(messageNode, env), this.stack.manifesting) : fallback);
    });
  }

  /** `local a = …, b = …;` — every binding sees all of them (they may be mutually recursive). */
  private bindLocals(binds: readonly Bind[], env: Env): Env {
    const vars = new Map<string, Thunk>();
    const scope = env.with(vars);
    for (const bind of binds) {
      if (vars.has(bind.name)) throw new RuntimeFailure(`Duplicate local var: ${bind.name}`);
      const params = bind.params;
      vars.set(
        bind.name,
        params
          ? new Thunk(() => this.stack.frame(() => this.makeFunction(params, bind.body, scope, bind.name)))
          : this.delay(bind.body, scope),
      );
    }
    return scope;
  }

  private makeFunction(params: readonly Param[], body: Node, env: Env, name = "anonymous"): JFunction {
    const signature = params.map((p) => ({ name: p.name, hasDefault: p.defaultValue !== undefined }));
    const run = (args: CallArgs): Value | TailCall => {
      const vars = new Map<string, Thunk>();
      const scope = env.with(vars);
      const given = matchArguments(signature, args);
      params.forEach((param, i) => {
        const defaultValue = param.defaultValue;
        const thunk = given[i] ?? (defaultValue ? this.delay(defaultValue, scope) : undefined);
        if (!thunk) throw new RuntimeFailure(`Missing argument: ${param.name}`);
        vars.set(param.name, thunk);
      });
      // closure.evalCall: a tailstrict call computes its arguments before the call's frame is pushed.
      if (args.tailstrict) for (const thunk of vars.values()) thunk.get();
      return this.stack.frame(() => this.evaluateBody(body, scope), args.tailstrict === true);
    };
    const fn = new JFunction(signature, (args) => this.settle(run(args)), name);
    this.bodies.set(fn, run);
    return fn;
  }

  /**
   * A function body: what it evaluates to in tail position, where a call ending the body of a `tailstrict` call comes
   * back as a TailCall. The places go-jsonnet evaluates with the body's tailCall status are followed: a local's body, a
   * conditional's branches, an assertion's rest, a binary operator's right operand and a unary operator's operand
   * (interpreter.go rawevaluate); an operator waiting on a tail call comes back with it as a continuation.
   */
  private evaluateBody(node: Node, env: Env): Value | TailCall {
    switch (node.kind) {
      case "local":
        return this.visit(node, () => this.evaluateBody(node.body, this.bindLocals(node.binds, env)));
      case "if":
        return this.visit(node, () => {
          const cond = this.evaluate(node.cond, env);
          if (typeof cond !== "boolean") throw unexpectedType(cond, "boolean");
          if (cond) return this.evaluateBody(node.then, env);
          return node.else ? this.evaluateBody(node.else, env) : null;
        });
      case "assert":
        return this.visit(node, () => {
          this.check(node.cond, node.message, node.loc, env, "Assertion failed");
          return this.evaluateBody(node.rest, env);
        });
      case "binary":
        if (node.op === "%" || node.op === "in") return this.evaluate(node, env, true);
        return this.visit(node, () => {
          const left = this.evaluate(node.left, env);
          const logical = node.op === "&&" || node.op === "||";
          if (logical) {
            if (typeof left !== "boolean") throw unexpectedType(left, "boolean");
            if (node.op === "&&" ? !left : left) return left;
          }
          const finish = (right: Value): Value => {
            if (logical) {
              if (typeof right !== "boolean") throw unexpectedType(right, "boolean");
              return right;
            }
            return this.operate(node.op, left, right);
          };
          const right = this.evaluateBody(node.right, env);
          return right instanceof TailCall ? right.operandOf(node, finish) : finish(right);
        });
      case "unary":
        return this.visit(node, () => {
          const operand = this.evaluateBody(node.operand, env);
          const finish = (value: Value) => unary(node.op, value);
          return operand instanceof TailCall ? operand.operandOf(node, finish) : finish(operand);
        });
      case "apply":
        return this.visit(node, () => {
          const { target, args } = this.callee(node, env);
          // tailCallTrimStack: the frame this call replaces is gone; the caller's loop pushes the new one.
          if (this.stack.trimForTailCall()) return new TailCall(target, args, node);
          return this.call(target, args);
        });
      default:
        return this.evaluate(node, env, true);
    }
  }

  /**
   * Runs the tail calls a body handed back, each from the call expression it was written at, until a value comes; then
   * the operators left waiting on them, the deepest call's first, each with its operator as the current trace (as
   * go-jsonnet applies them when its nested calls return, their frames already trimmed).
   */
  private settle(result: Value | TailCall): Value {
    let next = result;
    const waiting: (readonly Continuation[])[] = [];
    while (next instanceof TailCall) {
      const { fn, args, place, then } = next;
      if (then.length) waiting.push(then);
      const run = this.bodies.get(fn);
      next = this.visit(place, () => (run ? run(args) : fn.call(args)));
    }
    let value = next;
    for (let level = waiting.length - 1; level >= 0; level--) {
      for (const { node, finish } of waiting[level] ?? []) {
        const operand = value;
        value = this.visit(node, () => finish(operand));
      }
    }
    return value;
  }

  private apply(node: NodeOf<"apply">, env: Env, tail: boolean): Value {
    const { target, args } = this.callee(node, env);
    if (tail) this.stack.trimForTailCall();
    return this.call(target, args);
  }

  /** The function a call expression calls and its arguments, each a thunk of the caller's scope. */
  private callee(node: NodeOf<"apply">, env: Env): { target: JFunction; args: CallArgs } {
    const target = this.evaluate(node.target, env);
    if (!(target instanceof JFunction)) throw unexpectedType(target, "function");
    const args: CallArgs = {
      positional: node.positional.map((arg) => this.delay(arg, env)),
      named: new Map(node.named.map((arg) => [arg.name, this.delay(arg.value, env)])),
      tailstrict: node.tailstrict,
    };
    return { target, args };
  }

  /** Calls a function; a Jsonnet function pushes its own frame (std's builtins push none, as go-jsonnet's do not). */
  call(fn: JFunction, args: CallArgs): Value {
    return fn.call(args);
  }

  /** The env a field of this object literal is evaluated in, per `self` and layer position, with the object's locals bound. */
  objectScope(locals: readonly Bind[], env: Env): (self: JObject, layerIndex: number) => Env {
    const bindsDollar = env.dollar === undefined;
    const cache = new WeakMap<JObject, Map<number, Env>>();
    return (self, layerIndex) => {
      let perSelf = cache.get(self);
      if (!perSelf) {
        perSelf = new Map<number, Env>();
        cache.set(self, perSelf);
      }
      let scope = perSelf.get(layerIndex);
      if (!scope) {
        scope = this.bindLocals(locals, env.inObject(self, layerIndex, bindsDollar));
        perSelf.set(layerIndex, scope);
      }
      return scope;
    };
  }

  private objectLiteral(node: NodeOf<"object">, env: Env): JObject {
    const scopeOf = this.objectScope(node.locals, env);
    const fields = new Map<string, LayerField>();
    for (const field of node.fields) {
      // Field names are evaluated in the enclosing scope; a null name leaves the field out.
      const name = field.name.kind === "fixed" ? field.name.name : this.evaluate(field.name.expr, env);
      if (name === null) continue;
      if (typeof name !== "string") throw new RuntimeFailure(`Field name must be string, got ${typeName(name)}`);
      if (fields.has(name)) throw new RuntimeFailure(`Duplicate field name: "${name}"`);
      fields.set(name, this.layerField(field, scopeOf, name));
    }
    const asserts = node.asserts;
    const layer: Layer = { fields };
    if (asserts.length) {
      layer.asserts = (self, i) => {
        const scope = scopeOf(self, i);
        // go-jsonnet's desugarer gives an object assert without a message "Object assertion failed."; each is
        // evaluated like a field, in a frame of its own.
        for (const assertion of asserts) {
          this.stack.frame(() => this.check(assertion.cond, assertion.message, assertion.loc, scope, "Object assertion failed."));
        }
      };
    }
    return new JObject([layer]);
  }

  private layerField(field: Field, scopeOf: (self: JObject, layerIndex: number) => Env, name: string): LayerField {
    const params = field.params;
    const value = (self: JObject, i: number): Value =>
      params ? this.makeFunction(params, field.body, scopeOf(self, i)) : this.evaluate(field.body, scopeOf(self, i), true);
    return {
      visibility: field.visibility,
      plus: field.plus,
      // codeUnboundField.evaluate: a field is evaluated in a frame of its own; a `+:` field in two (plusSuperField).
      compute: field.plus ? plusSuperField(this.stack, name, field.body.loc, value) : (self, i) => this.stack.frame(() => value(self, i)),
    };
  }

  /**
   * go-jsonnet desugars `x[b:e:s]` into `std.slice(x, b, e, s)` (missing parts `null`), a call without a name whose
   * arguments are thunks of the caller's scope; std.slice is std.jsonnet code (slice.ts).
   */
  private slice(node: NodeOf<"slice">, env: Env, tail: boolean): Value {
    const part = (part: Node | undefined) => (part ? this.delay(part, env) : Thunk.of(null));
    const args = { indexable: this.delay(node.target, env), index: part(node.begin), end: part(node.end), step: part(node.step) };
    if (tail) this.stack.trimForTailCall();
    return this.stack.at({ message: "", loc: node.loc }, () =>
      this.stack.frame(() => sliceTraced(this.stdCode, (elements) => this.budget.charge(elements), args)),
    );
  }

  private binary(node: NodeOf<"binary">, env: Env, tail: boolean): Value {
    if (node.op === "%" || node.op === "in") return this.desugaredOperator(node, env, tail);
    const left = this.evaluate(node.left, env);
    if (node.op === "&&" || node.op === "||") {
      if (typeof left !== "boolean") throw unexpectedType(left, "boolean");
      if (node.op === "&&" ? !left : left) return left;
      const right = this.evaluate(node.right, env, tail);
      if (typeof right !== "boolean") throw unexpectedType(right, "boolean");
      return right;
    }
    return this.operate(node.op, left, this.evaluate(node.right, env, tail));
  }

  private operate(op: NodeOf<"binary">["op"], left: Value, right: Value): Value {
    // Concatenation is how a program doubles a string or an array each step: count what it builds.
    if (op === "+") {
      this.budget.charge(builtLength(left) + builtLength(right));
      // builtinPlus turns a non-string operand of a string into text with builtinToString (traced manifestation).
      return plus(left, right, this.stack.manifesting);
    }
    return binaryOperation(op, left, right, this.step);
  }

  /**
   * go-jsonnet desugars `a % b` to `std.mod(a, b)` and `a in b` to `std.objectHasAll(b, a)`: a call without a name
   * whose operands are arguments, each computed in a frame of its own (right operand first for `in`). In tail position
   * that call drops the frame of the `tailstrict` call it ends first (evaluateTailCall), as any call does.
   */
  private desugaredOperator(node: NodeOf<"binary">, env: Env, tail: boolean): Value {
    if (tail) this.stack.trimForTailCall();
    return this.stack.at({ message: "", loc: node.loc }, () => {
      // std.mod is std.jsonnet code: its frame, then its body reads the operands (std-mod.ts).
      if (node.op === "%") return this.stack.frame(() => modTraced(this.stdCode, this.delay(node.left, env), this.delay(node.right, env)));
      // `in`: std.objectHasAll(b, a) is std.jsonnet code too: its frame, then std.objectHasEx forces b, then a.
      return this.stack.frame(() => objectHasTraced(this.stdCode, this.delay(node.right, env), this.delay(node.left, env), true));
    });
  }
}

function builtLength(value: Value): number {
  if (typeof value === "string") return value.length;
  return value instanceof JArray ? value.elements.length : 0;
}

/** Which argument thunk goes to which parameter, or the error go-jsonnet gives for a bad call. */
export function matchArguments(params: readonly { name: string }[], args: CallArgs): (Thunk | undefined)[] {
  if (args.positional.length > params.length) {
    // go-jsonnet value.go, bindingsFromArguments.
    throw new RuntimeFailure(`function expected ${params.length} positional argument(s), but got ${args.positional.length}`);
  }
  const given: (Thunk | undefined)[] = params.map((_, i) => args.positional[i]);
  for (const [argName, thunk] of args.named) {
    const i = params.findIndex((p) => p.name === argName);
    if (i < 0) throw new RuntimeFailure(`function has no parameter ${argName}`);
    if (given[i]) throw new RuntimeFailure(`Argument ${argName} already provided`);
    given[i] = thunk;
  }
  return given;
}
