import { goQuote } from "@olympus/server-kit/go-strconv";
import { goTrimRight } from "@olympus/server-kit/text";

/**
 * html/template's JavaScript states (transition.go tJS, tJSDelimited,
 * tJSTmpl, tBlockCmt, tLineCmt; js.go nextJSCtx): where in a script or an
 * on* attribute an action prints, so it gets the escaper Go picks for a
 * value, a string, a regular expression or a template literal.
 */
export type JsCtx = "regexp" | "divop" | "unknown";
export type JsMode = "code" | '"' | "'" | "`" | "regexp" | "line-comment" | "block-comment";
export interface JsState {
  mode: JsMode;
  /** Whether a `/` in code starts a regular expression or divides. */
  jsCtx: JsCtx;
  /** Go 1.22+ jsBraceDepth: one counter per `${` open inside a template literal. */
  braces: readonly number[];
}

export const JS_START: JsState = { mode: "code", jsCtx: "regexp", braces: [] };

/** A template html/template refuses (escape.go's *Error); the walker adds the node's location. */
export class HtmlEscapeError extends Error {
  override name = "HtmlEscapeError";
}

/** js.go regexpPrecederKeywords. */
const REGEXP_PRECEDER_KEYWORDS: ReadonlySet<string> = new Set([
  "break",
  "case",
  "continue",
  "delete",
  "do",
  "else",
  "finally",
  "in",
  "instanceof",
  "return",
  "throw",
  "try",
  "typeof",
  "void",
]);

/** js.go nextJSCtx: whether a `/` after `code` starts a regular expression, from its last token. */
export function nextJsCtx(code: string, preceding: JsCtx): JsCtx {
  const s = goTrimRight(code, "\t\n\f\r \u2028\u2029");
  if (s.length === 0) return preceding;
  const c = s[s.length - 1]!;
  if (c === "+" || c === "-") {
    let start = s.length - 1;
    while (start > 0 && s[start - 1] === c) start--;
    return (s.length - start) % 2 === 1 ? "regexp" : "divop";
  }
  if (c === ".") return s.length !== 1 && /[0-9]/.test(s[s.length - 2]!) ? "divop" : "regexp";
  if (",<>=*%&|^?!~([:;{}".includes(c)) return "regexp";
  const word = /[A-Za-z0-9_$]*$/.exec(s)![0];
  return REGEXP_PRECEDER_KEYWORDS.has(word) ? "regexp" : "divop";
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * Scans `text` from `start`; `elideComments` drops comments from the output
 * as html/template does in a script element (escape.go escapeText; comments
 * inside attributes stay).
 */
export function scanJs(text: string, start: JsState, elideComments: boolean): { text: string; state: JsState } {
  let { mode, jsCtx } = start;
  const braces = [...start.braces];
  let out = "";
  let i = 0;
  /** Code seen since the last string, comment or regexp: nextJSCtx reads its last token. */
  let code = "";
  const openComment = (kind: "line-comment" | "block-comment", opener: string) => {
    jsCtx = nextJsCtx(code, jsCtx);
    code = "";
    mode = kind;
    if (!elideComments) out += opener;
    i += opener.length;
  };
  while (i < text.length) {
    const c = text[i]!;
    switch (mode) {
      case "code": {
        if (c === '"' || c === "'" || c === "`") {
          code = "";
          mode = c;
          jsCtx = "regexp";
        } else if (c === "/" && text[i + 1] === "/") {
          openComment("line-comment", "//");
          continue;
        } else if (c === "/" && text[i + 1] === "*") {
          openComment("block-comment", "/*");
          continue;
        } else if (text.startsWith("<!--", i)) {
          // Go 1.21+: HTML-like comments and (Go 1.22+) a hashbang are line comments in JavaScript.
          openComment("line-comment", "<!--");
          continue;
        } else if (text.startsWith("-->", i)) {
          openComment("line-comment", "-->");
          continue;
        } else if (text.startsWith("#!", i)) {
          openComment("line-comment", "#!");
          continue;
        } else if (c === "/") {
          jsCtx = nextJsCtx(code, jsCtx);
          code = "";
          if (jsCtx === "regexp") mode = "regexp";
          else if (jsCtx === "divop") jsCtx = "regexp";
          else throw new HtmlEscapeError(`'/' could start a division or regexp: ${goQuote([...text.slice(i)].slice(0, 32).join(""))}`);
        } else if (c === "}" && braces.length > 0 && braces[braces.length - 1] === 0) {
          braces.pop();
          jsCtx = nextJsCtx(code, jsCtx);
          code = "";
          mode = "`";
        } else {
          if (braces.length > 0 && c === "{") braces[braces.length - 1]!++;
          if (braces.length > 0 && c === "}") braces[braces.length - 1]!--;
          code += c;
        }
        out += c;
        i++;
        continue;
      }
      case '"':
      case "'":
      case "`":
      case "regexp": {
        const scanned = scanDelimited(text, i, mode, braces);
        out += text.slice(i, scanned.end);
        i = scanned.end;
        mode = scanned.mode;
        if (mode === "code" && scanned.closed) jsCtx = "divop";
        continue;
      }
      case "line-comment":
      case "block-comment": {
        const end = mode === "line-comment" ? text.slice(i).search(LINE_TERMINATOR) : text.indexOf("*/", i) - i;
        const stop = end < 0 ? text.length : i + end + (mode === "block-comment" ? 2 : 0);
        if (!elideComments) out += text.slice(i, stop);
        i = stop;
        if (end >= 0) mode = "code";
        continue;
      }
    }
  }
  if (mode === "code") jsCtx = nextJsCtx(code, jsCtx);
  return { text: out, state: { mode, jsCtx, braces } };
}

/** tJSDelimited and tJSTmpl: a string, regexp or template literal up to its end, a `${`, or the end of the text. */
function scanDelimited(
  text: string,
  from: number,
  mode: '"' | "'" | "`" | "regexp",
  braces: number[],
): { end: number; mode: JsMode; closed: boolean } {
  let inCharset = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      i++;
      if (i === text.length) throw new HtmlEscapeError(`unfinished escape sequence in JS string: ${goQuote(text.slice(from))}`);
    } else if (mode === "regexp" && c === "[") inCharset = true;
    else if (mode === "regexp" && c === "]") inCharset = false;
    else if (mode === "`" && c === "$" && text[i + 1] === "{") {
      braces.push(0);
      return { end: i + 2, mode: "code", closed: false };
    } else if (c === (mode === "regexp" ? "/" : mode) && !inCharset) return { end: i + 1, mode: "code", closed: mode !== "`" };
  }
  if (inCharset) throw new HtmlEscapeError(`unfinished JS regexp charset: ${goQuote(text.slice(from))}`);
  return { end: text.length, mode, closed: false };
}
