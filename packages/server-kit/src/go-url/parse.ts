import { goQuoteBytes } from "../go-strconv/quote";
import { goBytes, goEscape, goUnescape, shouldEscape, type GoUnescaped } from "./escape";

/**
 * Go's url.Parse and url.ParseRequestURI (net/url url.go Parse,
 * ParseRequestURI, parse, getScheme, parseAuthority, parseHost,
 * validUserinfo, setPath, setFragment) and the URL they make: both run
 * Go's one parse(), ParseRequestURI with viaRequest set.
 * Every field is a byte string (escape.ts). Hosts are read as Go 1.26.1
 * reads them (Kratos and Hydra v26.2.0 are `go 1.26` modules released after
 * it): strict colons (urlstrictcolons=1, the default of a `go 1.26` module;
 * Go 1.27 keeps them for http and https only), and an IP literal only at
 * the start of the host (CVE-2026-25679). The address inside brackets is
 * not validated here, where Go checks it with netip.ParseAddr (see
 * parse-request-uri.test.ts).
 */

export interface GoUserinfo {
  username: string;
  /** Undefined when the userinfo has no `:`. */
  password: string | undefined;
}

/** url.URL, its fields as Go sets them. */
export interface GoUrl {
  scheme: string;
  opaque: string;
  user: GoUserinfo | undefined;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

/** url.Parse's answer: the URL, or url.Error's text (`parse "…": …`). */
export type GoUrlParsed = { ok: true; url: GoUrl } | { ok: false; error: string };

type Step<T> = { value: T } | { error: string };

const quote = (bytes: string) => goQuoteBytes(Buffer.from(bytes, "latin1"));

/** validOptionalPort: "" or ":" and digits. */
const validOptionalPort = (port: string) => port === "" || /^:[0-9]*$/.test(port);

function parseHost(host: string): GoUnescaped {
  // `a[::1]` read as `a` then a literal was CVE-2026-25679.
  if (host.lastIndexOf("[") > 0) return { error: "invalid IP-literal" };
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return { error: `invalid port ${quote(colonPort)} after host` };
    // RFC 6874: %25 starts the zone, which may escape more than the host.
    const zone = host.slice(0, close).indexOf("%25");
    if (zone >= 0) {
      const parts = [
        goUnescape(host.slice(0, zone), "host"),
        goUnescape(host.slice(zone, close), "zone"),
        goUnescape(host.slice(close), "host"),
      ];
      let value = "";
      for (const part of parts) {
        if ("error" in part) return part;
        value += part.value;
      }
      return { value };
    }
  } else {
    // Strict colons: the first colon starts the port, so `::1` or `h:1:2` is no host.
    const colon = host.indexOf(":");
    if (colon !== -1 && !validOptionalPort(host.slice(colon))) return { error: `invalid port ${quote(host.slice(colon))} after host` };
  }
  return goUnescape(host, "host");
}

/** validUserinfo: RFC 3986's userinfo bytes, plus `@` (the last `@` ends it). */
const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseAuthority(authority: string): Step<{ user: GoUserinfo | undefined; host: string }> {
  const at = authority.lastIndexOf("@");
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if ("error" in host) return host;
  if (at < 0) return { value: { user: undefined, host: host.value } };
  const userinfo = authority.slice(0, at);
  if (!USERINFO.test(userinfo)) return { error: "net/url: invalid userinfo" };
  const colon = userinfo.indexOf(":");
  const username = goUnescape(colon < 0 ? userinfo : userinfo.slice(0, colon), "userPassword");
  if ("error" in username) return username;
  if (colon < 0) return { value: { user: { username: username.value, password: undefined }, host: host.value } };
  const password = goUnescape(userinfo.slice(colon + 1), "userPassword");
  if ("error" in password) return password;
  return { value: { user: { username: username.value, password: password.value }, host: host.value } };
}

/** getScheme: the scheme and the rest, or Go's error. */
function splitScheme(raw: string): Step<{ scheme: string; rest: string }> {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) break;
      continue;
    }
    if (c === 0x3a) return i === 0 ? { error: "missing protocol scheme" } : { value: { scheme: raw.slice(0, i), rest: raw.slice(i + 1) } };
    break;
  }
  return { value: { scheme: "", rest: raw } };
}

/** setPath / setFragment: the decoded part, and the raw text kept only where escaping the decoded part would not give it back. */
/** Bytes that neither unescape nor shouldEscape changes in a path or a fragment (no `%`; `?` is escaped in a path). */
const UNCHANGED_PART = /^[A-Za-z0-9\-._~$&+,/:;=@]*$/;

function setPart(raw: string, mode: "path" | "fragment"): Step<{ decoded: string; raw: string }> {
  // The common case without building strings a byte at a time: a long request target must stay cheap.
  if (UNCHANGED_PART.test(raw)) return { value: { decoded: raw, raw: "" } };
  const decoded = goUnescape(raw, mode);
  if ("error" in decoded) return decoded;
  return { value: { decoded: decoded.value, raw: goEscape(decoded.value, mode) === raw ? "" : raw } };
}

/** stringContainsCTLByte: a byte below 0x20, or 0x7f. */
function hasControlByte(bytes: string): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * parse(rawURL, viaRequest): the URL, or the error without url.Error's
 * wrapping. Via a request (ParseRequestURI) only an absolute URI or an
 * absolute path is a URI, and `//` without a scheme starts a path, not a host.
 */
function parseWithoutFragment(raw: string, viaRequest: boolean): Step<GoUrl> {
  if (hasControlByte(raw)) return { error: "net/url: invalid control character in URL" };
  if (raw === "" && viaRequest) return { error: "empty url" };
  const url: GoUrl = {
    scheme: "",
    opaque: "",
    user: undefined,
    host: "",
    path: "",
    rawPath: "",
    omitHost: false,
    forceQuery: false,
    rawQuery: "",
    fragment: "",
    rawFragment: "",
  };
  if (raw === "*") return { value: { ...url, path: "*" } };
  const split = splitScheme(raw);
  if ("error" in split) return split;
  url.scheme = split.value.scheme.toLowerCase();
  let rest = split.value.rest;
  const question = rest.indexOf("?");
  if (question >= 0 && question === rest.length - 1) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else if (question >= 0) {
    url.rawQuery = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  if (!rest.startsWith("/")) {
    // RFC 3986: a rootless path after a scheme is opaque.
    if (url.scheme !== "") return { value: { ...url, opaque: rest } };
    if (viaRequest) return { error: "invalid URI for request" };
    // Without a scheme, a colon in the first segment would read as one (Go issue 16822).
    if ((rest.split("/", 1)[0] ?? "").includes(":")) return { error: "first path segment in URL cannot contain colon" };
  }
  if ((url.scheme !== "" || (!viaRequest && !rest.startsWith("///"))) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = parseAuthority(slash < 0 ? rest.slice(2) : rest.slice(2, slash));
    if ("error" in authority) return authority;
    url.user = authority.value.user;
    url.host = authority.value.host;
    rest = slash < 0 ? "" : rest.slice(slash);
  } else if (url.scheme !== "" && rest.startsWith("/")) {
    url.omitHost = true;
  }
  const path = setPart(rest, "path");
  if ("error" in path) return path;
  return { value: { ...url, path: path.value.decoded, rawPath: path.value.raw } };
}

/** url.Parse of a byte string. */
export function goParseUrlBytes(raw: string): GoUrlParsed {
  const hash = raw.indexOf("#");
  const beforeFragment = hash < 0 ? raw : raw.slice(0, hash);
  const parsed = parseWithoutFragment(beforeFragment, false);
  if ("error" in parsed) return { ok: false, error: `parse ${quote(beforeFragment)}: ${parsed.error}` };
  if (hash < 0 || hash === raw.length - 1) return { ok: true, url: parsed.value };
  const fragment = setPart(raw.slice(hash + 1), "fragment");
  if ("error" in fragment) return { ok: false, error: `parse ${quote(raw)}: ${fragment.error}` };
  return { ok: true, url: { ...parsed.value, fragment: fragment.value.decoded, rawFragment: fragment.value.raw } };
}

/** url.Parse of text (taken as its UTF-8 bytes). */
export const goUrlParse = (text: string): GoUrlParsed => goParseUrlBytes(goBytes(text));

/**
 * url.ParseRequestURI of a byte string: the text as an HTTP request's
 * target, so a `#` is part of the path or query (no fragment is split off).
 */
export function goParseRequestUriBytes(raw: string): GoUrlParsed {
  const parsed = parseWithoutFragment(raw, true);
  return "error" in parsed ? { ok: false, error: `parse ${quote(raw)}: ${parsed.error}` } : { ok: true, url: parsed.value };
}

/** url.ParseRequestURI of text (taken as its UTF-8 bytes). */
export const goUrlParseRequestUri = (text: string): GoUrlParsed => goParseRequestUriBytes(goBytes(text));

/** validEncoded: the raw text holds no byte its escaping would change, sub-delims, `:`, `@`, `[`, `]` and `%` aside. */
function validEncoded(raw: string, mode: "path" | "fragment"): boolean {
  for (let i = 0; i < raw.length; i++) {
    if ("!$&'()*+,;=:@[]%".includes(raw[i] ?? "")) continue;
    if (shouldEscape(raw.charCodeAt(i), mode)) return false;
  }
  return true;
}

/** EscapedPath / EscapedFragment: the raw text where it is a valid escaping of the decoded part, else the decoded part escaped. */
function escapedPart(decoded: string, raw: string, mode: "path" | "fragment"): string {
  if (raw !== "" && validEncoded(raw, mode)) {
    const unescaped = goUnescape(raw, mode);
    if (!("error" in unescaped) && unescaped.value === decoded) return raw;
  }
  // EscapedPath leaves the path "*" unescaped (Go issue 11202).
  if (mode === "path" && decoded === "*") return "*";
  return goEscape(decoded, mode);
}

/** URL.EscapedPath. */
export const goEscapedPath = (url: GoUrl): string => escapedPart(url.path, url.rawPath, "path");

/** URL.EscapedFragment. */
export const goEscapedFragment = (url: GoUrl): string => escapedPart(url.fragment, url.rawFragment, "fragment");
