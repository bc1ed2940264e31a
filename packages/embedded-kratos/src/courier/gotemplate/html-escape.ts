import { GoCallError } from "./evaluator";
import { goSprint } from "./fmt";
import type { HtmlContext } from "./html-context";
import { goJson } from "./sprig-convert";

/**
 * html/template's escapers (html.go, url.go, js.go, css.go) for the contexts
 * html-context.ts tells apart. Values arrive as the action's result; nil and
 * no value print nothing (content.go stringify skips untyped nil).
 */

/** content.go stringify: one string as it is, nils dropped, the rest fmt.Sprint'ed. */
export function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  return goSprint([value]);
}

const HTML_TABLE: Record<string, string> = {
  "\0": "\ufffd",
  '"': "&#34;",
  "&": "&amp;",
  "'": "&#39;",
  "+": "&#43;",
  "<": "&lt;",
  ">": "&gt;",
};
const HTML_NOSPACE_TABLE: Record<string, string> = {
  "\0": "&#xfffd;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\v": "&#11;",
  "\f": "&#12;",
  "\r": "&#13;",
  " ": "&#32;",
  '"': "&#34;",
  "&": "&amp;",
  "'": "&#39;",
  "+": "&#43;",
  "<": "&lt;",
  "=": "&#61;",
  ">": "&gt;",
  "`": "&#96;",
};

/** htmlEscaper: text and quoted attribute values. */
export const htmlEscaper = (text: string): string => text.replace(/[\0"&'+<>]/g, (c) => HTML_TABLE[c] ?? c);

/** htmlNospaceEscaper: unquoted attribute values. */
export const htmlNospaceEscaper = (text: string): string => text.replace(/[\0\t\n\v\f\r "&'+<=>`]/g, (c) => HTML_NOSPACE_TABLE[c] ?? c);

/** url.go urlFilter: a scheme other than http, https or mailto makes the value `#ZgotmplZ`. */
export function urlFilter(text: string): string {
  const colon = text.indexOf(":");
  if (colon >= 0 && !text.slice(0, colon).includes("/")) {
    const scheme = text.slice(0, colon).toLowerCase();
    if (scheme !== "http" && scheme !== "https" && scheme !== "mailto") return "#ZgotmplZ";
  }
  return text;
}

/** url.go processURLOnto: percent-encodes bytes outside the URL alphabet; `normalize` keeps reserved characters and `%`. */
export function urlProcess(text: string, normalize: boolean): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    const unreserved = /[A-Za-z0-9\-._~]/.test(c);
    const reserved = "!#$&*+,/:;=?@[]".includes(c);
    if (unreserved || (normalize && (reserved || c === "%"))) out += c;
    else out += `%${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

const JS_STR_TABLE: Record<string, string> = {
  "\0": "\\u0000",
  "\t": "\\t",
  "\n": "\\n",
  "\v": "\\u000b",
  "\f": "\\f",
  "\r": "\\r",
  '"': "\\u0022",
  "&": "\\u0026",
  "'": "\\u0027",
  "+": "\\u002b",
  "/": "\\/",
  "<": "\\u003c",
  ">": "\\u003e",
  "\\": "\\\\",
  "`": "\\u0060",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** js.go replace: each rune through the table; other control characters as \\uXXXX. */
const jsReplace = (text: string, table: Record<string, string>): string =>
  [...text].map((c) => table[c] ?? (c < " " ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c)).join("");

/** js.go jsStrEscaper: inside a JavaScript string literal. */
export const jsStrEscaper = (text: string): string => jsReplace(text, JS_STR_TABLE);

/** js.go jsBqStrReplacementTable (Go 1.22+): a template literal also escapes `$`, `{` and `}`, so no `${` is formed. */
const JS_TMPL_LIT_TABLE: Record<string, string> = { ...JS_STR_TABLE, $: "\\u0024", "{": "\\u007b", "}": "\\u007d" };

/** js.go jsTmplLitEscaper (Go 1.22+; Go 1.19 refuses actions in template literals). */
export const jsTmplLitEscaper = (text: string): string => jsReplace(text, JS_TMPL_LIT_TABLE);

/** js.go jsRegexpReplacementTable: a regular expression literal also escapes its specials with a backslash. */
const JS_REGEXP_TABLE: Record<string, string> = {
  ...JS_STR_TABLE,
  "`": "`",
  ...Object.fromEntries([..."$()*-.?[]^{|}"].map((c) => [c, `\\${c}`])),
};

/** js.go jsRegexpEscaper: literal text inside /.../; empty becomes `(?:)` so no `//` comment is formed. */
export const jsRegexpEscaper = (text: string): string => jsReplace(text, JS_REGEXP_TABLE) || "(?:)";

/** js.go jsValEscaper: a JavaScript value (JSON), padded with spaces when it would run into a neighbouring identifier. */
export function jsValEscaper(value: unknown): string {
  if (value === undefined || value === null) return " null ";
  let marshalled: string;
  try {
    marshalled = goJson(value);
  } catch (error) {
    // js.go jsValEscaper: a value json.Marshal refuses prints as a comment and null.
    if (error instanceof GoCallError) return ` /* ${error.message.replaceAll("*/", "* /")} */null `;
    throw error;
  }
  const json = marshalled.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  const identPart = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);
  return identPart(json[0]) || identPart(json[json.length - 1]) ? ` ${json} ` : json;
}

/** css.go cssValueFilter, simplified: plain words, numbers, colours and lengths pass; anything else is ZgotmplZ. */
export const cssValueFilter = (text: string): string => (/^[\w\s#.,%-]*$/.test(text) && !/expression|url/i.test(text) ? text : "ZgotmplZ");

/** js.go: the escaper for where in JavaScript the action prints. */
function jsEscape(context: HtmlContext, value: unknown): string {
  switch (context.js.mode) {
    case "code":
      return jsValEscaper(value);
    case '"':
    case "'":
      return jsStrEscaper(stringify(value));
    case "`":
      return jsTmplLitEscaper(stringify(value));
    case "regexp":
      return jsRegexpEscaper(stringify(value));
    case "line-comment":
    case "block-comment":
      // html.go commentEscaper: nothing prints inside a comment.
      return "";
  }
}

/** The escaper chain html/template puts at the end of an action in this context. */
export function escapeInContext(context: HtmlContext, value: unknown): string {
  switch (context.state) {
    case "text":
    case "rcdata":
    case "dead":
      return htmlEscaper(stringify(value));
    case "comment":
      return "";
    case "tag":
      return /^[a-zA-Z0-9-]*$/.test(stringify(value)) ? stringify(value) : "ZgotmplZ";
    case "script":
      return jsEscape(context, value);
    case "css":
      return cssValueFilter(stringify(value));
    case "attr": {
      let text: string;
      if (context.kind === "url") {
        const raw = stringify(value);
        text = context.urlPart === "none" ? urlProcess(urlFilter(raw), true) : urlProcess(raw, context.urlPart === "pre");
      } else if (context.kind === "js") text = jsEscape(context, value);
      else if (context.kind === "css") text = cssValueFilter(stringify(value));
      else text = stringify(value);
      return context.delim ? htmlEscaper(text) : htmlNospaceEscaper(text);
    }
  }
}
