/**
 * ory/jsonschema formats.go checks that matter for identity schemas,
 * reproduced from their Go: `hostname`, `email` (length limits, the
 * hostname rule for the domain, net/mail's addr-spec), `date`, `time`,
 * `date-time` (time.Parse layouts), `ipv4` (strconv.Atoi per group), `ipv6`
 * (net.ParseIP).
 */

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

export function isHostname(text: string): boolean {
  const s = text.endsWith(".") ? text.slice(0, -1) : text;
  if (byteLength(s) > 253) return false;
  for (const label of s.split(".")) {
    if (byteLength(label) < 1 || byteLength(label) > 63) return false;
    // formats.go tests the first character of the whole name, not of each label.
    if (s.startsWith("-") || label.endsWith("-")) return false;
    if (!/^[A-Za-z0-9-]+$/.test(label)) return false;
  }
  return true;
}

/** net/mail: atext is a visible ASCII character other than the specials, or any multibyte rune. */
const isAtext = (ch: string) => (ch.codePointAt(0) ?? 0) >= 0x80 || (/^[!-~]$/.test(ch) && !/[()<>[\]:;@\\,".]/.test(ch));

/** net/mail addr-spec local part: a dot-atom (no leading, trailing or double dots) or a quoted string. */
function isLocalPart(local: string): boolean {
  if (local.startsWith('"')) {
    if (local.length < 2 || !local.endsWith('"')) return false;
    const inner = local.slice(1, -1);
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i] ?? "";
      if (ch === "\\") {
        i++;
        if (i >= inner.length) return false;
        continue;
      }
      if (ch === '"') return false;
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x20 && ch !== "\t") return false;
      if (code === 0x7f) return false;
    }
    return true;
  }
  if (local === "" || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  return [...local].every((ch) => ch === "." || isAtext(ch));
}

export function isEmail(text: string): boolean {
  if (byteLength(text) > 254) return false;
  const at = text.lastIndexOf("@");
  if (at === -1) return false;
  // mail.ParseAddress skips folding white space around the address.
  const local = text.slice(0, at).replace(/^[ \t]+/, "");
  const domain = text.slice(at + 1);
  if (byteLength(text.slice(0, at)) > 64) return false;
  if (!isHostname(domain)) return false;
  return isLocalPart(local);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** time.Parse("2006-01-02", …): month 01–12, a day that exists in that month. */
function parseDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && leap(year) ? 29 : (DAYS[month - 1] ?? 0);
  return day <= max;
}

/** time.Parse("15:04:05Z07:00", …), with the fraction Go accepts after the seconds. */
function parseTime(text: string, fractionSeparators: RegExp): boolean {
  const m = new RegExp(`^(\\d{2}):(\\d{2}):(\\d{2})(?:${fractionSeparators.source}\\d+)?(Z|([+-])(\\d{2}):(\\d{2}))$`).exec(text);
  if (!m) return false;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[4] !== "Z" && (Number(m[6]) > 23 || Number(m[7]) > 59)) return false;
  return true;
}

export const isDate = (text: string): boolean => parseDate(text);
export const isTime = (text: string): boolean => parseTime(text, /[.,]/);

/** time.Parse(time.RFC3339, …) or RFC3339Nano: an upper-case T between date and time. */
export function isDateTime(text: string): boolean {
  const t = text.indexOf("T");
  return t === 10 && parseDate(text.slice(0, t)) && parseTime(text.slice(t + 1), /[.]/);
}

/** Four groups strconv.Atoi reads (a sign and leading zeros allowed) within 0–255. */
export function isIPv4(text: string): boolean {
  const groups = text.split(".");
  return groups.length === 4 && groups.every((g) => /^[+-]?\d+$/.test(g) && Number(g) >= 0 && Number(g) <= 255);
}

/** Go's url unescape: every `%` starts two hex digits. */
const validEscapes = (text: string) => !/%(?![0-9A-Fa-f]{2})/.test(text);

/** Characters url.Parse refuses in a host (shouldEscape in encodeHost mode, ASCII only). */
const HOST_CHAR = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%\u0080-\uffff]*$/;

/** What url.Parse yields that the format checks read. */
export interface GoUrl {
  /** "" when there is none. */
  scheme: string;
  /** The path as written (Go keeps it as RawPath whenever it holds a character it would escape). */
  rawPath: string;
}

/** url.Parse, as far as it can fail; undefined when it fails. */
export function goUrlParse(raw: string): GoUrl | undefined {
  if ([...raw].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === "\u007f")) return undefined; // invalid control character in URL
  const hash = raw.indexOf("#");
  const [rest0, fragment] = hash === -1 ? [raw, ""] : [raw.slice(0, hash), raw.slice(hash + 1)];
  if (!validEscapes(fragment)) return undefined;
  let scheme = "";
  let rest = rest0;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (rest.startsWith(":")) return undefined; // missing protocol scheme
  if (schemeMatch) {
    scheme = schemeMatch[1] ?? "";
    rest = rest.slice(scheme.length + 1);
  }
  const query = rest.indexOf("?");
  if (query !== -1) rest = rest.slice(0, query);
  if (!rest.startsWith("/")) {
    if (scheme) return { scheme, rawPath: "" }; // opaque, e.g. mailto:, taken as it is
    if (rest.split("/")[0]?.includes(":")) return undefined; // first path segment cannot contain colon
  }
  if ((scheme || !rest.startsWith("///")) && rest.startsWith("//")) {
    const authorityEnd = rest.indexOf("/", 2);
    const authority = authorityEnd === -1 ? rest.slice(2) : rest.slice(2, authorityEnd);
    const path = authorityEnd === -1 ? "" : rest.slice(authorityEnd);
    const at = authority.lastIndexOf("@");
    const userinfo = at === -1 ? "" : authority.slice(0, at);
    const host = at === -1 ? authority : authority.slice(at + 1);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo) || !validEscapes(userinfo)) return undefined;
    if (host.startsWith("[")) {
      const close = host.indexOf("]");
      if (close === -1 || !/^(:\d*)?$/.test(host.slice(close + 1))) return undefined;
    } else {
      const colon = host.lastIndexOf(":");
      if (colon !== -1 && !/^\d*$/.test(host.slice(colon + 1))) return undefined;
      if (!HOST_CHAR.test(host) || !validEscapes(host)) return undefined;
    }
    if (!validEscapes(path)) return undefined;
    return { scheme, rawPath: path };
  }
  if (!validEscapes(rest)) return undefined;
  return { scheme, rawPath: rest };
}

/** formats.go isURI: url.Parse succeeds and the URL is absolute (has a scheme). */
export const isUri = (text: string): boolean => Boolean(goUrlParse(text)?.scheme);

/** formats.go isURIReference: url.Parse succeeds. */
export const isUriReference = (text: string): boolean => goUrlParse(text) !== undefined;
