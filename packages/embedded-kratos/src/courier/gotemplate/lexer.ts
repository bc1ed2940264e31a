import { goTrimRight } from "@olympus/server-kit/text";

/**
 * text/template/parse's lexer (lex.go): splits a template into text and the
 * tokens inside `{{ }}`, with trim markers (`{{- ` and ` -}}`) and comments
 * (`{{/* *\/}}`, which must touch the delimiters). Errors carry Go's texts.
 */

export type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "complex"
  | "assign"
  | "declare"
  | "eof"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  // keywords
  | "dot"
  | KeywordWord;

export interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

/** lex.go's `key` table but for ".", which the lexer reads on a path of its own: each word lexes as its own item type. */
const KEYWORD_WORDS = ["block", "break", "continue", "define", "else", "end", "if", "nil", "range", "template", "with"] as const;
type KeywordWord = (typeof KEYWORD_WORDS)[number];
const KEYWORD_WORD_SET: ReadonlySet<string> = new Set(KEYWORD_WORDS);
const isKeywordWord = (word: string): word is KeywordWord => KEYWORD_WORD_SET.has(word);

/** The item types lex.go orders after itemKeyword (the words and itemDot), which item.String() shows as `<val>`. */
export const isKeywordItem = (type: ItemType): boolean => type === "dot" || KEYWORD_WORD_SET.has(type);

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlphaNumeric = (c: string | undefined) => c !== undefined && (c === "_" || /^[\p{L}\p{Nd}]$/u.test(c));
const hasLeftTrim = (s: string, at: number) => s[at] === "-" && isSpace(s[at + 1]);
const hasRightTrim = (s: string, at: number) => isSpace(s[at]) && s[at + 1] === "-";
const trimRightLength = (s: string) => s.length - goTrimRight(s, " \t\r\n").length;
const trimLeftLength = (s: string) => s.length - s.replace(/^[ \t\r\n]+/, "").length;

/** Go's %#U of a rune: `U+0021 '!'` (the quoted char only when printable). */
function runeDescription(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  return /^[\p{L}\p{N}\p{P}\p{S} ]$/u.test(c) ? `U+${hex} '${c}'` : `U+${hex}`;
}

export function lex(input: string): Item[] {
  const items: Item[] = [];
  let start = 0;
  let pos = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  // The rune sequence as JS code points: `next` must step over surrogate pairs.
  const peek = () => (pos < input.length ? String.fromCodePoint(input.codePointAt(pos) ?? 0) : undefined);
  const next = () => {
    const c = peek();
    if (c !== undefined) {
      pos += c.length;
      if (c === "\n") line++;
    }
    return c;
  };
  const backup = (c: string | undefined) => {
    if (c === undefined) return;
    pos -= c.length;
    if (c === "\n") line--;
  };
  const emit = (type: ItemType) => {
    items.push({ type, pos: start, val: input.slice(start, pos), line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = () => {
    line += countNewlines(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const fail = (message: string): Item[] => {
    items.push({ type: "error", pos: start, val: message, line: startLine });
    return items;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrim(input, pos) && input.startsWith("}}", pos + 2)) return { delim: true, trim: true };
    return { delim: input.startsWith("}}", pos), trim: false };
  };
  const atTerminator = () => {
    const c = peek();
    if (c === undefined || isSpace(c) || ".,|:)(".includes(c)) return true;
    return input.startsWith("}}", pos);
  };
  const accept = (valid: string) => {
    const c = peek();
    if (c !== undefined && valid.includes(c)) {
      pos += c.length;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string) => {
    while (accept(valid));
  };
  const scanNumber = () => {
    accept("+-");
    let digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length === 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };
  /**
   * The alphanumerics of a word (lexIdentifier, lexFieldOrVariable): the
   * rune they stop at when it cannot end the word, for `bad character`.
   */
  const scanWord = (): string | undefined => {
    let r: string | undefined;
    for (;;) {
      r = next();
      if (!isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    return atTerminator() ? undefined : (r ?? "");
  };
  /** A quoted literal up to `close`; `\` escapes the next rune; a line break or the end is `unterminated`. */
  const quoted = (close: string): boolean => {
    for (;;) {
      let c = next();
      if (c === "\\") {
        c = next();
        if (c !== undefined && c !== "\n") continue;
        return false;
      }
      if (c === undefined || c === "\n") return false;
      if (c === close) return true;
    }
  };

  // lexText and the states inside an action, as one loop.
  for (;;) {
    // lexText
    const x = input.indexOf("{{", pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) {
        line += countNewlines(input.slice(start, pos));
        emit("text");
      }
      emit("eof");
      return items;
    }
    pos = x;
    const trimLength = hasLeftTrim(input, pos + 2) ? trimRightLength(input.slice(start, pos)) : 0;
    pos -= trimLength;
    if (pos > start) {
      line += countNewlines(input.slice(start, pos));
      emit("text");
    }
    pos += trimLength;
    ignore();
    // lexLeftDelim
    pos += 2;
    const trimSpace = hasLeftTrim(input, pos);
    // trimMarkerLen: the "-" and the space after it.
    const afterMarker = trimSpace ? 2 : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      pos += 2;
      const end = input.indexOf("*/", pos);
      if (end < 0) return fail("unclosed comment");
      pos = end + 2;
      const { delim, trim } = atRightDelim();
      if (!delim) return fail("comment ends before closing delimiter");
      if (trim) pos += 2;
      pos += 2;
      if (trim) pos += trimLeftLength(input.slice(pos));
      ignore();
      continue;
    }
    emit("leftDelim");
    pos += afterMarker;
    ignore();
    // lexInsideAction until the right delimiter.
    for (;;) {
      const { delim } = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) return fail("unclosed left paren");
        // lexRightDelim
        const trim = hasRightTrim(input, pos);
        if (trim) {
          pos += 2;
          ignore();
        }
        pos += 2;
        emit("rightDelim");
        if (trim) {
          pos += trimLeftLength(input.slice(pos));
          ignore();
        }
        break;
      }
      const c = next();
      if (c === undefined) return fail("unclosed action");
      if (isSpace(c)) {
        // lexSpace: a lone space before "-}}" belongs to the trim marker.
        backup(c);
        let spaces = 0;
        while (isSpace(peek())) {
          next();
          spaces++;
        }
        if (hasRightTrim(input, pos - 1) && input.startsWith("}}", pos + 1)) {
          backup(input[pos - 1]);
          if (spaces === 1) continue;
        }
        emit("space");
        continue;
      }
      if (c === "=") emit("assign");
      else if (c === ":") {
        if (next() !== "=") return fail("expected :=");
        emit("declare");
      } else if (c === "|") emit("pipe");
      else if (c === '"') {
        if (!quoted('"')) return fail("unterminated quoted string");
        emit("string");
      } else if (c === "`") {
        const end = input.indexOf("`", pos);
        if (end < 0) return fail("unterminated raw quoted string");
        line += countNewlines(input.slice(pos, end));
        pos = end + 1;
        emit("rawString");
      } else if (c === "$" || (c === "." && !(pos < input.length && input[pos]! >= "0" && input[pos]! <= "9"))) {
        // lexVariable / lexField
        if (atTerminator()) {
          emit(c === "$" ? "variable" : "dot");
          continue;
        }
        const badEnd = scanWord();
        if (badEnd !== undefined) return fail(`bad character ${runeDescription(badEnd)}`);
        emit(c === "$" ? "variable" : "field");
      } else if (c === "'") {
        if (!quoted("'")) return fail("unterminated character constant");
        emit("charConstant");
      } else if (c === "." || c === "+" || c === "-" || (c >= "0" && c <= "9")) {
        backup(c);
        if (!scanNumber()) return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        const sign = peek();
        if (sign === "+" || sign === "-") {
          if (!scanNumber() || input[pos - 1] !== "i") return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
          emit("complex");
        } else emit("number");
      } else if (isAlphaNumeric(c)) {
        const badEnd = scanWord();
        if (badEnd !== undefined) return fail(`bad character ${runeDescription(badEnd)}`);
        const word = input.slice(start, pos);
        if (isKeywordWord(word)) emit(word);
        else if (word === "true" || word === "false") emit("bool");
        else emit("identifier");
      } else if (c === "(") {
        emit("leftParen");
        parenDepth++;
      } else if (c === ")") {
        emit("rightParen");
        parenDepth--;
        if (parenDepth < 0) return fail(`unexpected right paren ${runeDescription(c)}`);
      } else if ((c.codePointAt(0) ?? 0) < 0x80 && /^[\x20-\x7e]$/.test(c)) emit("char");
      else return fail(`unrecognized character in action: ${runeDescription(c)}`);
    }
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (const c of text) if (c === "\n") n++;
  return n;
}
