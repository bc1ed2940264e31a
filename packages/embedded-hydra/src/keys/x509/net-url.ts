import { goQuoteBytes as goQuote } from "@olympus/server-kit/go-json";

/**
 * net/url's Parse as far as its verdict and error text go (url.go Parse,
 * parse, getScheme, parseAuthority, parseHost, unescape), for go-jose's
 * `x5u` check and x509's SAN URIs. Go works on bytes: the input is taken
 * as its UTF-8 bytes. A bracketed host is taken as Go 1.26.0 takes it
 * (port and escapes checked, the address inside not validated; later
 * 1.26 patch releases check more there).
 */

export type GoUrlResult = { ok: true; host: string } | { ok: false; error: string };

type Mode = "path" | "host" | "zone" | "userPassword" | "fragment";

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);
const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const bytesOf = (text: string) => Buffer.from(text, "latin1");

/** shouldEscape for the host and zone modes: what a host may hold unescaped. */
function hostShouldEscape(c: number): boolean {
  if (isAlnum(c)) return false;
  return !"!$&'()*+,;=:[]<>\"-_.~".includes(String.fromCharCode(c));
}

/** unescape's checks: the error text, or the unescaped text (latin1, one char a byte). */
function unescape(s: string, mode: Mode): { value: string } | { error: string } {
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
        return { error: `invalid URL escape ${goQuote(bytesOf(s.slice(i, i + 3)))}` };
      }
      const escape = s.slice(i, i + 3);
      // RFC 3986: a host %-encodes only non-ASCII bytes (RFC 6874's %25 aside).
      if (mode === "host" && hexValue(s.charCodeAt(i + 1)) < 8 && escape !== "%25")
        return { error: `invalid URL escape ${goQuote(bytesOf(escape))}` };
      if (mode === "zone") {
        const value = (hexValue(s.charCodeAt(i + 1)) << 4) | hexValue(s.charCodeAt(i + 2));
        if (escape !== "%25" && value !== 0x20 && hostShouldEscape(value))
          return { error: `invalid URL escape ${goQuote(bytesOf(escape))}` };
      }
      i += 3;
      continue;
    }
    if ((mode === "host" || mode === "zone") && c < 0x80 && hostShouldEscape(c)) {
      return { error: `invalid character ${goQuote(bytesOf(s[i] ?? ""))} in host name` };
    }
    i++;
  }
  return { value: s.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))) };
}

/** validOptionalPort: "" or ":" and digits. */
const validOptionalPort = (port: string) => port === "" || /^:[0-9]*$/.test(port);

function parseHost(host: string): { value: string } | { error: string } {
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return { error: `invalid port ${goQuote(bytesOf(colonPort))} after host` };
    // RFC 6874: %25 starts the zone, which may escape more than the host.
    const zone = host.slice(0, close).indexOf("%25");
    if (zone >= 0) {
      const parts = [unescape(host.slice(0, zone), "host"), unescape(host.slice(zone, close), "zone"), unescape(host.slice(close), "host")];
      const failed = parts.find((part) => "error" in part);
      if (failed) return failed;
      return { value: parts.map((part) => ("value" in part ? part.value : "")).join("") };
    }
  } else {
    const colon = host.lastIndexOf(":");
    if (colon !== -1 && !validOptionalPort(host.slice(colon)))
      return { error: `invalid port ${goQuote(bytesOf(host.slice(colon)))} after host` };
  }
  return unescape(host, "host");
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseAuthority(authority: string): { value: string } | { error: string } {
  const at = authority.lastIndexOf("@");
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if ("error" in host || at < 0) return host;
  const userinfo = authority.slice(0, at);
  if (!USERINFO.test(userinfo)) return { error: "net/url: invalid userinfo" };
  const colon = userinfo.indexOf(":");
  const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  for (const part of parts) {
    const unescaped = unescape(part, "userPassword");
    if ("error" in unescaped) return unescaped;
  }
  return host;
}

/** getScheme: the scheme and the rest, or Go's error. */
function splitScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return { scheme: "", rest: raw };
      continue;
    }
    if (c === 0x3a) return i === 0 ? { error: "missing protocol scheme" } : { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

/** parse(rawURL, viaRequest=false): the host, or the error text without url.Error's wrapping. */
function parseWithoutFragment(raw: string): { value: string } | { error: string } {
  if (bytesOf(raw).some((c) => c < 0x20 || c === 0x7f)) return { error: "net/url: invalid control character in URL" };
  if (raw === "*") return { value: "" };
  const split = splitScheme(raw);
  if ("error" in split) return split;
  let rest = split.rest;
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) rest = rest.slice(0, -1);
  else if (rest.includes("?")) rest = rest.slice(0, rest.indexOf("?"));
  if (!rest.startsWith("/")) {
    // A rootless path after a scheme is opaque; without one, a colon in the first segment would read as a scheme.
    if (split.scheme !== "") return { value: "" };
    if ((rest.split("/")[0] ?? "").includes(":")) return { error: "first path segment in URL cannot contain colon" };
  }
  let host = "";
  if ((split.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const parsed = parseAuthority(authority);
    if ("error" in parsed) return parsed;
    host = parsed.value;
  }
  const path = unescape(rest, "path");
  return "error" in path ? path : { value: host };
}

/** url.Parse: the URL's Host (unescaped), or url.Error's text (`parse "…": …`). */
export function goUrlParse(text: string): GoUrlResult {
  const raw = Buffer.from(text, "utf8").toString("latin1");
  const hash = raw.indexOf("#");
  const beforeFragment = hash < 0 ? raw : raw.slice(0, hash);
  const parsed = parseWithoutFragment(beforeFragment);
  if ("error" in parsed) return { ok: false, error: `parse ${goQuote(bytesOf(beforeFragment))}: ${parsed.error}` };
  if (hash >= 0) {
    const fragment = unescape(raw.slice(hash + 1), "fragment");
    if ("error" in fragment) return { ok: false, error: `parse ${goQuote(bytesOf(raw))}: ${fragment.error}` };
  }
  return { ok: true, host: parsed.value };
}
