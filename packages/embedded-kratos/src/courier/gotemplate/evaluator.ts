import { goQuote } from "@olympus/server-kit/go-strconv";
import { withBudget } from "./budget";
import { type Arg, argString, type CommandNode, commandString, type Node, nodeString, type PipeNode } from "./nodes";
import type { TreeSet } from "./parser";
import { GoStruct, type GoFunc, goMethodSetOf, goTypeName, isGoMap, isTrue, type ParamType } from "./values";

/** An execution failure with text/template's message (`template: name:line:col: executing "name" at <node>: ...`). */
export class TemplateExecError extends Error {
  override name = "TemplateExecError";
}

/** A function's own failure (Go's returned error, or a recovered panic); exec reports it as `error calling <name>: <message>`. */
export class GoCallError extends Error {
  override name = "GoCallError";
}

/** What a JavaScript RangeError means for a template: where Go would go on, this engine stops. */
export function jsLimitMessage(error: RangeError): string {
  if (/call stack/i.test(error.message)) return "value nested too deeply for this engine";
  if (/string length/i.test(error.message)) return "result too large";
  return error.message;
}

/** Caps that keep one template from holding the server: work done, bytes written, wall time, template nesting. */
export interface ExecLimits {
  maxSteps: number;
  maxOutputBytes: number;
  maxMillis: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: ExecLimits = { maxSteps: 1_000_000, maxOutputBytes: 1 << 20, maxMillis: 2_000, maxDepth: 1_000 };

/** How an html/template escapes what an action prints; undefined for text/template. */
export type ActionEscaper = (node: Node, value: unknown) => string;

export const NO_FINAL = Symbol("missingVal");
export type Final = unknown;

export interface ExecOptions {
  /** The top-level name: parse errors' and exec errors' location prefix (tmpl.ParseName). */
  parseName: string;
  source: string;
  trees: TreeSet;
  funcs: ReadonlyMap<string, GoFunc & { builtin?: boolean; raw?: boolean }>;
  limits: ExecLimits;
  escape?: ActionEscaper;
}

/**
 * exec.go's evaluation half: pipelines, commands, fields, variables and
 * function calls, with Go's error texts; the walk over the tree (exec.ts)
 * builds on it.
 */
export abstract class Evaluator {
  protected steps = 0;
  protected readonly deadline: number;
  /** The variable stack; `fromInterface`: a range element of a map or list (static type interface{}). */
  protected vars: { name: string; value: unknown; fromInterface?: boolean }[] = [];
  protected node: Node | Arg | CommandNode | undefined;
  /** Whether dot is an element of a ranged map or list (static type interface{}). */
  protected dotFromInterface = false;

  constructor(
    protected readonly options: ExecOptions,
    protected tmplName: string,
  ) {
    this.deadline = Date.now() + options.limits.maxMillis;
  }

  protected errorf(message: string): never {
    const name = this.tmplName;
    if (this.node === undefined) throw new TemplateExecError(`template: ${name}: ${message}`);
    const pos = this.node.pos;
    const before = Buffer.from(this.options.source.slice(0, pos), "utf8");
    const lastNewline = before.lastIndexOf(0x0a);
    const line = 1 + before.filter((b) => b === 0x0a).length;
    const col = lastNewline === -1 ? before.length : before.length - lastNewline - 1;
    const context = "type" in this.node && this.node.type === "command" ? commandString(this.node) : contextOf(this.node);
    throw new TemplateExecError(
      `template: ${this.options.parseName}:${line}:${col}: executing ${goQuote(name)} at <${context}>: ${message}`,
    );
  }

  protected tick(): void {
    this.steps++;
    if (this.steps > this.options.limits.maxSteps) this.errorf(`execution stopped after ${this.options.limits.maxSteps} steps`);
    // Every step: one step may copy a long list (sprig's append), so a coarser check could overshoot by seconds.
    if (Date.now() > this.deadline) this.errorf(`execution stopped after ${this.options.limits.maxMillis}ms`);
  }

  protected evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.node = pipe;
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface{} result is unwrapped (reflect.ValueOf(value.Interface())): a nil one is no value.
      if (value === null) value = undefined;
    }
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  protected setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  protected varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.errorf(`undefined variable: ${name}`);
  }

  protected notAFunction(args: Arg[], final: Final): void {
    if (args.length > 1 || final !== NO_FINAL) this.errorf(`can't give argument to non-function ${argString(args[0]!)}`);
  }

  protected evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    this.tick();
    const first = cmd.args[0]!;
    switch (first.type) {
      case "field":
        this.node = first;
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final, this.dotFromInterface);
      case "chain":
        return this.evalChain(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
  }

  protected idealConstant(node: Extract<Arg, { type: "number" }>): bigint | number {
    this.node = node;
    if (node.value === "complex") return this.errorf("complex constants not supported");
    return node.value;
  }

  protected evalVariable(dot: unknown, node: Extract<Arg, { type: "variable" }>, args: Arg[], final: Final): unknown {
    this.node = node;
    const value = this.varValue(node.ident[0]!);
    if (node.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    const fromInterface = this.vars.findLast((v) => v.name === node.ident[0])?.fromInterface === true;
    return this.evalFieldChain(dot, value, node, node.ident.slice(1), args, final, fromInterface);
  }

  protected evalChain(dot: unknown, chain: Extract<Arg, { type: "chain" }>, args: Arg[], final: Final): unknown {
    this.node = chain;
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${argString(chain)}`);
    const receiver = this.evalArg(dot, "any", chain.node, true);
    return this.evalFieldChain(dot, receiver, chain, chain.field, args, final);
  }

  /**
   * `fromInterface`: the receiver's static type is interface{} (an element of
   * a map or list, or dot inside a range over one), which Go's "can't
   * evaluate field" error names instead of the dynamic type.
   */
  protected evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Arg,
    ident: string[],
    args: Arg[],
    final: Final,
    fromInterface = false,
  ): unknown {
    let current = receiver;
    let viaInterface = fromInterface;
    for (let i = 0; i < ident.length - 1; i++) {
      const next = this.evalField(dot, ident[i]!, node, [], NO_FINAL, current, viaInterface);
      viaInterface = !(current instanceof GoStruct);
      current = next;
    }
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, current, viaInterface);
  }

  protected evalField(
    dot: unknown,
    fieldName: string,
    node: Arg,
    args: Arg[],
    final: Final,
    receiver: unknown,
    fromInterface: boolean,
  ): unknown {
    this.node = node;
    if (receiver === undefined) return undefined;
    const hasArgs = args.length > 1 || final !== NO_FINAL;
    if (receiver === null) return this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const method = goMethodSetOf(receiver)?.methods.get(fieldName);
    if (method) return this.evalCall(dot, method, node, fieldName, args, final);
    if (receiver instanceof GoStruct) {
      if (receiver.fields.has(fieldName)) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return receiver.fields.get(fieldName);
      }
    } else if (isGoMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      return Object.hasOwn(receiver, fieldName) ? receiver[fieldName] : undefined;
    }
    const type = receiver instanceof GoStruct ? receiver.typeName : fromInterface ? "interface {}" : goTypeName(receiver);
    return this.errorf(`can't evaluate field ${fieldName} in type ${type}`);
  }

  protected evalFunction(dot: unknown, node: Extract<Arg, { type: "identifier" }>, cmd: CommandNode, args: Arg[], final: Final): unknown {
    this.node = node;
    const fn = this.options.funcs.get(node.name);
    if (!fn) return this.errorf(`${goQuote(node.name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.name, args, final);
  }

  protected evalCall(
    dot: unknown,
    fn: GoFunc & { builtin?: boolean; raw?: boolean },
    cmd: CommandNode | Arg,
    name: string,
    args: Arg[],
    final: Final,
  ): unknown {
    const given = args.slice(1);
    const numIn = given.length + (final !== NO_FINAL ? 1 : 0);
    const fixed = fn.variadic ? fn.params.length - 1 : fn.params.length;
    if (fn.variadic ? numIn < fixed : numIn !== fixed) {
      this.node = cmd;
      this.errorf(`wrong number of args for ${name}: want ${fn.variadic ? "at least " : ""}${fixed} got ${numIn}`);
    }
    const paramOf = (i: number): ParamType => fn.params[Math.min(i, fn.params.length - 1)]!;
    if (fn.builtin && (name === "and" || name === "or")) {
      // Go 1.18: and/or stop at the first argument that decides.
      let value: unknown;
      for (const arg of given) {
        value = this.evalArg(dot, "any", arg, true);
        if (isTrue(value) === (name === "or")) return value;
      }
      return final !== NO_FINAL ? final : value;
    }
    const argv = given.map((arg, i) => this.evalArg(dot, paramOf(i), arg, fn.raw === true));
    if (final !== NO_FINAL) argv.push(this.validateType(final, paramOf(argv.length), fn.raw === true));
    this.node = cmd;
    try {
      return withBudget(
        () => this.tick(),
        () => fn.call(...argv),
      );
    } catch (error) {
      // A RangeError (a result too long for a string, a value nested past our stack) is this engine's limit, reported like Go's own failures.
      this.node = cmd;
      if (error instanceof GoCallError) return this.errorf(`error calling ${name}: ${error.message}`);
      if (error instanceof RangeError) return this.errorf(`error calling ${name}: ${jsLimitMessage(error)}`);
      throw error;
    }
  }

  protected evalArg(dot: unknown, type: ParamType, arg: Arg, raw: boolean): unknown {
    this.node = arg;
    switch (arg.type) {
      case "dot":
        return this.validateType(dot, type, raw);
      case "nil":
        if (type === "any" || type === "map" || type === "list") return raw ? null : null;
        return this.errorf(`cannot assign nil to ${goParamName(type)}`);
      case "field":
        return this.validateType(this.evalFieldChain(dot, dot, arg, arg.ident, [arg], NO_FINAL, this.dotFromInterface), type, raw);
      case "variable":
        return this.validateType(this.evalVariable(dot, arg, [arg], NO_FINAL), type, raw);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, arg), type, raw);
      case "identifier": {
        const fn = this.options.funcs.get(arg.name);
        if (!fn) return this.errorf(`${goQuote(arg.name)} is not a defined function`);
        return this.validateType(this.evalCall(dot, fn, arg, arg.name, [arg], NO_FINAL), type, raw);
      }
      case "chain":
        return this.validateType(this.evalChain(dot, arg, [], NO_FINAL), type, raw);
    }
    // Constants are typed by the parameter they go to.
    switch (type) {
      case "bool":
        return arg.type === "bool" ? arg.value : this.errorf(`expected bool; found ${argString(arg)}`);
      case "string":
        return arg.type === "string" ? arg.text : this.errorf(`expected string; found ${argString(arg)}`);
      case "int":
        return arg.type === "number" && typeof arg.value === "bigint"
          ? arg.value
          : this.errorf(`expected integer; found ${argString(arg)}`);
      case "float64":
        return arg.type === "number" && arg.value !== "complex"
          ? Number(arg.value)
          : this.errorf(`expected float; found ${argString(arg)}`);
      case "any":
        if (arg.type === "bool") return arg.value;
        if (arg.type === "string") return arg.text;
        return this.idealConstant(arg);
      default:
        return this.errorf(`can't handle ${argString(arg)} for arg of type ${goParamName(type)}`);
    }
  }

  /** exec.go validateType: the value must be assignable to the parameter; no value at all is the zero of a nil-able type. */
  protected validateType(value: unknown, type: ParamType, raw: boolean): unknown {
    if (value === undefined) {
      if (raw) return undefined;
      if (type === "any" || type === "map" || type === "list") return null;
      return this.errorf(`invalid value; expected ${goParamName(type)}`);
    }
    const ok =
      type === "any" ||
      (type === "string" && typeof value === "string") ||
      (type === "int" && typeof value === "bigint") ||
      (type === "bool" && typeof value === "boolean") ||
      (type === "float64" && typeof value === "number") ||
      (type === "map" && ((isGoMap(value) && !goMethodSetOf(value)) || value === null)) ||
      (type === "list" && (Array.isArray(value) || value === null));
    if (!ok) this.errorf(`wrong type for value; expected ${goParamName(type)}; got ${goTypeName(value)}`);
    return value;
  }
}

function contextOf(node: Node | Arg): string {
  switch (node.type) {
    case "text":
    case "action":
    case "if":
    case "range":
    case "with":
    case "template":
    case "break":
    case "continue":
      return nodeString(node);
    default:
      return argString(node);
  }
}

/** Go's spelling of a parameter type in "expected ..." errors. */
export function goParamName(type: ParamType): string {
  switch (type) {
    case "any":
      return "interface {}";
    case "map":
      return "map[string]interface {}";
    case "list":
      return "[]interface {}";
    default:
      return type;
  }
}
