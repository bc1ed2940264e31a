/**
 * fosite's form_post page (fosite/authorize_helper.go DefaultFormPostTemplate,
 * which Hydra's fositex/config.go GetFormPostHTMLTemplate returns, written by
 * WriteAuthorizeFormPostResponse) as Go's html/template renders it: the
 * template's own whitespace kept, parameters in url.Values' sorted key order,
 * the action through html/template's URL filter and normaliser, names and
 * values through its attribute escaper (html/template url.go, html.go; the
 * same in Go 1.19 and the Go 1.26 Hydra v26.2.0 builds with).
 */
export const FOSITE_FORM_POST_CONTENT_TYPE = "text/html;charset=UTF-8";

// html/template html.go htmlReplacementTable (attrEscaper).
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "&": "&amp;",
  "'": "&#39;",
  "+": "&#43;",
  "<": "&lt;",
  ">": "&gt;",
};

function escapeAttribute(value: string): string {
  return value.replace(/[\0"&'+<>]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char);
}

// html/template url.go isSafeURL: a scheme other than http, https or mailto is replaced.
function isSafeUrl(value: string): boolean {
  const colon = value.indexOf(":");
  if (colon < 0) return true;
  const scheme = value.slice(0, colon);
  return scheme.includes("/") || ["http", "https", "mailto"].includes(scheme.toLowerCase());
}

const KEPT_IN_URL = /[!#$&*+,/:;=?@[\]\-._~a-zA-Z0-9]/;
const HEX = /^[0-9a-fA-F]$/;

// html/template url.go processURLOnto with norm=true, byte by byte over the UTF-8 encoding.
function normalizeUrl(value: string): string {
  const bytes = Buffer.from(value, "utf8");
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const char = String.fromCharCode(byte);
    const validEscape =
      char === "%" &&
      i + 2 < bytes.length &&
      HEX.test(String.fromCharCode(bytes[i + 1] as number)) &&
      HEX.test(String.fromCharCode(bytes[i + 2] as number));
    if ((byte < 0x80 && KEPT_IN_URL.test(char)) || validEscape) out += char;
    else out += `%${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

export function renderFositeFormPost(action: string, parameters: URLSearchParams): string {
  const url = isSafeUrl(action) ? normalizeUrl(action) : "#ZgotmplZ";
  // text/template ranges over a map in sorted key order.
  const keys = [...new Set(parameters.keys())].sort();
  const inputs = keys
    .map((key) => {
      const fields = parameters
        .getAll(key)
        .map((value) => `\n\t\t      <input type="hidden" name="${escapeAttribute(key)}" value="${escapeAttribute(value)}"/>\n            `)
        .join("");
      return `\n            ${fields}\n         `;
    })
    .join("");
  return `<html>
   <head>
      <title>Submit This Form</title>
   </head>
   <body onload="javascript:document.forms[0].submit()">
      <form method="post" action="${escapeAttribute(url)}">
         ${inputs}
      </form>
   </body>
</html>`;
}
