import { goQuoteBytes } from "../go-strconv/quote";

/**
 * Go's net/url escaping (url.go shouldEscape, escape, unescape,
 * QueryEscape, PathEscape, QueryUnescape), as Go 1.26 has it.
 *
 * Go strings are bytes. Here they are "byte strings": one JavaScript char
 * per byte (latin1), so a byte that is not UTF-8 survives an unescape and
 * an escape unchanged, and sorting compares bytes as Go does. `goBytes`
 * and `utf8Text` convert from and to ordinary text.
 */

/** The part of a URL a byte is escaped or unescaped for (url.go's encoding modes). */
export type GoEncoding = "path" | "pathSegment" | "host" | "zone" | "userPassword" | "queryComponent" | "fragment";

/** UTF-8 text as a byte string. */
export const goBytes = (text: string): string => Buffer.from(text, "utf8").toString("latin1");

/** A byte string as text: bytes that are not UTF-8 become U+FFFD, as in any answer Go writes as JSON. */
export const utf8Text = (bytes: string): string => Buffer.from(bytes, "latin1").toString("utf8");

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const unhex = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

/** Bytes a host (or zone) may hold as they are: RFC 3986's sub-delims, plus `:[]<>"` that Go's host form needs. */
const HOST_ALLOWED = new Set([..."!$&'()*+,;=:[]<>\""].map((ch) => ch.charCodeAt(0)));
const UNRESERVED_MARKS = new Set([..."-_.~"].map((ch) => ch.charCodeAt(0)));
const RESERVED = new Set([..."$&+,/:;=?@"].map((ch) => ch.charCodeAt(0)));
const FRAGMENT_SUB_DELIMS = new Set([..."!()*"].map((ch) => ch.charCodeAt(0)));

/** url.go shouldEscape: whether byte `c` is written as %XX in the given part. */
export function shouldEscape(c: number, mode: GoEncoding): boolean {
  if (isAlnum(c)) return false;
  if ((mode === "host" || mode === "zone") && HOST_ALLOWED.has(c)) return false;
  if (UNRESERVED_MARKS.has(c)) return false;
  if (RESERVED.has(c)) {
    switch (mode) {
      case "path":
        return c === 0x3f; // ?
      case "pathSegment":
        return c === 0x2f || c === 0x3b || c === 0x2c || c === 0x3f; // / ; , ?
      case "userPassword":
        return c === 0x40 || c === 0x2f || c === 0x3f || c === 0x3a; // @ / ? :
      case "queryComponent":
        return true;
      case "fragment":
        return false;
      default:
        break;
    }
  }
  // Go escapes the other sub-delims outside the fragment, and `'` everywhere (issue 19917).
  return !(mode === "fragment" && FRAGMENT_SUB_DELIMS.has(c));
}

/** url.go escape: each byte shouldEscape names as %XX (upper-case hex); in a query component a space is `+`. */
export function goEscape(bytes: string, mode: GoEncoding): string {
  let start = 0;
  while (start < bytes.length && !needsChange(bytes.charCodeAt(start), mode)) start++;
  if (start === bytes.length) return bytes;
  let out = bytes.slice(0, start);
  for (let i = start; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c === 0x20 && mode === "queryComponent") out += "+";
    else if (shouldEscape(c, mode)) out += `%${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += bytes[i];
  }
  return out;
}

/** Whether escape writes this byte otherwise than as it is. */
const needsChange = (c: number, mode: GoEncoding) => (c === 0x20 && mode === "queryComponent") || shouldEscape(c, mode);

/** url.QueryEscape of a byte string. */
export const goQueryEscape = (bytes: string): string => goEscape(bytes, "queryComponent");

/** url.PathEscape of a byte string: a path segment, `/` escaped too. */
export const goPathEscape = (bytes: string): string => goEscape(bytes, "pathSegment");

/** unescape's answer: the unescaped byte string, or Go's error text (EscapeError or InvalidHostError). */
export type GoUnescaped = { value: string } | { error: string };

const escapeError = (bytes: string) => ({ error: `invalid URL escape ${goQuoteBytes(Buffer.from(bytes, "latin1"))}` });

/**
 * url.go unescape: every `%` must start two hex digits (else EscapeError
 * quoting at most three bytes from it); in a query component `+` is a
 * space. A host %-encodes only non-ASCII bytes (RFC 6874's `%25` aside) and
 * holds no ASCII byte shouldEscape refuses there; a zone may escape only
 * bytes it could hold as they are (or a space).
 */
export function goUnescape(bytes: string, mode: GoEncoding): GoUnescaped {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= bytes.length || !isHex(bytes.charCodeAt(i + 1)) || !isHex(bytes.charCodeAt(i + 2))) {
        return escapeError(bytes.slice(i, i + 3));
      }
      const escape = bytes.slice(i, i + 3);
      const value = (unhex(bytes.charCodeAt(i + 1)) << 4) | unhex(bytes.charCodeAt(i + 2));
      if (mode === "host" && value < 0x80 && escape !== "%25") return escapeError(escape);
      if (mode === "zone" && escape !== "%25" && value !== 0x20 && shouldEscape(value, "host")) return escapeError(escape);
      out += String.fromCharCode(value);
      i += 2;
    } else if ((mode === "host" || mode === "zone") && c < 0x80 && shouldEscape(c, mode)) {
      return { error: `invalid character ${goQuoteBytes(Buffer.from([c]))} in host name` };
    } else out += c === 0x2b && mode === "queryComponent" ? " " : bytes[i];
  }
  return { value: out };
}

/** url.QueryUnescape of a byte string. */
export const goQueryUnescape = (bytes: string): GoUnescaped => goUnescape(bytes, "queryComponent");

/** url.PathUnescape of a byte string: `+` stays. */
export const goPathUnescape = (bytes: string): GoUnescaped => goUnescape(bytes, "pathSegment");
