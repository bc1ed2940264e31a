import { goUrlParse } from "@olympus/server-kit/go-url";

/**
 * ory/jsonschema formats.go checks that matter for identity schemas,
 * reproduced from their Go: `hostname`, `email` (length limits, the
 * hostname rule for the domain, net/mail's addr-spec), `date`, `time`,
 * `date-time` (time.Parse layouts), `ipv4` (strconv.Atoi per group), `ipv6`
 * (net.ParseIP), `uri` and `uri-reference` (net/url Parse, server-kit go-url).
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

/** formats.go isURI: url.Parse succeeds and the URL is absolute (has a scheme). */
export function isUri(text: string): boolean {
  const parsed = goUrlParse(text);
  return parsed.ok && parsed.url.scheme !== "";
}

/** formats.go isURIReference: url.Parse succeeds. */
export const isUriReference = (text: string): boolean => goUrlParse(text).ok;
