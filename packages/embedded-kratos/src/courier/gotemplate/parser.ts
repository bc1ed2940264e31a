import { goQuote } from "@olympus/server-kit/go-strconv";
import { isKeywordItem, type Item, type ItemType, lex } from "./lexer";
import type { Arg, BranchType, CommandNode, ListNode, Node, PipeNode } from "./nodes";
import { goUnquote } from "./unquote";

/** A parse failure with text/template's message (`template: name:line: ...`). */
export class TemplateParseError extends Error {
  override name = "TemplateParseError";
}

/** The trees of one template text: the top-level one under its name plus every {{define}} / {{block}}. */
export type TreeSet = Map<string, ListNode>;

type End = { type: "end" | "else"; pos: number; line: number };
const isEnd = (node: Node | End): node is End => node.type === "end" || node.type === "else";

/** item.String() of lex.go, as "unexpected ..." errors show a token. */
function itemString(item: Item): string {
  if (item.type === "eof") return "EOF";
  if (item.type === "error") return item.val;
  if (isKeywordItem(item.type)) return `<${item.val}>`;
  const runes = [...item.val];
  return runes.length > 10 ? `${goQuote(runes.slice(0, 10).join(""))}...` : goQuote(item.val);
}

const isEmptyTree = (list: ListNode): boolean => list.nodes.every((n) => n.type === "text" && n.text.trim() === "");

/**
 * parse.go Tree.Parse: `hasFunction` says which identifiers are functions
 * (an unknown one is `function "x" not defined` at parse time, as in Go).
 */
export function parseTemplate(name: string, text: string, hasFunction: (name: string) => boolean): TreeSet {
  const items = lex(text);
  let index = 0;
  let line = 1;
  let actionLine = 0;
  let rangeDepth = 0;
  let vars: string[] = ["$"];
  const trees: TreeSet = new Map();

  const fail = (message: string): never => {
    throw new TemplateParseError(`template: ${name}:${line}: ${message}`);
  };
  const next = (): Item => {
    const item = items[index++] ?? items[items.length - 1]!;
    line = item.line;
    return item;
  };
  const backup = (n = 1) => {
    index -= n;
  };
  const peek = (): Item => items[index] ?? items[items.length - 1]!;
  const nextNonSpace = (): Item => {
    let item = next();
    while (item.type === "space") item = next();
    return item;
  };
  const peekNonSpace = (): Item => {
    const item = nextNonSpace();
    backup();
    return item;
  };
  const unexpected = (item: Item, context: string): never => {
    if (item.type === "error") {
      let extra = "";
      if (actionLine !== 0 && actionLine !== item.line) {
        extra = ` in action started at ${name}:${actionLine}`;
        if (item.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      return fail(`${item.val}${extra}`);
    }
    return fail(`unexpected ${itemString(item)} in ${context}`);
  };
  const expect = (type: ItemType, context: string): Item => {
    const item = nextNonSpace();
    if (item.type !== type) unexpected(item, context);
    return item;
  };
  const unquote = (item: Item): string => {
    const result = goUnquote(item.val);
    return "value" in result ? result.value : fail(result.error);
  };
  const addTree = (treeName: string, root: ListNode) => {
    const existing = trees.get(treeName);
    if (existing === undefined || isEmptyTree(existing)) trees.set(treeName, root);
    else if (!isEmptyTree(root)) fail(`template: multiple definition of template ${JSON.stringify(treeName)}`);
  };

  const itemList = (): { list: ListNode; end: End } => {
    const list: ListNode = { type: "list", nodes: [] };
    while (peekNonSpace().type !== "eof") {
      const node = textOrAction();
      if (isEnd(node)) return { list, end: node };
      list.nodes.push(node);
    }
    return fail("unexpected EOF");
  };

  const textOrAction = (): Node | End => {
    const token = nextNonSpace();
    if (token.type === "text") return { type: "text", pos: token.pos, text: token.val };
    if (token.type === "leftDelim") {
      actionLine = token.line;
      try {
        return action();
      } finally {
        actionLine = 0;
      }
    }
    return unexpected(token, "input");
  };

  const action = (): Node | End => {
    const token = nextNonSpace();
    switch (token.type) {
      case "block":
        return blockControl();
      case "break":
      case "continue": {
        const close = nextNonSpace();
        if (close.type !== "rightDelim") unexpected(close, `{{${token.type}}}`);
        if (rangeDepth === 0) fail(`{{${token.type}}} outside {{range}}`);
        return { type: token.type, pos: token.pos, line: token.line };
      }
      case "else": {
        const peeked = peekNonSpace();
        // Go 1.23 added {{else with}} beside {{else if}}.
        if (peeked.type === "if" || peeked.type === "with") return { type: "else", pos: peeked.pos, line: peeked.line };
        const close = expect("rightDelim", "else");
        return { type: "else", pos: close.pos, line: close.line };
      }
      case "end":
        return { type: "end", pos: expect("rightDelim", "end").pos, line };
      case "if":
      case "range":
      case "with":
        return control(token.type);
      case "template": {
        const nameToken = nextNonSpace();
        const templateName = templateNameOf(nameToken, "template clause");
        let pipe: PipeNode | undefined;
        if (nextNonSpace().type !== "rightDelim") {
          backup();
          pipe = pipeline("template clause", "rightDelim");
        }
        return { type: "template", pos: nameToken.pos, line: nameToken.line, name: templateName, pipe };
      }
    }
    backup();
    const first = peek();
    return { type: "action", pos: first.pos, line: first.line, pipe: pipeline("command", "rightDelim") };
  };

  const templateNameOf = (token: Item, context: string): string =>
    token.type === "string" || token.type === "rawString" ? unquote(token) : unexpected(token, context);

  const control = (context: BranchType): Node => {
    const saved = vars.length;
    try {
      const pipe = pipeline(context, "rightDelim");
      if (context === "range") rangeDepth++;
      const { list, end } = itemList();
      if (context === "range") rangeDepth--;
      let elseList: ListNode | undefined;
      if (end.type === "else") {
        const following = peek();
        if (context !== "range" && following.type === context) {
          next();
          elseList = { type: "list", nodes: [control(context)] };
        } else {
          const rest = itemList();
          elseList = rest.list;
          if (rest.end.type !== "end") fail(`expected end; found {{${rest.end.type}}}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      vars = vars.slice(0, saved);
    }
  };

  const blockControl = (): Node => {
    const context = "block clause";
    const token = nextNonSpace();
    const blockName = templateNameOf(token, context);
    const pipe = pipeline(context, "rightDelim");
    const savedVars = vars;
    vars = ["$"];
    const { list, end } = itemList();
    vars = savedVars;
    if (end.type !== "end") fail(`unexpected {{${end.type}}} in ${context}`);
    addTree(blockName, list);
    return { type: "template", pos: token.pos, line: token.line, name: blockName, pipe };
  };

  const pipeline = (context: string, end: ItemType): PipeNode => {
    const first = peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    // Declarations: `$x :=`, `$x =`, and for range `$i, $v :=`.
    for (;;) {
      const v = peekNonSpace();
      if (v.type !== "variable") break;
      const variableIndex = index;
      next();
      const following = peekNonSpace();
      if (following.type === "assign" || following.type === "declare") {
        pipe.isAssign = following.type === "assign";
        nextNonSpace();
        pipe.decl.push(v.val);
        vars.push(v.val);
        break;
      }
      if (following.type === "char" && following.val === ",") {
        nextNonSpace();
        pipe.decl.push(v.val);
        vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const t = peekNonSpace().type;
          if (t === "variable" || t === "rightDelim" || t === "rightParen") continue;
          fail("range can only initialize variables");
        }
        fail(`too many declarations in ${context}`);
      }
      // Not a declaration: the variable is the pipeline's first operand.
      index = variableIndex;
      break;
    }
    for (;;) {
      const token = nextNonSpace();
      if (token.type === end) {
        if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
        pipe.cmds.slice(1).forEach((cmd, i) => {
          const t = cmd.args[0]?.type;
          if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string")
            fail(`non executable command in pipeline stage ${i + 2}`);
        });
        return pipe;
      }
      switch (token.type) {
        case "bool":
        case "charConstant":
        case "complex":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(token, context);
      }
    }
  };

  const command = (): CommandNode => {
    const cmd: CommandNode = { type: "command", pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const arg = operand();
      if (arg) cmd.args.push(arg);
      const token = next();
      if (token.type === "space") continue;
      if (token.type === "rightDelim" || token.type === "rightParen") backup();
      else if (token.type !== "pipe") unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) fail("empty command");
    return cmd;
  };

  const operand = (): Arg | undefined => {
    const node = term();
    if (!node || peek().type !== "field") return node;
    const fields: string[] = [];
    const pos = peek().pos;
    while (peek().type === "field") fields.push(next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        return fail(`unexpected . after term ${goQuote(argTextOf(node))}`);
      default:
        return { type: "chain", pos, node, field: fields };
    }
  };

  const term = (): Arg | undefined => {
    const token = nextNonSpace();
    switch (token.type) {
      case "identifier":
        if (!hasFunction(token.val)) fail(`function ${goQuote(token.val)} not defined`);
        return { type: "identifier", pos: token.pos, name: token.val };
      case "dot":
        return { type: "dot", pos: token.pos };
      case "nil":
        return { type: "nil", pos: token.pos };
      case "variable": {
        const ident = token.val.split(".");
        if (!vars.includes(ident[0]!)) fail(`undefined variable ${goQuote(ident[0]!)}`);
        return { type: "variable", pos: token.pos, ident };
      }
      case "field":
        return { type: "field", pos: token.pos, ident: [token.val.slice(1)] };
      case "bool":
        return { type: "bool", pos: token.pos, value: token.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        return { type: "number", pos: token.pos, text: token.val, value: numberValue(token) };
      case "leftParen":
        return pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        return { type: "string", pos: token.pos, quoted: token.val, text: unquote(token) };
    }
    backup();
    return undefined;
  };

  const numberValue = (token: Item): bigint | number | "complex" => {
    if (token.type === "complex") return "complex";
    if (token.type === "charConstant") return BigInt(unquote(token).codePointAt(0) ?? 0);
    const integer = parseGoInt(token.val);
    if (integer !== undefined) return integer;
    const float = /^[+-]?(\d[\d_]*\.?[\d_]*|\.[\d_]+)([eE][+-]?[\d_]+)?$/.test(token.val) ? Number(token.val.replace(/_/g, "")) : NaN;
    return Number.isFinite(float) ? float : fail(`illegal number syntax: ${goQuote(token.val)}`);
  };

  // Tree.parse: {{define}} at the top level starts a tree of its own.
  const root: ListNode = { type: "list", nodes: [] };
  while (peek().type !== "eof") {
    if (peek().type === "leftDelim") {
      const delim = next();
      if (nextNonSpace().type === "define") {
        const token = nextNonSpace();
        const defined = token.type === "string" || token.type === "rawString" ? unquote(token) : unexpected(token, "define clause");
        expect("rightDelim", "define clause");
        const savedVars = vars;
        vars = ["$"];
        actionLine = delim.line;
        const { list, end } = itemList();
        actionLine = 0;
        vars = savedVars;
        if (end.type !== "end") fail(`unexpected {{${end.type}}} in define clause`);
        addTree(defined, list);
        continue;
      }
      index = items.indexOf(delim);
    }
    const node = textOrAction();
    if (isEnd(node)) fail(`unexpected {{${node.type}}}`);
    else root.nodes.push(node);
  }
  addTree(name, root);
  return trees;
}

function argTextOf(arg: Arg): string {
  switch (arg.type) {
    case "bool":
      return String(arg.value);
    case "string":
      return arg.quoted;
    case "number":
      return arg.text;
    case "nil":
      return "nil";
    default:
      return ".";
  }
}

/** strconv.ParseInt(text, 0, 64): 0x/0o/0b prefixes, a leading 0 for octal, underscores between digits only with a prefix. */
function parseGoInt(text: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ""] = match;
  let body = digits;
  if (/^0[0-7_]+$/.test(body)) body = `0o${body.slice(1)}`;
  if (body.includes("_") && (!/^0[xXoObB]/.test(body) || /__|_$/.test(body) || /^0[xXoObB][^_].*__/.test(body))) return undefined;
  const value = BigInt(body.replace(/_/g, ""));
  const signed = sign === "-" ? -value : value;
  return signed >= -(2n ** 63n) && signed < 2n ** 63n ? signed : undefined;
}
