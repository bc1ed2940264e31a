import { HtmlEscapeError, JS_START, type JsState, scanJs } from "./js-context";

/**
 * A model of html/template's contexts (context.go, transition.go): where in
 * the HTML each action prints, so its value gets the escaper Go would pick.
 * One flat record, so two contexts compare field by field as Go's
 * context.eq does when branches join.
 */
export type UrlPart = "none" | "pre" | "query" | "unknown";
export type AttrKind = "normal" | "url" | "js" | "css";
export type HtmlState = "text" | "rcdata" | "tag" | "comment" | "script" | "css" | "attr" | "dead";
export interface HtmlContext {
  state: HtmlState;
  /** Go's element: script, style, textarea or title while in its tag or body, else "". */
  element: string;
  /** The attribute value being written (state "attr"). */
  kind: AttrKind;
  delim: '"' | "'" | "";
  urlPart: UrlPart;
  /** Inside a script element or an on* attribute. */
  js: JsState;
}

export const TEXT: HtmlContext = { state: "text", element: "", kind: "normal", delim: "", urlPart: "none", js: JS_START };

export function sameContext(a: HtmlContext, b: HtmlContext): boolean {
  return (
    a.state === b.state &&
    a.element === b.element &&
    a.kind === b.kind &&
    a.delim === b.delim &&
    a.urlPart === b.urlPart &&
    a.js.mode === b.js.mode &&
    a.js.jsCtx === b.js.jsCtx &&
    a.js.braces.join() === b.js.braces.join()
  );
}

/** Whether the context is inside JavaScript (a script element's body or an on* attribute value). */
export const inJs = (c: HtmlContext): boolean => c.state === "script" || (c.state === "attr" && c.kind === "js");

const JS_STATE_NAMES: Record<JsState["mode"], string> = {
  code: "stateJS",
  '"': "stateJSDqStr",
  "'": "stateJSSqStr",
  "`": "stateJSTmplLit",
  regexp: "stateJSRegexp",
  "line-comment": "stateJSLineCmt",
  "block-comment": "stateJSBlockCmt",
};

/** context.go String(): how html/template's errors print a context. */
export function contextString(c: HtmlContext): string {
  const state = inJs(c)
    ? JS_STATE_NAMES[c.js.mode]
    : c.state === "attr"
      ? { normal: "stateAttr", url: "stateURL", css: "stateCSS", js: "stateJS" }[c.kind]
      : { text: "stateText", rcdata: "stateRCDATA", tag: "stateTag", comment: "stateHTMLCmt", css: "stateCSS", dead: "stateDead" }[
          c.state as Exclude<HtmlState, "attr" | "script">
        ];
  const delim = c.state !== "attr" ? "delimNone" : { '"': "delimDoubleQuote", "'": "delimSingleQuote", "": "delimSpaceOrTagEnd" }[c.delim];
  const urlPart = { none: "urlPartNone", pre: "urlPartPreQuery", query: "urlPartQueryOrFrag", unknown: "urlPartUnknown" }[c.urlPart];
  const jsCtx = { regexp: "jsCtxRegexp", divop: "jsCtxDivOp", unknown: "jsCtxUnknown" }[c.js.jsCtx];
  const attr = c.state !== "attr" ? "attrNone" : { normal: "attrNone", url: "attrURL", js: "attrScript", css: "attrStyle" }[c.kind];
  const element = c.element ? `element${c.element[0]!.toUpperCase()}${c.element.slice(1)}` : "elementNone";
  return `{${state} ${delim} ${urlPart} ${jsCtx} ${attr} ${element} <nil>}`;
}

/** attr.go attrType: how html/template reads an attribute by its name. */
function attrKind(rawName: string): AttrKind {
  let name = rawName.toLowerCase();
  if (name.startsWith("data-")) name = name.slice(5);
  else if (name.includes(":")) {
    if (name.startsWith("xmlns")) return "url";
    name = name.slice(name.indexOf(":") + 1);
  }
  if (URL_ATTRS.has(name)) return "url";
  if (name === "style") return "css";
  if (name.startsWith("on")) return "js";
  if (name.includes("src") || name.includes("uri") || name.includes("url")) return "url";
  return "normal";
}

const URL_ATTRS: ReadonlySet<string> = new Set([
  "action",
  "archive",
  "background",
  "cite",
  "classid",
  "codebase",
  "data",
  "formaction",
  "href",
  "icon",
  "longdesc",
  "manifest",
  "poster",
  "profile",
  "src",
  "usemap",
  "xmlns",
]);

/** Elements html/template tracks (context.go element). */
const SPECIAL_ELEMENTS: Record<string, HtmlState> = { script: "script", style: "css", textarea: "rcdata", title: "rcdata" };

/** The text as html/template writes it (HTML comments and script comments dropped) and the context after it. */
export function scanText(text: string, start: HtmlContext): { text: string; context: HtmlContext } {
  let context = start;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    switch (context.state) {
      case "dead":
      case "text": {
        if (text.startsWith("<!--", i)) {
          context = { ...TEXT, state: "comment" };
          i += 4;
          continue;
        }
        const tag = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(text.slice(i));
        if (tag) {
          const name = tag[1]!.toLowerCase();
          context = { ...TEXT, state: "tag", element: text[i + 1] !== "/" && SPECIAL_ELEMENTS[name] ? name : "" };
          out += tag[0];
          i += tag[0].length;
          continue;
        }
        out += c;
        i++;
        continue;
      }
      case "comment": {
        const end = text.indexOf("-->", i);
        if (end < 0) return { text: out, context };
        context = TEXT;
        i = end + 3;
        continue;
      }
      case "rcdata":
      case "script":
      case "css": {
        const close = text.slice(i).search(new RegExp(`</${context.element}[\\s/>]`, "i"));
        const endOfRaw = close < 0 ? text.length : i + close;
        if (context.state === "script") {
          const scanned = scanJs(text.slice(i, endOfRaw), context.js, true);
          out += scanned.text;
          context = { ...context, js: scanned.state };
        } else out += text.slice(i, endOfRaw);
        i = endOfRaw;
        if (close >= 0) context = TEXT;
        continue;
      }
      case "tag": {
        if (c === ">") {
          const raw = SPECIAL_ELEMENTS[context.element];
          context = raw ? { ...TEXT, state: raw, element: context.element } : TEXT;
          out += c;
          i++;
          continue;
        }
        const attr = /^([^\s"'<>/=]+)(\s*=\s*)(["']?)/.exec(text.slice(i));
        if (attr) {
          out += attr[0];
          i += attr[0].length;
          const delim = (attr[3] ?? "") as '"' | "'" | "";
          context = { ...TEXT, state: "attr", element: context.element, kind: attrKind(attr[1]!), delim };
          continue;
        }
        out += c;
        i++;
        continue;
      }
      case "attr": {
        const ends = context.delim ? text.indexOf(context.delim, i) : text.slice(i).search(/[\s>]/);
        const end = ends < 0 ? text.length : context.delim ? ends : i + ends;
        const value = text.slice(i, end);
        if (context.kind === "js") {
          const scanned = scanJs(value, context.js, false);
          context = { ...context, js: scanned.state };
        } else if (context.kind === "url") context = { ...context, urlPart: nextUrlPart(value, context.urlPart) };
        out += value;
        i = end;
        if (ends >= 0) {
          const tag: HtmlContext = { ...TEXT, state: "tag", element: context.element };
          context = tag;
          if (text[i] !== ">") {
            out += text[i];
            i++;
          }
        }
        continue;
      }
    }
  }
  return { text: out, context };
}

/**
 * transition.go tURL: `?` or `#` starts the query or fragment; any other
 * non-space starts the URL (HTML allows spaces around a URL attribute's
 * value, so a leading space leaves the scheme check in force).
 */
function nextUrlPart(value: string, part: UrlPart): UrlPart {
  if (/[?#]/.test(value)) return "query";
  if (part === "none" && /[^\t\n\f\r ]/.test(value)) return "pre";
  return part;
}

export { HtmlEscapeError };
