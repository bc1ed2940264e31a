import { goQuote } from "@olympus/server-kit/go-strconv";
import { Evaluator, type ExecOptions, TemplateExecError } from "./evaluator";
import { formatValue } from "./fmt";
import type { BranchNode, ListNode, Node } from "./nodes";
import { GoStruct, isGoMap, isTrue, sortedKeys } from "./values";

export { DEFAULT_LIMITS, type ExecLimits, type ExecOptions, GoCallError, TemplateExecError } from "./evaluator";

/** {{break}} and {{continue}} unwind to their range as exceptions (Go panics with walkBreak / walkContinue). */
class LoopControl extends Error {}
const BREAK = new LoopControl("break");
const CONTINUE = new LoopControl("continue");

/** exec.go Template.Execute: walks the tree named `name` with `data` as dot and `$`. */
export function execute(options: ExecOptions, name: string, data: unknown): string {
  const tree = options.trees.get(name);
  if (!tree || tree.nodes.length === 0) {
    throw new TemplateExecError(`template: ${name}: ${goQuote(name)} is an incomplete or empty template`);
  }
  return new State(options, name).run(tree, data);
}

/** exec.go's walk: text, actions, if/with/range, {{template}}, with the output capped. */
class State extends Evaluator {
  private readonly out: string[] = [];
  private outBytes = 0;
  private depth = 0;

  run(tree: ListNode, data: unknown): string {
    this.vars = [{ name: "$", value: data }];
    this.walkList(data, tree);
    return this.out.join("");
  }

  private write(text: string): void {
    this.outBytes += Buffer.byteLength(text, "utf8");
    if (this.outBytes > this.options.limits.maxOutputBytes) this.errorf(`output exceeds ${this.options.limits.maxOutputBytes} bytes`);
    this.out.push(text);
  }

  private walkList(dot: unknown, list: ListNode): void {
    for (const node of list.nodes) this.walk(dot, node);
  }

  private walk(dot: unknown, node: Node): void {
    this.tick();
    this.node = node;
    switch (node.type) {
      case "text":
        this.write(node.text);
        return;
      case "action": {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return;
      }
      case "if":
      case "with": {
        const mark = this.vars.length;
        const value = this.evalPipeline(dot, node.pipe);
        if (isTrue(value)) {
          const savedDot = this.dotFromInterface;
          if (node.type === "with") this.dotFromInterface = false;
          this.walkList(node.type === "with" ? value : dot, node.list);
          this.dotFromInterface = savedDot;
        } else if (node.elseList) this.walkList(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case "range":
        this.walkRange(dot, node);
        return;
      case "template":
        this.walkTemplate(dot, node);
        return;
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
  }

  private walkRange(dot: unknown, node: BranchNode): void {
    const outer = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    const mark = this.vars.length;
    const decl = node.pipe.decl.length;
    const iteration = (index: unknown, elem: unknown): boolean => {
      this.tick();
      if (decl > 0)
        Object.assign(this.vars[this.vars.length - 1]!, { value: elem, fromInterface: typeof elem !== "bigint" || index !== elem });
      if (decl > 1) this.vars[this.vars.length - 2]!.value = index;
      const savedDot = this.dotFromInterface;
      this.dotFromInterface = typeof index !== "bigint" || typeof elem !== "bigint" || index !== elem;
      try {
        this.walkList(elem, node.list);
      } catch (signal) {
        if (signal === BREAK) return false;
        if (signal !== CONTINUE) throw signal;
      } finally {
        this.vars.length = mark;
        this.dotFromInterface = savedDot;
      }
      return true;
    };
    let ran = false;
    if (Array.isArray(value) || value instanceof Uint8Array) {
      const items = [...value] as unknown[];
      for (let i = 0; i < items.length; i++) {
        ran = true;
        const elem = value instanceof Uint8Array ? BigInt(items[i] as number) : items[i];
        if (!iteration(BigInt(i), elem)) break;
      }
    } else if (isGoMap(value)) {
      for (const key of sortedKeys(value)) {
        ran = true;
        if (!iteration(key, value[key])) break;
      }
    } else if (typeof value === "bigint") {
      // Go 1.22 added ranging over an integer (not in Go 1.19).
      if (decl > 1) this.errorf(`can't use ${formatValue(value)} to iterate over more than one variable`);
      for (let i = 0n; i < value; i++) {
        ran = true;
        if (!iteration(i, i)) break;
      }
    } else if (value !== undefined) {
      this.errorf(`range can't iterate over ${formatValue(value)}`);
    }
    if (!ran && node.elseList) this.walkList(dot, node.elseList);
    this.vars.length = outer;
  }

  private walkTemplate(dot: unknown, node: Extract<Node, { type: "template" }>): void {
    const tree = this.options.trees.get(node.name);
    if (!tree) this.errorf(`template ${goQuote(node.name)} not defined`);
    if (this.depth >= this.options.limits.maxDepth) this.errorf(`exceeded maximum template depth (${this.options.limits.maxDepth})`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const saved = { vars: this.vars, name: this.tmplName };
    this.depth++;
    this.vars = [{ name: "$", value: newDot }];
    this.tmplName = node.name;
    const savedDot = this.dotFromInterface;
    this.dotFromInterface = false;
    try {
      this.walkList(newDot, tree);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
      this.dotFromInterface = savedDot;
    }
  }

  private printValue(node: Node, value: unknown): void {
    this.node = node;
    if (this.options.escape) {
      this.write(this.options.escape(node, value));
      return;
    }
    // printableValue dereferences a pointer first: the model prints as {...}, not &{...}.
    this.write(value === undefined ? "<no value>" : formatValue(value).replace(value instanceof GoStruct ? /^&/ : /^$/, ""));
  }
}
