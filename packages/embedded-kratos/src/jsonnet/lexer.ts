import { staticError, type SourceLocation } from "./errors";

/** Jsonnet's lexer (spec "Lexing"): identifiers, keywords, numbers, the string forms, symbols and operators; comments are skipped. */

type TokenKind = "identifier" | "keyword" | "number" | "string" | "symbol" | "operator" | "eof";

export interface Token {
  kind: TokenKind;
  /** The identifier, keyword, symbol or operator text; a string's decoded value. */
  text: string;
  /** A number's value. */
  value?: number;
  /** A `|||` text block (go-jsonnet refuses these as import paths). */
  block?: true;
  /** go-jsonnet's token kind of a string, which its parse errors name. */
  stringKind?: "STRING_DOUBLE" | "STRING_SINGLE" | "VERBATIM_STRING_DOUBLE" | "VERBATIM_STRING_SINGLE" | "STRING_BLOCK";
  loc: SourceLocation;
  /** Just past the token's last character (go-jsonnet's token ranges end there). */
  end: { line: number; column: number };
}

const KEYWORDS = new Set([
  "assert",
  "else",
  "error",
  "false",
  "for",
  "function",
  "if",
  "import",
  "importstr",
  "importbin",
  "in",
  "local",
  "null",
  "tailstrict",
  "then",
  "self",
  "super",
  "true",
]);

const SYMBOLS = new Set(["{", "}", "[", "]", "(", ")", ",", ".", ";"]);

/** lexer.go isSymbol: the characters an operator (or `$`) is made of. */
const OPERATOR_CHARS = new Set(["!", "$", ":", "~", "+", "-", "&", "|", "^", "=", "<", ">", "*", "/", "%"]);

/** An operator run may end in these only when it is one character long (lexer.go lexSymbol). */
const UNENDING = new Set(["+", "-", "~", "!", "$"]);

const isIdStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdPart = (c: string) => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";

export function tokenize(source: string, filename: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  // go-jsonnet counts columns in UTF-8 bytes (a surrogate pair's two halves make its four).
  let column = 1;
  const here = (): SourceLocation => ({ filename, line, column });
  const advance = (n: number) => {
    for (let i = 0; i < n; i++) {
      const code = source.charCodeAt(pos);
      if (code === 10) {
        line++;
        column = 1;
      } else {
        column += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
      }
      pos++;
    }
  };

  const emit = (token: Omit<Token, "end">, length: number) => {
    advance(length);
    tokens.push({ ...token, end: { line, column } });
  };

  while (pos < source.length) {
    const c = source[pos] ?? "";
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      advance(1);
      continue;
    }
    if (c === "#" || source.startsWith("//", pos)) {
      while (pos < source.length && source[pos] !== "\n") advance(1);
      continue;
    }
    if (source.startsWith("/*", pos)) {
      const start = here();
      const end = source.indexOf("*/", pos + 2);
      if (end < 0) throw staticError("Multi-line comment has no terminating */", start);
      advance(end + 2 - pos);
      continue;
    }
    const loc = here();
    if (isIdStart(c)) {
      let end = pos;
      while (end < source.length && isIdPart(source[end] ?? "")) end++;
      const text = source.slice(pos, end);
      emit({ kind: KEYWORDS.has(text) ? "keyword" : "identifier", text, loc }, end - pos);
      continue;
    }
    if (isDigit(c)) {
      const text = lexNumber(source, pos, loc);
      emit({ kind: "number", text, value: Number(text), loc }, text.length);
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, length } = readQuoted(source, pos, loc);
      emit({ kind: "string", text: value, stringKind: c === '"' ? "STRING_DOUBLE" : "STRING_SINGLE", loc }, length);
      continue;
    }
    if (c === "@") {
      const quote = source[pos + 1] ?? "";
      if (quote !== '"' && quote !== "'")
        throw staticError(`Couldn't lex verbatim string, junk after '@': ${source.codePointAt(pos + 1) ?? -1}`, loc);
      const { value, length } = readVerbatim(source, pos, loc);
      const stringKind = quote === '"' ? "VERBATIM_STRING_DOUBLE" : "VERBATIM_STRING_SINGLE";
      emit({ kind: "string", text: value, stringKind, loc }, length);
      continue;
    }
    if (source.startsWith("|||", pos)) {
      const { value, length } = readTextBlock(source, pos, loc);
      emit({ kind: "string", text: value, block: true, stringKind: "STRING_BLOCK", loc }, length);
      continue;
    }
    if (SYMBOLS.has(c)) {
      emit({ kind: "symbol", text: c, loc }, 1);
      continue;
    }
    if (OPERATOR_CHARS.has(c)) {
      const text = operatorRun(source, pos);
      emit(text === "$" ? { kind: "symbol", text, loc } : { kind: "operator", text, loc }, text.length);
      continue;
    }
    throw staticError(`Could not lex the character ${quoteRune(source.codePointAt(pos) ?? 0)}`, loc);
  }
  tokens.push({ kind: "eof", text: "end of file", loc: here(), end: { line, column } });
  return tokens;
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** A '…' or "…" string with JSON-style escapes (and `\'`); surrogate pairs in `\u` escapes combine. */
function readQuoted(source: string, start: number, loc: SourceLocation): { value: string; length: number } {
  const quote = source[start];
  let out = "";
  let i = start + 1;
  while (i < source.length) {
    const c = source[i] ?? "";
    if (c === quote) return { value: out, length: i + 1 - start };
    if (c === "\\") {
      const e = source[i + 1] ?? "";
      if (e === "u") {
        const hex = source.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw staticError("Truncated unicode escape sequence in string literal", loc);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const decoded = ESCAPES[e];
      if (decoded === undefined) throw staticError(`Unknown escape sequence in string literal: '\\${e}'`, loc);
      out += decoded;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw staticError("Unterminated String", loc);
}

/** @'…' / @"…": no escapes, a doubled quote is one quote. */
function readVerbatim(source: string, start: number, loc: SourceLocation): { value: string; length: number } {
  const quote = source[start + 1];
  let out = "";
  let i = start + 2;
  while (i < source.length) {
    const c = source[i] ?? "";
    if (c === quote) {
      if (source[i + 1] === quote) {
        out += c;
        i += 2;
        continue;
      }
      return { value: out, length: i + 1 - start };
    }
    out += c;
    i++;
  }
  throw staticError("Unterminated String", loc);
}

/**
 * A ||| text block: the first line's leading whitespace is the indentation
 * every line must share and which is removed; the block ends at a line whose
 * first non-blank text is |||. `|||-` drops the final newline.
 */
function readTextBlock(source: string, start: number, loc: SourceLocation): { value: string; length: number } {
  let i = start + 3;
  const chomp = source[i] === "-";
  if (chomp) i++;
  while (source[i] === " " || source[i] === "\t" || source[i] === "\r") i++;
  if (source[i] !== "\n") throw staticError("Text block requires new line after |||.", loc);
  i++;
  // Blank lines before the first content line are kept as newlines.
  let out = "";
  while (source[i] === "\n") {
    out += "\n";
    i++;
  }
  const indent = /^[ \t]*/.exec(source.slice(i))?.[0] ?? "";
  if (indent === "") throw staticError("Text block's first line must start with whitespace", loc);
  for (;;) {
    if (source.startsWith(indent, i)) {
      i += indent.length;
      const end = source.indexOf("\n", i);
      if (end < 0) throw staticError("Unexpected EOF", loc);
      out += source.slice(i, end + 1);
      i = end + 1;
      while (source[i] === "\n") {
        out += "\n";
        i++;
      }
      continue;
    }
    const lead = /^[ \t]*/.exec(source.slice(i))?.[0] ?? "";
    if (!source.startsWith("|||", i + lead.length)) throw staticError("Text block not terminated with |||", loc);
    i += lead.length + 3;
    return { value: chomp ? out.replace(/\n$/, "") : out, length: i - start };
  }
}

/**
 * lexer.go lexSymbol after its comment and text-block cases: the whole run of operator characters is one token, except
 * that a `/` after the first character ends it (the run's check for a following `//` or `/*` looks at that `/` itself)
 * and so does a `|` followed by another `|`. A run longer than one character ending in `+ - ~ ! $` is cut to its
 * first character: Go's wind-back loop reads the last character once and, while it is one of those, keeps stepping
 * back to the first (`==-` is `=` then `=-`, which is `=` then `-`).
 */
function operatorRun(source: string, start: number): string {
  let end = start + 1;
  for (;;) {
    const c = source[end] ?? "";
    if (!OPERATOR_CHARS.has(c) || c === "/" || (c === "|" && source[end + 1] === "|")) break;
    end++;
  }
  if (end - start > 1 && UNENDING.has(source[end - 1] ?? "")) end = start + 1;
  return source.slice(start, end);
}

/**
 * lexer.go lexNumber: `0` alone or digits, an optional fraction and exponent; a `.`, `e`/`E` or exponent sign not
 * followed by what it needs is an error at that character (a leading `0` simply ends the number: `042` is two tokens).
 */
function lexNumber(source: string, start: number, loc: SourceLocation): string {
  let i = start;
  const digits = () => {
    while (isDigit(source[i] ?? "")) i++;
  };
  const junk = (after: string) => {
    // At the end of the input Go's lexer reads lexEOF, which quotes as the replacement character.
    const rune = source.codePointAt(i) ?? 0xfffd;
    throw staticError(`Couldn't lex number, junk after ${after}: ${quoteRune(rune)}`, { ...loc, column: loc.column + (i - start) });
  };
  if (source[i] === "0") i++;
  else digits();
  if (source[i] === ".") {
    i++;
    if (!isDigit(source[i] ?? "")) junk("decimal point");
    digits();
  }
  if (source[i] === "e" || source[i] === "E") {
    i++;
    if (source[i] === "+" || source[i] === "-") {
      i++;
      if (!isDigit(source[i] ?? "")) junk("exponent sign");
    } else if (!isDigit(source[i] ?? "")) junk("'E'");
    digits();
  }
  return source.slice(start, i);
}

/** Go's %q of a rune as strconv.QuoteRuneToASCII gives it: printable ASCII as is, other runes as \\u or \\U escapes. */
function quoteRune(code: number): string {
  if (code >= 0x20 && code < 0x7f)
    return code === 0x27 || code === 0x5c ? `'\\${String.fromCodePoint(code)}'` : `'${String.fromCodePoint(code)}'`;
  const hex = code.toString(16);
  if (code > 0xffff) return `'\\U${hex.padStart(8, "0")}'`;
  return `'\\u${hex.padStart(4, "0")}'`;
}
