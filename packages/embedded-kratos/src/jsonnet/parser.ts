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
const tokenRange = (token: Token): SourceRange => span(token.loc, tokenEnd(token));
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
const FIELD_VISIBILITY = new Map<string, Visibility>([
  [":", "inherit"],
  ["::", "hidden"],
  [":::", "visible"],
]);
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
  /** popExpect / unexpectedTokenError: `Expected token ")" but got …` (a keyword unquoted). */
  private expect(text: string): Token {
    const token = this.peek();
    if (!this.is(text)) {
      const wanted = /^[a-z]+$/.test(text) ? text : `"${text}"`;
      throw staticError(`Expected token ${wanted} but got ${describe(token)}`, tokenRange(token));
    }
    return this.next();
  }
  /** popExpectOp. */
  private expectOperator(text: string): Token {
    const token = this.peek();
    if (token.kind !== "operator" || token.text !== text)
      throw staticError(`Expected operator ${text} but got ${describe(token)}`, tokenRange(token));
    return this.next();
  }
  /** popExpect(tokenIdentifier), with the context parseParameter adds. */
  private identifierToken(context?: string): Token {
    const token = this.next();
    if (token.kind !== "identifier")
      throw staticError(`Expected token IDENTIFIER but got ${describe(token)}${context ? ` while ${context}` : ""}`, tokenRange(token));
    return token;
  }
  private identifier(context?: string): string {
    return this.identifierToken(context).text;
  }
  /** The comma check of parseArguments / parseParameters. */
  private commaBefore(what: string, gotComma: boolean, first: boolean): void {
    const next = this.peek();
    if (!first && !gotComma) throw staticError(`Expected a comma before next ${what}, got ${describe(next)}`, tokenRange(next));
  }
  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== "eof") throw staticError(`Did not expect: ${describe(token)}`, tokenRange(token));
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
    if (token.kind === "operator" && !UNARY_OPS.has(token.text))
      throw staticError(`Not a unary operator: ${token.text}`, tokenRange(token));
    if (token.kind === "operator" && precedence >= UNARY_PRECEDENCE) {
      this.next();
      const operand = this.expr(UNARY_PRECEDENCE);
      left = { kind: "unary", op: token.text as UnaryOp, operand, loc: span(begin, this.endOf(operand)) };
    } else {
      left = this.postfix(this.primary(), begin);
    }
    for (;;) {
      const op = this.peek();
      const text = op.kind === "operator" || (op.kind === "keyword" && op.text === "in") ? op.text : undefined;
      if (text === undefined || text === ":" || text === "::") return left;
      if (!(text in BINARY_PRECEDENCE)) throw staticError(`Not a binary operator: ${text}`, tokenRange(op));
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
    const where = this.parenthesised.get(path) ?? path.loc;
    if (path.kind !== "string") throw staticError("Computed imports are not allowed", where);
    if (first.block) throw staticError("Block string literals not allowed in imports", where);
    return { kind: "import", keyword, path: path.value, loc: span(begin, this.endOf(path)) };
  }

  private local(): Node {
    const begin = this.next().loc;
    const binds: Bind[] = [];
    for (;;) {
      binds.push(this.bind(binds));
      // parseBind: the binding ends at `,` or `;`.
      const delim = this.next();
      if (delim.kind === "symbol" && delim.text === ";") break;
      if (delim.kind !== "symbol" || delim.text !== ",") throw staticError(`Expected , or ; but got ${describe(delim)}`, tokenRange(delim));
    }
    const body = this.expr(MAX_PRECEDENCE);
    return { kind: "local", binds, body, loc: span(begin, this.endOf(body)) };
  }

  /** parseBind (and parseObjectRemainderLocal): a name already bound in the same `local` is refused here. */
  private bind(earlier: readonly Bind[]): Bind {
    const id = this.identifierToken();
    if (earlier.some((b) => b.name === id.text)) throw staticError(`Duplicate local var: ${id.text}`, tokenRange(id));
    const params = this.is("(") ? this.params("function parameter") : undefined;
    this.expectOperator("=");
    return { name: id.text, params, body: this.expr(MAX_PRECEDENCE) };
  }

  /** parseParameters, the `(` already seen. */
  private params(what: string): Param[] {
    this.next();
    const params: Param[] = [];
    let gotComma = false;
    while (!this.is(")")) {
      this.commaBefore(what, gotComma, params.length === 0);
      const name = this.identifier("parsing parameter");
      const defaultValue = this.accept("=") ? this.expr(MAX_PRECEDENCE) : undefined;
      params.push({ name, defaultValue });
      gotComma = this.accept(",");
    }
    this.next();
    return params;
  }

  private conditional(): Node {
    const begin = this.next().loc;
    const cond = this.expr(MAX_PRECEDENCE);
    this.expect("then");
    const then = this.expr(MAX_PRECEDENCE);
    const otherwise = this.accept("else") ? this.expr(MAX_PRECEDENCE) : undefined;
    return { kind: "if", cond, then, else: otherwise, loc: span(begin, this.endOf(otherwise ?? then)) };
  }

  private functionLiteral(): Node {
    const begin = this.next().loc;
    const paren = this.peek();
    if (!this.is("(")) throw staticError(`Expected ( but got ${describe(paren)}`, tokenRange(paren));
    const params = this.params("function parameter");
    const body = this.expr(MAX_PRECEDENCE);
    return { kind: "function", params, body, loc: span(begin, this.endOf(body)) };
  }

  private assertion(): Node {
    const begin = this.next().loc;
    const cond = this.expr(MAX_PRECEDENCE);
    const message = this.accept(":") ? this.expr(MAX_PRECEDENCE) : undefined;
    this.expect(";");
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
            return this.superIndex(token);
        }
        break;
      case "symbol":
        if (token.text === "$") return { kind: "dollar", loc };
        if (token.text === "(") {
          const inner = this.expr(MAX_PRECEDENCE);
          const close = this.expect(")");
          this.parenthesised.set(inner, span(token.loc, tokenEnd(close)));
          return inner;
        }
        if (token.text === "[") return this.array(token.loc);
        if (token.text === "{") return this.object(token.loc);
        break;
    }
    if (token.kind === "eof") throw staticError("Unexpected end of file", loc);
    throw staticError(`Unexpected: ${describe(token)} while parsing terminal`, loc);
  }

  private superIndex(keyword: Token): Node {
    // go-jsonnet's SuperIndex spans the `super` keyword only.
    const range = tokenRange(keyword);
    if (this.accept(".")) {
      const name = this.identifier();
      return { kind: "superIndex", index: { kind: "string", value: name, loc: range }, loc: range, dot: true };
    }
    if (this.accept("[")) {
      const index = this.expr(MAX_PRECEDENCE);
      this.expect("]");
      return { kind: "superIndex", index, loc: range };
    }
    throw staticError("Expected . or [ after super", range);
  }

  private postfix(start: Node, begin: SourceLocation): Node {
    let node = start;
    for (;;) {
      const token = this.peek();
      if (this.accept(".")) {
        const id = this.peek();
        const name = this.identifier();
        const range = span(begin, tokenEnd(id));
        node = { kind: "index", target: node, index: { kind: "string", value: name, loc: range }, loc: range, dot: true };
      } else if (this.accept("[")) {
        node = this.indexOrSlice(node, begin);
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

  /** The index / slice branch of parse(): at most two colons (`::` counts two), each part optional. */
  private indexOrSlice(target: Node, begin: SourceLocation): Node {
    const parts: (Node | undefined)[] = [undefined, undefined, undefined];
    let colons = 0;
    let ready = true;
    for (;;) {
      const token = this.peek();
      if (this.is("]")) break;
      if (colons >= 3) throw staticError("Invalid slice: too many colons", tokenRange(token));
      if (token.kind === "operator" && (token.text === ":" || token.text === "::")) {
        colons += token.text.length;
        if (colons > 2) throw staticError("Invalid slice: too many colons", tokenRange(token));
        this.next();
        ready = true;
      } else if (ready) {
        parts[colons] = this.expr(MAX_PRECEDENCE);
        ready = false;
      } else {
        throw staticError(`Expected token "]" but got ${describe(token)}`, tokenRange(token));
      }
    }
    const close = this.next();
    const [first, end, step] = parts;
    if (colons === 0) {
      if (!first) throw staticError("ast.Index requires an expression", tokenRange(close));
      return { kind: "index", target, index: first, loc: span(begin, tokenEnd(close)) };
    }
    return { kind: "slice", target, begin: first, end, step, loc: span(begin, tokenEnd(close)) };
  }

  /** parseArguments, the `(` already seen. */
  private call(target: Node, begin: SourceLocation): Node {
    const positional: Node[] = [];
    const named: { name: string; value: Node }[] = [];
    let gotComma = false;
    while (!this.is(")")) {
      this.commaBefore("function argument", gotComma, positional.length + named.length === 0);
      if (this.peek().kind === "identifier" && this.is("=", 1)) {
        const name = this.next().text;
        this.next();
        named.push({ name, value: this.expr(MAX_PRECEDENCE) });
      } else {
        if (named.length) throw staticError("Positional argument after a named argument is not allowed", tokenRange(this.peek()));
        positional.push(this.expr(MAX_PRECEDENCE));
      }
      gotComma = this.accept(",");
    }
    const close = this.next();
    const tailstrict = this.accept("tailstrict");
    return { kind: "apply", target, positional, named, tailstrict, loc: span(begin, tokenEnd(close)) };
  }

  /** parseArray: a comprehension is one element (a trailing comma allowed) followed by `for`. */
  private array(loc: SourceLocation): Node {
    const elements: Node[] = [];
    let gotComma = false;
    while (!this.is("]")) {
      if (elements.length && !gotComma) throw staticError("Expected a comma before next array element", tokenRange(this.peek()));
      const element = this.expr(MAX_PRECEDENCE);
      gotComma = this.accept(",");
      if (elements.length === 0 && this.is("for")) {
        const { specs, close } = this.compSpecs("]");
        return { kind: "arrayComp", body: element, specs, loc: span(loc, tokenEnd(close)) };
      }
      elements.push(element);
    }
    const close = this.next();
    return { kind: "array", elements, loc: span(loc, tokenEnd(close)) };
  }

  /** parseComprehensionSpecs, at a `for`: `for x in e` then any `if c`, then the closing token or another `for`. */
  private compSpecs(end: "]" | "}"): { specs: CompSpec[]; close: Token } {
    const specs: CompSpec[] = [];
    this.next();
    for (;;) {
      const variable = this.identifier();
      this.expect("in");
      specs.push({ kind: "for", variable, expr: this.expr(MAX_PRECEDENCE) });
      let next = this.next();
      while (next.kind === "keyword" && next.text === "if") {
        specs.push({ kind: "if", cond: this.expr(MAX_PRECEDENCE) });
        next = this.next();
      }
      if (next.kind === "symbol" && next.text === end) return { specs, close: next };
      if (next.kind !== "keyword" || next.text !== "for")
        throw staticError(`Expected for, if or "${end}" after for clause, got: ${describe(next)}`, tokenRange(next));
    }
  }

  /** parseObjectRemainder: fields, locals and asserts separated by commas, or a comprehension at `for`. */
  private object(loc: SourceLocation): Node {
    const locals: Bind[] = [];
    const asserts: { cond: Node; message?: Node; loc: SourceRange }[] = [];
    const fields: Field[] = [];
    const seen = new Set<string>();
    let gotComma = false;
    let first = true;
    for (;;) {
      const next = this.peek();
      if (this.is("}")) break;
      if (this.is("for")) return this.objectComprehension(loc, next, locals, asserts, fields);
      if (!gotComma && !first) throw staticError("Expected a comma before next field", tokenRange(next));
      if (this.accept("local")) {
        locals.push(this.bind(locals));
      } else if (this.is("assert")) {
        const begin = this.next().loc;
        const cond = this.expr(MAX_PRECEDENCE);
        const message = this.accept(":") ? this.expr(MAX_PRECEDENCE) : undefined;
        asserts.push({ cond, message, loc: span(begin, this.endOf(message ?? cond)) });
      } else {
        fields.push(this.field(seen));
      }
      gotComma = this.accept(",");
      first = false;
    }
    const close = this.next();
    return { kind: "object", locals, asserts, fields, loc: span(loc, tokenEnd(close)) };
  }

  /** parseObjectRemainderComp: the checks, in go-jsonnet's order, all placed at the `for`. */
  private objectComprehension(loc: SourceLocation, forToken: Token, locals: Bind[], asserts: unknown[], fields: Field[]): Node {
    const at = tokenRange(forToken);
    if (asserts.length) throw staticError("Object comprehension cannot have asserts", at);
    const [field, ...others] = fields;
    if (!field || others.length) throw staticError("Object comprehension can only have one field", at);
    if (field.visibility !== "inherit") throw staticError("Object comprehensions cannot have hidden fields", at);
    if (field.name.kind !== "computed") throw staticError("Object comprehensions can only have [e] fields", at);
    const { specs, close } = this.compSpecs("}");
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

  /** parseObjectRemainderField: the name, a method's parameters, then `:`, `::` or `:::`, each with an optional `+`. */
  private field(seen: Set<string>): Field {
    const token = this.next();
    let name: FieldName;
    if (token.kind === "identifier" || token.kind === "string") {
      name = { kind: "fixed", name: token.text };
    } else if (token.kind === "symbol" && token.text === "[") {
      name = { kind: "computed", expr: this.expr(MAX_PRECEDENCE) };
      this.expect("]");
    } else {
      throw staticError(`Unexpected: ${describe(token)} while parsing field definition`, tokenRange(token));
    }
    const params = this.is("(") ? this.params("method parameter") : undefined;
    // parseObjectAssignmentOp: the lexer makes `+:`, `+::`, `+:::` one operator token.
    const op = this.peek();
    if (op.kind !== "operator") throw staticError(`Expected token OPERATOR but got ${describe(op)}`, tokenRange(op));
    this.next();
    const plus = op.text.startsWith("+");
    const colons = plus ? op.text.slice(1) : op.text;
    const visibility = FIELD_VISIBILITY.get(colons);
    if (visibility === undefined) throw staticError(`Expected one of :, ::, :::, +:, +::, +:::, got: ${op.text}`, tokenRange(op));
    if (plus && params) throw staticError(`Cannot use +: syntax sugar in a method: ${token.text}`, tokenRange(token));
    if (name.kind === "fixed") {
      if (seen.has(name.name)) throw staticError(`Duplicate field: ${name.name}`, tokenRange(token));
      seen.add(name.name);
    }
    return { name, visibility, plus, params, body: this.expr(MAX_PRECEDENCE) };
  }
}

/** lexer.go token.String(): a lexeme kind with its text, a symbol or keyword quoted, or `end of file`. */
function describe(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of file";
    case "identifier":
      return `(IDENTIFIER, "${token.text}")`;
    case "number":
      return `(NUMBER, "${token.text}")`;
    case "operator":
      return `(OPERATOR, "${token.text}")`;
    case "string":
      return `(${token.stringKind ?? "STRING_DOUBLE"}, "${token.text}")`;
    default:
      return `"${token.text}"`;
  }
}
