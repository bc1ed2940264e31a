import type { BinaryOp, Bind, CompSpec, Field, FieldName, Node, Param, UnaryOp, Visibility } from "./ast";
import { staticError, type SourceLocation, type SourceRange } from "./errors";
import { addContext } from "./context";
import { tokenize, type Token } from "./lexer";

/**
 * Jsonnet's grammar (spec "Abstract Syntax") with go-jsonnet's operator precedences; imports are refused. Each node
 * gets go-jsonnet's extent (parser.go locFromTokens / locFromTokenAST): from the first token of the expression (an
 * opening parenthesis included) to just past its last token; a parenthesised expression keeps its own extent, as
 * go-jsonnet's desugarer drops the Parens node.
 */

type End = { endLine: number; endColumn: number };
const tokenEnd = (token: Token): End => ({ endLine: token.end.line, endColumn: token.end.column });
const span = (begin: SourceLocation, end: End): SourceRange => ({
  filename: begin.filename,
  line: begin.line,
  column: begin.column,
  endLine: end.endLine,
  endColumn: end.endColumn,
});

/** Binding strength: lower binds tighter (go-jsonnet's precedence table). */
const BINARY_PRECEDENCE: Record<BinaryOp, number> = {
  "*": 5,
  "/": 5,
  "%": 5,
  "+": 6,
  "-": 6,
  "<<": 7,
  ">>": 7,
  "<": 8,
  "<=": 8,
  ">": 8,
  ">=": 8,
  in: 8,
  "==": 9,
  "!=": 9,
  "&": 10,
  "^": 11,
  "|": 12,
  "&&": 13,
  "||": 14,
};
const UNARY_PRECEDENCE = 4;
const MAX_PRECEDENCE = 15;
const UNARY_OPS = new Set<string>(["-", "+", "!", "~"]);

export function parse(source: string, filename: string): Node {
  const parser = new Parser(tokenize(source, filename));
  const node = parser.expr(MAX_PRECEDENCE);
  parser.expectEnd();
  addContext(node, "$", "anonymous");
  return node;
}

class Parser {
  private pos = 0;
  /** The extent of a parenthesised expression, parentheses included: what an enclosing node's extent runs to. */
  private readonly parenthesised = new WeakMap<Node, SourceRange>();
  constructor(private readonly tokens: Token[]) {}

  private endOf(node: Node): End {
    return this.parenthesised.get(node) ?? node.loc;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }
  private next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }
  private is(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind !== "string" && token.kind !== "eof" && token.text === text;
  }
  private accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }
  private expect(text: string, context: string): Token {
    const token = this.peek();
    if (!this.is(text)) throw staticError(`Expected token ${text} ${context}, got ${describe(token)}`, token.loc);
    return this.next();
  }
  private identifier(context: string): string {
    const token = this.next();
    if (token.kind !== "identifier") throw staticError(`Expected an identifier ${context}, got ${describe(token)}`, token.loc);
    return token.text;
  }
  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== "eof") throw staticError(`Did not expect: ${describe(token)}`, token.loc);
  }

  expr(precedence: number): Node {
    const token = this.peek();
    const begin = token.loc;
    if (token.kind === "keyword") {
      switch (token.text) {
        case "local":
          return this.local();
        case "if":
          return this.conditional();
        case "function":
          return this.functionLiteral();
        case "error": {
          this.next();
          const expr = this.expr(MAX_PRECEDENCE);
          return { kind: "error", expr, loc: span(begin, this.endOf(expr)) };
        }
        case "assert":
          return this.assertion();
        case "import":
          return this.importExpression("import");
        case "importstr":
          return this.importExpression("importstr");
        case "importbin":
          return this.importExpression("importbin");
      }
    }
    let left: Node;
    if (token.kind === "operator" && UNARY_OPS.has(token.text) && precedence >= UNARY_PRECEDENCE) {
      this.next();
      const operand = this.expr(UNARY_PRECEDENCE);
      left = { kind: "unary", op: token.text as UnaryOp, operand, loc: span(begin, this.endOf(operand)) };
    } else {
      left = this.postfix(this.primary(), begin);
    }
    for (;;) {
      const op = this.peek();
      const text = op.kind === "operator" || (op.kind === "keyword" && op.text === "in") ? op.text : undefined;
      if (text === undefined || !(text in BINARY_PRECEDENCE)) return left;
      const opPrecedence = BINARY_PRECEDENCE[text as BinaryOp];
      if (opPrecedence > precedence) return left;
      this.next();
      if (text === "in" && this.is("super")) {
        const superToken = this.next();
        left = { kind: "inSuper", field: left, loc: span(begin, tokenEnd(superToken)) };
        continue;
      }
      // Left associative: the right operand binds strictly tighter.
      const right = this.expr(opPrecedence - 1);
      left = { kind: "binary", op: text as BinaryOp, left, right, loc: span(begin, this.endOf(right)) };
    }
  }

  /** go-jsonnet's parser (parser.go, tokenImport): the path must be a string literal other than a text block. */
  private importExpression(keyword: "import" | "importstr" | "importbin"): Node {
    const begin = this.next().loc;
    const first = this.peek();
    const path = this.expr(MAX_PRECEDENCE);
    if (path.kind !== "string") throw staticError("Computed imports are not allowed", path.loc);
    if (first.block) throw staticError("Block string literals not allowed in imports", path.loc);
    return { kind: "import", keyword, path: path.value, loc: span(begin, this.endOf(path)) };
  }

  private local(): Node {
    const begin = this.next().loc;
    const binds: Bind[] = [];
    do binds.push(this.bind());
    while (this.accept(","));
    this.expect(";", "after local bindings");
    const body = this.expr(MAX_PRECEDENCE);
    return { kind: "local", binds, body, loc: span(begin, this.endOf(body)) };
  }

  private bind(): Bind {
    const name = this.identifier("in a local binding");
    const params = this.is("(") ? this.params() : undefined;
    this.expect("=", "in a local binding");
    return { name, params, body: this.expr(MAX_PRECEDENCE) };
  }

  private params(): Param[] {
    this.expect("(", "for parameters");
    const params: Param[] = [];
    while (!this.is(")")) {
      const name = this.identifier("as a parameter name");
      const defaultValue = this.accept("=") ? this.expr(MAX_PRECEDENCE) : undefined;
      params.push({ name, defaultValue });
      if (!this.accept(",")) break;
    }
    this.expect(")", "to end parameters");
    return params;
  }

  private conditional(): Node {
    const begin = this.next().loc;
    const cond = this.expr(MAX_PRECEDENCE);
    this.expect("then", "in a conditional");
    const then = this.expr(MAX_PRECEDENCE);
    const otherwise = this.accept("else") ? this.expr(MAX_PRECEDENCE) : undefined;
    return { kind: "if", cond, then, else: otherwise, loc: span(begin, this.endOf(otherwise ?? then)) };
  }

  private functionLiteral(): Node {
    const begin = this.next().loc;
    const params = this.params();
    const body = this.expr(MAX_PRECEDENCE);
    return { kind: "function", params, body, loc: span(begin, this.endOf(body)) };
  }

  private assertion(): Node {
    const begin = this.next().loc;
    const cond = this.expr(MAX_PRECEDENCE);
    const message = this.accept(":") ? this.expr(MAX_PRECEDENCE) : undefined;
    this.expect(";", "after an assertion");
    const rest = this.expr(MAX_PRECEDENCE);
    return { kind: "assert", cond, message, rest, loc: span(begin, this.endOf(rest)) };
  }

  private primary(): Node {
    const token = this.next();
    const loc = span(token.loc, tokenEnd(token));
    switch (token.kind) {
      case "number":
        return { kind: "number", value: token.value ?? 0, loc };
      case "string":
        return { kind: "string", value: token.text, loc };
      case "identifier":
        return { kind: "var", name: token.text, loc };
      case "keyword":
        switch (token.text) {
          case "null":
            return { kind: "null", loc };
          case "true":
          case "false":
            return { kind: "boolean", value: token.text === "true", loc };
          case "self":
            return { kind: "self", loc };
          case "super":
            return this.superIndex(token.loc);
        }
        break;
      case "symbol":
        if (token.text === "$") return { kind: "dollar", loc };
        if (token.text === "(") {
          const inner = this.expr(MAX_PRECEDENCE);
          const close = this.expect(")", "to close a parenthesis");
          this.parenthesised.set(inner, span(token.loc, tokenEnd(close)));
          return inner;
        }
        if (token.text === "[") return this.array(token.loc);
        if (token.text === "{") return this.object(token.loc);
        break;
    }
    throw staticError(`Unexpected: ${describe(token)} while parsing terminal`, loc);
  }

  private superIndex(loc: SourceLocation): Node {
    // go-jsonnet's SuperIndex spans the `super` keyword only.
    const range = span(loc, tokenEnd(this.tokens[this.pos - 1] as Token));
    if (this.accept(".")) {
      const name = this.identifier("after super.");
      return { kind: "superIndex", index: { kind: "string", value: name, loc: range }, loc: range, dot: true };
    }
    if (this.accept("[")) {
      const index = this.expr(MAX_PRECEDENCE);
      this.expect("]", "to close super[");
      return { kind: "superIndex", index, loc: range };
    }
    throw staticError("Expected . or [ after super", loc);
  }

  private postfix(start: Node, begin: SourceLocation): Node {
    let node = start;
    for (;;) {
      const token = this.peek();
      if (this.accept(".")) {
        const id = this.peek();
        const name = this.identifier("after .");
        const range = span(begin, tokenEnd(id));
        node = { kind: "index", target: node, index: { kind: "string", value: name, loc: range }, loc: range, dot: true };
      } else if (this.accept("[")) {
        node = this.indexOrSlice(node, begin, token.loc);
      } else if (this.accept("(")) {
        node = this.call(node, begin);
      } else if (this.is("{")) {
        // `e { ... }` is `e + { ... }` (ApplyBrace).
        this.next();
        const right = this.object(token.loc);
        node = { kind: "binary", op: "+", left: node, right, loc: span(begin, right.loc) };
      } else {
        return node;
      }
    }
  }

  private indexOrSlice(target: Node, begin: SourceLocation, loc: SourceLocation): Node {
    const part = () => (this.is(":") || this.is("::") || this.is("]") ? undefined : this.expr(MAX_PRECEDENCE));
    const first = part();
    if (this.is("]")) {
      const close = this.next();
      if (!first) throw staticError("Expected an index expression", loc);
      return { kind: "index", target, index: first, loc: span(begin, tokenEnd(close)) };
    }
    let end: Node | undefined;
    let step: Node | undefined;
    if (this.accept("::")) {
      step = part();
    } else {
      this.expect(":", "in a slice");
      end = part();
      if (this.accept(":")) step = part();
    }
    const close = this.expect("]", "to close a slice");
    return { kind: "slice", target, begin: first, end, step, loc: span(begin, tokenEnd(close)) };
  }

  private call(target: Node, begin: SourceLocation): Node {
    const positional: Node[] = [];
    const named: { name: string; value: Node }[] = [];
    while (!this.is(")")) {
      if (this.peek().kind === "identifier" && this.is("=", 1)) {
        const name = this.next().text;
        this.next();
        named.push({ name, value: this.expr(MAX_PRECEDENCE) });
      } else {
        if (named.length) throw staticError("Positional argument after a named argument is not allowed", this.peek().loc);
        positional.push(this.expr(MAX_PRECEDENCE));
      }
      if (!this.accept(",")) break;
    }
    const close = this.expect(")", "to end a function call");
    const tailstrict = this.accept("tailstrict");
    return { kind: "apply", target, positional, named, tailstrict, loc: span(begin, tokenEnd(close)) };
  }

  private array(loc: SourceLocation): Node {
    const elements: Node[] = [];
    while (!this.is("]")) {
      const element = this.expr(MAX_PRECEDENCE);
      if (this.is("for")) {
        if (elements.length) throw staticError("Array comprehension must have exactly one element expression", loc);
        const specs = this.compSpecs();
        const close = this.expect("]", "to end an array comprehension");
        return { kind: "arrayComp", body: element, specs, loc: span(loc, tokenEnd(close)) };
      }
      elements.push(element);
      if (!this.accept(",")) break;
    }
    const close = this.expect("]", "to end an array");
    return { kind: "array", elements, loc: span(loc, tokenEnd(close)) };
  }

  private compSpecs(): CompSpec[] {
    const specs: CompSpec[] = [];
    while (this.is("for") || this.is("if")) {
      if (this.accept("for")) {
        const variable = this.identifier("after for");
        this.expect("in", "in a for specification");
        specs.push({ kind: "for", variable, expr: this.expr(MAX_PRECEDENCE) });
      } else {
        this.next();
        specs.push({ kind: "if", cond: this.expr(MAX_PRECEDENCE) });
      }
    }
    return specs;
  }

  private object(loc: SourceLocation): Node {
    const locals: Bind[] = [];
    const asserts: { cond: Node; message?: Node; loc: SourceRange }[] = [];
    const fields: Field[] = [];
    while (!this.is("}")) {
      if (this.accept("local")) {
        locals.push(this.bind());
      } else if (this.is("assert")) {
        const begin = this.next().loc;
        const cond = this.expr(MAX_PRECEDENCE);
        const message = this.accept(":") ? this.expr(MAX_PRECEDENCE) : undefined;
        asserts.push({ cond, message, loc: span(begin, this.endOf(message ?? cond)) });
      } else {
        fields.push(this.field());
      }
      if (this.is("for")) return this.objectComprehension(loc, locals, asserts, fields);
      if (!this.accept(",")) break;
    }
    const close = this.expect("}", "to end an object");
    const seen = new Set<string>();
    for (const field of fields) {
      if (field.name.kind !== "fixed") continue;
      if (seen.has(field.name.name)) throw staticError(`Duplicate field: ${field.name.name}`, loc);
      seen.add(field.name.name);
    }
    return { kind: "object", locals, asserts, fields, loc: span(loc, tokenEnd(close)) };
  }

  private objectComprehension(loc: SourceLocation, locals: Bind[], asserts: unknown[], fields: Field[]): Node {
    const [field, ...others] = fields;
    if (!field || others.length || asserts.length || field.name.kind !== "computed" || field.params) {
      throw staticError("Object comprehension needs exactly one field, with a computed [name]", loc);
    }
    const specs = this.compSpecs();
    const close = this.expect("}", "to end an object comprehension");
    if (field.visibility !== "inherit") throw staticError("Object comprehensions cannot have hidden fields", loc);
    return {
      kind: "objectComp",
      locals,
      key: field.name.expr,
      value: field.body,
      plus: field.plus,
      specs,
      loc: span(loc, tokenEnd(close)),
    };
  }

  private field(): Field {
    const token = this.next();
    let name: FieldName;
    if (token.kind === "identifier" || token.kind === "string") {
      name = { kind: "fixed", name: token.text };
    } else if (token.kind === "keyword") {
      throw staticError(`Unexpected keyword ${token.text} as a field name (quote it)`, token.loc);
    } else if (token.text === "[") {
      name = { kind: "computed", expr: this.expr(MAX_PRECEDENCE) };
      this.expect("]", "to end a computed field name");
    } else {
      throw staticError(`Unexpected: ${describe(token)} while parsing field definition`, token.loc);
    }
    const params = this.is("(") ? this.params() : undefined;
    const plus = this.accept("+");
    const colon = this.next();
    const visibility: Visibility | undefined =
      colon.kind !== "operator"
        ? undefined
        : ({ ":": "inherit", "::": "hidden", ":::": "visible" } as const)[colon.text as ":" | "::" | ":::"];
    if (visibility === undefined) throw staticError(`Expected one of :, ::, :::, got: ${describe(colon)}`, colon.loc);
    if (plus && params) throw staticError("Cannot use +: syntax sugar in a method", colon.loc);
    return { name, visibility, plus, params, body: this.expr(MAX_PRECEDENCE) };
  }
}

function describe(token: Token): string {
  if (token.kind === "eof") return "end of file";
  if (token.kind === "string") return `STRING "${token.text}"`;
  return `(${token.kind}, "${token.text}")`;
}
