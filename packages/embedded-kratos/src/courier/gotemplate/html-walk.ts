import { goQuote } from "@olympus/server-kit/go-strconv";
import { contextString, HtmlEscapeError, type HtmlContext, sameContext, scanText, TEXT } from "./html-context";
import { type BranchNode, type ListNode, type Node, nodeString } from "./nodes";
import type { TreeSet } from "./parser";

/** escape.go's *Error as Execute returns it: `html/template:name:line:col: description`. */
export class HtmlTemplateError extends Error {
  override name = "HtmlTemplateError";
}

/**
 * escape.go escapeTemplate: walks the template Execute runs (and the
 * templates it calls) once, before the first execution: each action's
 * context, text with comments dropped, and html/template's refusals
 * (branches ending in different contexts, an ambiguous URL, a `/` that may
 * divide or start a regexp). Templates never reached are not checked, as in Go.
 */
export function htmlContexts(trees: TreeSet, name: string, parseName: string, source: string): Map<Node, HtmlContext> {
  const contexts = new Map<Node, HtmlContext>();
  const ends = new Map<string, HtmlContext>();
  const inProgress = new Set<string>();
  const recursive = new Set<string>();
  let ranges: HtmlContext[][] = [];

  const fail = (node: Node, description: string): never => {
    const before = Buffer.from(source.slice(0, node.pos), "utf8");
    const lastNewline = before.lastIndexOf(0x0a);
    const line = 1 + before.filter((b) => b === 0x0a).length;
    const col = lastNewline === -1 ? before.length : before.length - lastNewline - 1;
    throw new HtmlTemplateError(`html/template:${parseName}:${line}:${col}: ${description}`);
  };

  /** escape.go join: equal contexts, or ones differing only by urlPart or jsCtx (then unknown); anything else is refused. */
  const join = (a: HtmlContext, b: HtmlContext, node: Node, nodeName: string): HtmlContext => {
    if (a.state === "dead") return b;
    if (b.state === "dead") return a;
    if (sameContext(a, b)) return a;
    if (sameContext({ ...a, urlPart: b.urlPart }, b)) return { ...a, urlPart: "unknown" };
    if (sameContext({ ...a, js: { ...a.js, jsCtx: b.js.jsCtx } }, b)) return { ...a, js: { ...a.js, jsCtx: "unknown" } };
    return fail(node, `{{${nodeName}}} branches end in different contexts: ${contextString(a)}, ${contextString(b)}`);
  };

  /** One pass over a list; `record` false is the range body's second, checking pass (escapeListConditionally). */
  const visit = (list: ListNode, start: HtmlContext, record: boolean): HtmlContext => {
    let context = start;
    for (const node of list.nodes) {
      if (context.state === "dead") break;
      switch (node.type) {
        case "text":
          try {
            const result = scanText(node.text, context);
            if (record) node.text = result.text;
            context = result.context;
          } catch (error) {
            if (error instanceof HtmlEscapeError) fail(node, error.message);
            throw error;
          }
          break;
        case "action":
          if (context.state === "attr" && context.kind === "url" && context.urlPart === "unknown")
            fail(node, `${nodeString(node)} appears in an ambiguous context within a URL`);
          if (record) contexts.set(node, context);
          // A value in JavaScript code is followed by an operator: a `/` after it divides.
          if (context.js.mode === "code" && (context.state === "script" || context.kind === "js"))
            context = { ...context, js: { ...context.js, jsCtx: "divop" } };
          break;
        case "template":
          context = visitCall(node, context);
          break;
        case "break":
        case "continue":
          ranges[ranges.length - 1]?.push(context);
          context = { ...TEXT, state: "dead" };
          break;
        default:
          context = visitBranch(node, context, record);
      }
    }
    return context;
  };

  /** escape.go escapeBranch: both branches from the same context, joined; a range body must also survive re-entry. */
  const visitBranch = (node: BranchNode, start: HtmlContext, record: boolean): HtmlContext => {
    if (node.type === "range") ranges.push([]);
    let body = visit(node.list, start, record);
    if (node.type === "range") {
      for (const exit of ranges.pop()!) body = join(body, exit, node, "range");
      ranges.push([]);
      let again = visit(node.list, body, false);
      for (const exit of ranges.pop()!) again = join(again, exit, node, "range");
      try {
        body = join(body, again, node, "range");
      } catch (error) {
        if (error instanceof HtmlTemplateError)
          error.message = error.message.replace(/: \{\{range\}\}/, ": on range loop re-entry: {{range}}");
        throw error;
      }
    }
    const otherwise = node.elseList ? visit(node.elseList, start, record) : start;
    return join(body, otherwise, node, node.type);
  };

  /**
   * {{template}}: Go escapes a copy of the callee for the caller's context.
   * This model keeps one context per action, so a callee is escaped from
   * HTML text only; a call from any other context is refused rather than
   * guessed.
   */
  const visitCall = (node: Extract<Node, { type: "template" }>, context: HtmlContext): HtmlContext => {
    const tree = trees.get(node.name);
    if (!tree) return context;
    if (!sameContext(context, TEXT))
      fail(node, `${nodeString(node)} appears in ${contextString(context)}; this server escapes called templates only from HTML text`);
    const known = ends.get(node.name);
    if (known) return known;
    // A template that calls itself: assumed to end in HTML text, checked once it is walked (escape.go computeOutCtx).
    if (inProgress.has(node.name)) {
      recursive.add(node.name);
      return TEXT;
    }
    inProgress.add(node.name);
    const savedRanges = ranges;
    ranges = [];
    const end = visit(tree, TEXT, true);
    ranges = savedRanges;
    inProgress.delete(node.name);
    if (recursive.has(node.name) && !sameContext(end, TEXT))
      fail(node, `cannot compute output context for template ${goQuote(node.name)}: it calls itself and ends in ${contextString(end)}`);
    ends.set(node.name, end);
    return end;
  };

  const tree = trees.get(name);
  if (tree) {
    inProgress.add(name);
    const end = visit(tree, TEXT, true);
    if (recursive.has(name) && !sameContext(end, TEXT) && end.state !== "dead")
      throw new HtmlTemplateError(
        `html/template:${parseName}: cannot compute output context for template ${goQuote(name)}: it calls itself and ends in ${contextString(end)}`,
      );
  }
  return contexts;
}
