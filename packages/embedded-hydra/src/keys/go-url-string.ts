import { goUrlParse } from "./x509/net-url";

/**
 * Go's url.Parse(x).String() (net/url url.go: parse, parseAuthority,
 * setPath, setFragment, EscapedPath, EscapedFragment, Userinfo.String,
 * URL.String): what go-jose v3.0.4 answers as a key's `x5u`
 * (JSONWebKey.UnmarshalJSON keeps the parsed *url.URL, MarshalJSON writes
 * its String()). The scheme is lower-cased, the host re-escaped (bytes
 * outside its allowed set as %XX), user name and password re-escaped, the
 * path and fragment answered as sent when that is a valid escaping of what
 * they decode to and re-escaped otherwise; query and opaque part are kept
 * as sent. Go works on bytes, so the text is handled as its UTF-8 bytes
 * (one latin1 char a byte).
 */

type Mode = "path" | "host" | "userPassword" | "fragment";

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** shouldEscape for the modes String uses. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const char = String.fromCharCode(c);
  if (mode === "host" && "!$&'()*+,;=:[]<>\"".includes(char)) return false;
  if ("-_.~".includes(char)) return false;
  if ("$&+,/:;=?@".includes(char)) {
    if (mode === "path") return char === "?";
    if (mode === "userPassword") return "@/?:".includes(char);
    if (mode === "fragment") return false;
  }
  if (mode === "fragment" && "!()*".includes(char)) return false;
  return true;
}

function escape(s: string, mode: Mode): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += shouldEscape(c, mode) ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : s[i];
  }
  return out;
}

/** unescape of text url.Parse accepted (its escapes are valid): %XX becomes the byte. */
const unescape = (s: string) => s.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** validEncoded: the raw text holds no byte its escaping would change, sub-delims, ':', '@', '[', ']' and '%' aside. */
function validEncoded(s: string, mode: Mode): boolean {
  for (let i = 0; i < s.length; i++) {
    if ("!$&'()*+,;=:@[]%".includes(s[i] ?? "")) continue;
    if (shouldEscape(s.charCodeAt(i), mode)) return false;
  }
  return true;
}

/** EscapedPath / EscapedFragment of a part set from `raw` (setPath / setFragment keep raw only when escape differs). */
function escapedPart(raw: string, mode: "path" | "fragment"): string {
  const decoded = unescape(raw);
  const escaped = escape(decoded, mode);
  if (raw !== escaped && validEncoded(raw, mode)) return raw;
  // EscapedPath leaves the path "*" unescaped (Go issue 11202).
  return mode === "path" && decoded === "*" ? "*" : escaped;
}

function userinfoString(userinfo: string): string {
  const colon = userinfo.indexOf(":");
  if (colon < 0) return escape(unescape(userinfo), "userPassword");
  const [name, password] = [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  return `${escape(unescape(name), "userPassword")}:${escape(unescape(password), "userPassword")}`;
}

/** URL.String of the URL parse(raw, false) makes of text before the fragment (with `rawQuery` as its RawQuery, if given). */
function withoutFragment(raw: string, rawQuery?: string): string {
  if (raw === "*") return "*";
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(raw)?.[0].slice(0, -1).toLowerCase() ?? "";
  let rest = scheme === "" ? raw : raw.slice(scheme.length + 1);
  let query: string | undefined;
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) {
    query = "";
    rest = rest.slice(0, -1);
  } else if (rest.includes("?")) {
    query = rest.slice(rest.indexOf("?") + 1);
    rest = rest.slice(0, rest.indexOf("?"));
  }
  if (rawQuery !== undefined) {
    // A URL ending in a lone "?" keeps ForceQuery, and with it the "?".
    const forceQuery = query === "";
    query = rawQuery !== "" || forceQuery ? rawQuery : undefined;
  }
  const tail = query === undefined ? "" : `?${query}`;
  const head = scheme === "" ? "" : `${scheme}:`;
  // A rootless path after a scheme is the opaque part, written as sent.
  if (scheme !== "" && !rest.startsWith("/")) return `${head}${rest}${tail}`;

  let user: string | undefined;
  let host = "";
  let omitHost = false;
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const at = authority.lastIndexOf("@");
    if (at >= 0) user = userinfoString(authority.slice(0, at));
    host = unescape(at < 0 ? authority : authority.slice(at + 1));
  } else if (scheme !== "" && rest.startsWith("/")) {
    omitHost = true;
  }

  let out = head;
  if ((scheme !== "" || host !== "" || user !== undefined) && !(omitHost && host === "" && user === undefined)) {
    if (host !== "" || rest !== "" || user !== undefined) out += "//";
    if (user !== undefined) out += `${user}@`;
    out += escape(host, "host");
  }
  const path = rest === "" ? "" : escapedPart(rest, "path");
  if (path !== "" && !path.startsWith("/") && host !== "") out += "/";
  // RFC 3986 §4.2: a relative path whose first segment holds a colon is written after "./".
  if (out === "" && (path.split("/")[0] ?? "").includes(":")) out += "./";
  return `${out}${path}${tail}`;
}

/** url.Parse(text).String(), or undefined when url.Parse refuses the text. */
export function goUrlString(text: string): string | undefined {
  return stringOf(text);
}

/**
 * The String() of url.Parse(text) after its RawQuery was set to what
 * `rawQuery` makes of the one it had ("" when none); undefined when
 * url.Parse refuses the text. Queries are taken and given as text (not bytes).
 */
export function goUrlStringWithRawQuery(text: string, rawQuery: (current: string) => string): string | undefined {
  const beforeFragment = text.split("#", 1)[0] ?? "";
  const question = beforeFragment.indexOf("?");
  const current = question < 0 ? "" : beforeFragment.slice(question + 1);
  return stringOf(text, Buffer.from(rawQuery(current), "utf8").toString("latin1"));
}

function stringOf(text: string, rawQuery?: string): string | undefined {
  if (!goUrlParse(text).ok) return undefined;
  const raw = Buffer.from(text, "utf8").toString("latin1");
  const hash = raw.indexOf("#");
  let out = withoutFragment(hash < 0 ? raw : raw.slice(0, hash), rawQuery);
  const fragment = hash < 0 ? "" : raw.slice(hash + 1);
  if (fragment !== "" && unescape(fragment) !== "") out += `#${escapedPart(fragment, "fragment")}`;
  return Buffer.from(out, "latin1").toString("utf8");
}
