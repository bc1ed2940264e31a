import { describe, expect, it } from "vitest";
import { tokenize, type Token } from "./lexer";
import { parse } from "./parser";

/** A token as go-jsonnet's lexer_test.go writes it: its kind (OPERATOR, NUMBER, …, or the symbol itself) and text. */
function show(token: Token): string {
  switch (token.kind) {
    case "operator":
      return `OPERATOR ${token.text}`;
    case "number":
      return `NUMBER ${token.text}`;
    case "identifier":
      return `IDENTIFIER ${token.text}`;
    default:
      return token.text;
  }
}

const lex = (source: string) =>
  tokenize(source, "snippet")
    .filter((token) => token.kind !== "eof")
    .map(show);

function parseError(source: string): string {
  try {
    parse(source, "snippet");
  } catch (error) {
    return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  }
  return "(parsed)";
}

describe("operator runs as go-jsonnet's lexer reads them (internal/parser/lexer.go lexSymbol)", () => {
  // lexer_test.go TestColon…TestOpJunk: the operator cases.
  it.each([
    [":", [":"]],
    ["::", ["::"]],
    [":::", [":::"]],
    ["->", ["->"]],
    ["<-", ["<", "-"]],
    ["$", ["$"]],
    ["!", ["!"]],
    ["! ", ["!"]],
    ["!=", ["!="]],
    ["~", ["~"]],
    ["+", ["+"]],
    ["-", ["-"]],
    ["*", ["*"]],
    ["/", ["/"]],
    ["%", ["%"]],
    ["&", ["&"]],
    ["|", ["|"]],
    ["^", ["^"]],
    ["=", ["="]],
    ["<", ["<"]],
    [">", [">"]],
    [">==|", [">==|"]],
  ])("lexer_test.go: %j", (source, operators) => {
    expect(lex(source)).toEqual(operators.map((op) => (op === "$" ? "$" : `OPERATOR ${op}`)));
  });

  // Token lists a go-jsonnet build of internal/parser (Lex) printed for these inputs.
  it.each([
    ["10+10", ["NUMBER 10", "OPERATOR +", "NUMBER 10"]],
    // A run ending in + - ~ ! $ is cut to its first character, however long it is.
    ["1==-1", ["NUMBER 1", "OPERATOR =", "OPERATOR =", "OPERATOR -", "NUMBER 1"]],
    ["x!=!y", ["IDENTIFIER x", "OPERATOR !", "OPERATOR =", "OPERATOR !", "IDENTIFIER y"]],
    ["a&&!b", ["IDENTIFIER a", "OPERATOR &", "OPERATOR &", "OPERATOR !", "IDENTIFIER b"]],
    ["a+-b", ["IDENTIFIER a", "OPERATOR +", "OPERATOR -", "IDENTIFIER b"]],
    ["$==$", ["$", "OPERATOR =", "OPERATOR =", "$"]],
    ["$==1", ["OPERATOR $==", "NUMBER 1"]],
    ["{a+::: 1}", ["{", "IDENTIFIER a", "OPERATOR +:::", "NUMBER 1", "}"]],
    ["{a ::+ 1}", ["{", "IDENTIFIER a", "OPERATOR :", "OPERATOR :", "OPERATOR +", "NUMBER 1", "}"]],
    // A `/` ends a run (its `//` and `/*` checks look at that `/` itself); so does `||`.
    ["1*/2", ["NUMBER 1", "OPERATOR *", "OPERATOR /", "NUMBER 2"]],
    ["1/-1", ["NUMBER 1", "OPERATOR /", "OPERATOR -", "NUMBER 1"]],
    ["1+/*c*/-1", ["NUMBER 1", "OPERATOR +", "OPERATOR -", "NUMBER 1"]],
    ["a=>b", ["IDENTIFIER a", "OPERATOR =>", "IDENTIFIER b"]],
    ["a||b", ["IDENTIFIER a", "OPERATOR ||", "IDENTIFIER b"]],
    ["a=||b", ["IDENTIFIER a", "OPERATOR =", "OPERATOR ||", "IDENTIFIER b"]],
  ])("%j", (source, tokens) => {
    expect(lex(source)).toEqual(tokens);
  });

  // What go-jsonnet's parser (parser.go, SnippetToRawAST) answered for those tokens, from the same build.
  it.each([
    ["{a :::: b}", "snippet:1:4-8 Expected one of :, ::, :::, +:, +::, +:::, got: ::::"],
    ["{a+ : 1}", "snippet:1:3-4 Expected one of :, ::, :::, +:, +::, +:::, got: +"],
    ["{a + :: 1}", "snippet:1:4-5 Expected one of :, ::, :::, +:, +::, +:::, got: +"],
    ["{a ->b}", "snippet:1:4-6 Expected one of :, ::, :::, +:, +::, +:::, got: ->"],
    ["{a ::+ 1}", "snippet:1:5-6 Not a unary operator: :"],
    ["{a(x)+: 1}", "snippet:1:2-3 Cannot use +: syntax sugar in a method: a"],
    ["1==-1", "snippet:1:2-3 Not a binary operator: ="],
    ["x!=!y", "snippet:1:2-3 Not a binary operator: !"],
    ["a&&!b", "snippet:1:3-4 Not a unary operator: &"],
    ["a||!b", "snippet:1:3-4 Not a unary operator: |"],
    ["a>=-1", "snippet:1:3-4 Not a unary operator: ="],
    ["1<<-1", "snippet:1:3-4 Not a unary operator: <"],
    ["{a:1, b: $== 1}", "snippet:1:10-13 Not a unary operator: $=="],
    ["[1,2,3][1:::]", "snippet:1:10-13 Not a binary operator: :::"],
    ["1/ /2", "snippet:1:4-5 Not a unary operator: /"],
  ])("%j fails as go-jsonnet's parser does", (source, message) => {
    expect(parseError(source)).toBe(message);
  });

  it.each([
    "a+-b",
    "1*-1",
    "1 +- -1",
    "local x=-1; x",
    "f(x=$.a)",
    "-$-1",
    "{a +: 1}",
    "{a::: 1, b+:: 2}.b",
    "{a :+ 1}",
    "[1,2][::-1]",
    "[1,2,3][::2]",
    "assert true:-1; 1",
    "local a=1;a+!a",
  ])("%j parses as in go-jsonnet", (source) => {
    expect(parseError(source)).toBe("(parsed)");
  });
});
