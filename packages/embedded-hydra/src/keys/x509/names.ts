import { isIP } from "node:net";
import { contextTag, DerReader, TAG } from "./der";
import { goQuoteBytes as goQuote } from "@olympus/server-kit/go-strconv";
import { goParseUrlBytes } from "@olympus/server-kit/go-url";
import { isIa5 } from "./name";

/**
 * The general names processExtensions reads (crypto/x509/parser.go):
 * parseSANExtension for subjectAltName and parseNameConstraintsExtension,
 * with domainNameValid (parser.go) and parseRFC2821Mailbox (verify.go).
 */

const EMAIL = 1;
const DNS = 2;
const URI = 6;
const IP = 7;

/** isIA5String's error, which quotes the whole value. */
const ia5Error = (value: Buffer) => `x509: ${goQuote(value)} cannot be encoded as an IA5String`;

const printableAscii = (text: string) => Buffer.from(text, "latin1").every((c) => c >= 33 && c <= 126);

/** domainNameValid: no trailing dot, no empty label, every byte printable ASCII; "" passes. */
function domainNameValid(text: string, constraint: boolean): boolean {
  if (text.length === 0) return true;
  if (text.endsWith(".")) return false;
  const name = constraint && text.startsWith(".") ? text.slice(1) : text;
  return printableAscii(name) && name.split(".").every((label) => label.length > 0);
}

const ATEXT = /[0-9a-zA-Z!#$%&'*+\-/=?^_`{|}~.]/;

/** parseRFC2821Mailbox's verdict: a quoted string or dot-atoms, '@', then a domain (domainToReverseLabels). */
function validMailbox(text: string): boolean {
  if (text.length === 0) return false;
  let at = 0;
  if (text[0] === '"') {
    at = 1;
    for (;;) {
      if (at >= text.length) return false;
      const c = text.charCodeAt(at++);
      if (c === 0x22) break;
      if (c === 0x5c) {
        if (at >= text.length) return false;
        const next = text.charCodeAt(at++);
        if (!(next === 11 || next === 12 || (next >= 1 && next <= 9) || (next >= 14 && next <= 127))) return false;
        continue;
      }
      const qtext =
        c === 11 ||
        c === 12 ||
        c === 32 ||
        c === 33 ||
        c === 127 ||
        (c >= 1 && c <= 8) ||
        (c >= 14 && c <= 31) ||
        (c >= 35 && c <= 91) ||
        (c >= 93 && c <= 126);
      if (!qtext) return false;
    }
  } else {
    let local = "";
    while (at < text.length) {
      const c = text[at] ?? "";
      if (c === "\\") {
        at++;
        if (at >= text.length) return false;
        // Go falls through to the atext case's body: the escaped byte is taken, whatever it is.
        local += text[at];
        at++;
        continue;
      }
      if (!ATEXT.test(c)) break;
      local += c;
      at++;
    }
    if (local.length === 0 || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  }
  if (text[at] !== "@") return false;
  const domain = text.slice(at + 1);
  // domainToReverseLabels: "" passes; otherwise no empty label and printable ASCII only.
  return domain === "" || (printableAscii(domain) && domain.split(".").every((label) => label.length > 0));
}

/** An IPv4-mapped IPv6 address (net.IP.To4 of 16 bytes is not nil). */
const isIpv4Mapped = (ip: Buffer) => ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;

/** parseSANExtension (forEachSAN): the error text, or undefined. */
export function subjectAltNameError(value: Buffer): string | undefined {
  const names = new DerReader(value).read(TAG.SEQUENCE);
  if (!names) return "x509: invalid subject alternative names";
  const der = new DerReader(names);
  while (!der.empty()) {
    const name = der.readAny();
    if (!name) return "x509: invalid subject alternative name";
    const data = name.contents;
    switch (name.tag ^ 0x80) {
      case EMAIL:
        if (!isIa5(data)) return "x509: SAN rfc822Name is malformed";
        break;
      case DNS:
        if (!isIa5(data)) return "x509: SAN dNSName is malformed";
        break;
      case URI: {
        if (!isIa5(data)) return "x509: SAN uniformResourceIdentifier is malformed";
        const parsed = goParseUrlBytes(data.toString("latin1"));
        if (!parsed.ok) return `x509: cannot parse URI ${goQuote(data)}: ${parsed.error}`;
        if (parsed.url.host.length > 0 && !domainNameValid(parsed.url.host, false))
          return `x509: cannot parse URI ${goQuote(data)}: invalid domain`;
        break;
      }
      case IP:
        if (data.length === 16 && isIpv4Mapped(data)) return "x509: SAN iPAddress contains IPv4-mapped IPv6 address";
        if (data.length !== 16 && data.length !== 4) return `x509: cannot parse IP address of length ${data.length}`;
        break;
      default:
    }
  }
  return undefined;
}

/** isValidIPMask: ones, then zeros. */
function validMask(mask: Buffer): boolean {
  let seenZero = false;
  for (const b of mask) {
    if (seenZero) {
      if (b !== 0) return false;
      continue;
    }
    if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) seenZero = true;
    else if (b !== 0xff) return false;
  }
  return true;
}

/** net.ParseIP's verdict: dotted IPv4 without leading zeros, or IPv6 without a zone. */
const parsesAsIp = (text: string) => !text.includes("%") && isIP(text) !== 0;

function subtreeError(subtrees: Buffer): string | undefined {
  const der = new DerReader(subtrees);
  while (!der.empty()) {
    const sequence = der.read(TAG.SEQUENCE);
    const value = sequence ? new DerReader(sequence).readAny() : undefined;
    if (!value) return "x509: invalid NameConstraints extension";
    const data = value.contents;
    const text = data.toString("latin1");
    switch (value.tag) {
      case contextTag(DNS):
        if (!isIa5(data)) return `x509: invalid constraint value: ${ia5Error(data)}`;
        if (!domainNameValid(text, true)) return `x509: failed to parse dnsName constraint ${goQuote(data)}`;
        break;
      case contextTag(IP): {
        if (data.length !== 8 && data.length !== 32) return `x509: IP constraint contained value of length ${data.length}`;
        const half = data.length / 2;
        const mask = data.subarray(half);
        if (!validMask(mask)) return `x509: IP constraint contained invalid mask ${mask.toString("hex")}`;
        if (half === 16 && isIpv4Mapped(data.subarray(0, 16))) return "x509: IP constraint contained IPv4-mapped IPv6 address";
        break;
      }
      case contextTag(EMAIL):
        if (!isIa5(data)) return `x509: invalid constraint value: ${ia5Error(data)}`;
        if (text.includes("@") ? !validMailbox(text) : !domainNameValid(text, true)) {
          return `x509: failed to parse rfc822Name constraint ${goQuote(data)}`;
        }
        break;
      case contextTag(URI):
        if (!isIa5(data)) return `x509: invalid constraint value: ${ia5Error(data)}`;
        if (parsesAsIp(text)) return `x509: failed to parse URI constraint ${goQuote(data)}: cannot be IP address`;
        if (!domainNameValid(text, true)) return `x509: failed to parse URI constraint ${goQuote(data)}`;
        break;
      default:
    }
  }
  return undefined;
}

/** parseNameConstraintsExtension. */
export function nameConstraintsError(value: Buffer): string | undefined {
  const outer = new DerReader(value);
  const top = outer.read(TAG.SEQUENCE);
  const inner = new DerReader(top ?? Buffer.alloc(0));
  const permitted = top && outer.empty() ? inner.readOptional(contextTag(0, true)) : undefined;
  const excluded = permitted ? inner.readOptional(contextTag(1, true)) : undefined;
  if (!permitted || !excluded || !inner.empty()) return "x509: invalid NameConstraints extension";
  if (!permitted.present && !excluded.present) return "x509: empty name constraints extension";
  if ((permitted.present && permitted.contents.length === 0) || (excluded.present && excluded.contents.length === 0)) {
    return "x509: empty name constraints subtree sequence";
  }
  return subtreeError(permitted.contents) ?? subtreeError(excluded.contents);
}
