/**
 * Just enough of RFC 5322/2045–2047 to show what the dev stack's couriers
 * send: headers (folded, RFC 2047 encoded words), address lists, nested
 * multipart bodies, quoted-printable and base64, any charset the runtime's
 * TextDecoder knows. A full parser (mailparser) costs the catcher more memory
 * than everything else it does; anything this one does not understand is
 * kept as an attachment and is always readable in the raw source.
 */

export interface ParsedAddress {
  address: string;
  name?: string;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  size: number;
}

export interface ParsedMessage {
  /** Every header line in order, unfolded: `[name as written, value]`. */
  headerLines: [string, string][];
  subject: string;
  from: ParsedAddress[];
  to: ParsedAddress[];
  cc: ParsedAddress[];
  date: Date | undefined;
  text: string | undefined;
  html: string | undefined;
  attachments: ParsedAttachment[];
}

interface Part {
  headers: Map<string, string>;
  headerLines: [string, string][];
  body: Buffer;
}

const CRLF_CRLF = Buffer.from("\r\n\r\n");
const LF_LF = Buffer.from("\n\n");

function splitHead(raw: Buffer): { head: string; body: Buffer } {
  const crlf = raw.indexOf(CRLF_CRLF);
  const lf = raw.indexOf(LF_LF);
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { head: raw.subarray(0, crlf).toString("latin1"), body: raw.subarray(crlf + 4) };
  if (lf >= 0) return { head: raw.subarray(0, lf).toString("latin1"), body: raw.subarray(lf + 2) };
  return { head: raw.toString("latin1"), body: Buffer.alloc(0) };
}

function parsePart(raw: Buffer): Part {
  const { head, body } = splitHead(raw);
  const headerLines: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = headerLines[headerLines.length - 1];
    if (/^[ \t]/.test(line) && last) last[1] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(":");
      if (colon > 0) headerLines.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  // Header bytes are UTF-8 when a client sends SMTPUTF8/8BITMIME headers; ASCII otherwise.
  for (const line of headerLines) line[1] = Buffer.from(line[1], "latin1").toString("utf8");
  const headers = new Map<string, string>();
  for (const [name, value] of headerLines) if (!headers.has(name.toLowerCase())) headers.set(name.toLowerCase(), value);
  return { headers, headerLines, body };
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset || "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** RFC 2047 `=?charset?Q|B?text?=`; whitespace between two encoded words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g, "$1")
    .replace(/=\?([^?*]+)(?:\*[^?]*)?\?([QqBb])\?([^?]*)\?=/g, (_match, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === "B"
          ? Buffer.from(text, "base64")
          : Buffer.from(
              text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
              "latin1",
            );
      return decodeCharset(bytes, charset);
    });
}

/** Splits at `separator` where it is not inside double quotes. */
function splitOutsideQuotes(value: string, separator: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i] ?? "";
    if (char === "\\" && quoted) {
      current += char + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      out.push(current);
      current = "";
    } else current += char;
  }
  out.push(current);
  return out;
}

/** A header value's main token and its parameters (`text/html; charset="utf-8"`). */
function parameters(value: string | undefined): { value: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (!value) return { value: "", params };
  const [main = "", ...rest] = splitOutsideQuotes(value, ";");
  for (const item of rest) {
    const eq = item.indexOf("=");
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim().toLowerCase();
    let val = item.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, "$1");
    // RFC 2231 `filename*=utf-8''na%C3%AFve.txt`
    if (key.endsWith("*")) {
      const [charset = "utf-8", , encoded = ""] = val.split("'");
      try {
        params.set(key.slice(0, -1), decodeCharset(Buffer.from(decodeURIComponent(encoded), "latin1"), charset));
      } catch {
        params.set(key.slice(0, -1), encoded);
      }
    } else if (!params.has(key)) params.set(key, decodeWords(val));
  }
  return { value: main.trim().toLowerCase(), params };
}

function decodeTransfer(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "base64":
      return Buffer.from(body.toString("latin1").replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
    case "quoted-printable": {
      const text = body.toString("latin1").replace(/=\r?\n/g, "");
      return Buffer.from(
        text.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
        "latin1",
      );
    }
    default:
      return body;
  }
}

/** Splits a multipart body at its boundary lines; the preamble and epilogue are dropped. */
function multipartBodies(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString("latin1");
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  const lines = text.split(/\r?\n/);
  let current: string[] | undefined;
  for (const line of lines) {
    if (line === delimiter || line === `${delimiter}--`) {
      if (current) parts.push(Buffer.from(current.join("\r\n"), "latin1"));
      current = line === delimiter ? [] : undefined;
      if (line !== delimiter) break;
      continue;
    }
    current?.push(line);
  }
  return parts;
}

/** Addresses of a header such as `"Jane" <jane@example.com>, bob@example.com`. */
export function parseAddresses(value: string | undefined): ParsedAddress[] {
  if (!value) return [];
  const out: ParsedAddress[] = [];
  // Split at commas outside quotes and angle brackets; drop group syntax (`team: a@b, c@d;`).
  const items: string[] = [];
  let current = "";
  let quoted = false;
  let angle = false;
  for (const char of value) {
    if (char === '"' && !angle) quoted = !quoted;
    else if (char === "<" && !quoted) angle = true;
    else if (char === ">" && !quoted) angle = false;
    if ((char === "," || char === ";") && !quoted && !angle) {
      items.push(current);
      current = "";
    } else current += char;
  }
  items.push(current);
  for (const raw of items) {
    const item = raw.replace(/^[^"<]*:/, "").trim();
    if (!item) continue;
    const angled = /^(.*)<([^>]*)>\s*$/.exec(item);
    if (angled) {
      const name = decodeWords(
        (angled[1] ?? "")
          .trim()
          .replace(/^"(.*)"$/, "$1")
          .replace(/\\(.)/g, "$1"),
      );
      out.push(name ? { address: (angled[2] ?? "").trim(), name } : { address: (angled[2] ?? "").trim() });
    } else out.push({ address: item });
  }
  return out;
}

/** A plain-text rendering of an HTML body, for a mail that has no text part. */
function textOfHtml(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|tr|h[1-6]|li)>/gi, "\n")
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, "$2 ($1)")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function walk(part: Part, into: { text?: string; html?: string; attachments: ParsedAttachment[] }, depth: number): void {
  const type = parameters(part.headers.get("content-type") ?? "text/plain");
  const disposition = parameters(part.headers.get("content-disposition"));
  if (type.value.startsWith("multipart/") && depth < 16) {
    const boundary = type.params.get("boundary");
    if (boundary) {
      for (const body of multipartBodies(part.body, boundary)) walk(parsePart(body), into, depth + 1);
      return;
    }
  }
  const bytes = decodeTransfer(part.body, part.headers.get("content-transfer-encoding"));
  const attachment = disposition.value === "attachment" || disposition.params.has("filename");
  if (!attachment && type.value === "text/plain" && into.text === undefined) {
    into.text = decodeCharset(bytes, type.params.get("charset")).replace(/\r\n/g, "\n");
    return;
  }
  if (!attachment && type.value === "text/html" && into.html === undefined) {
    into.html = decodeCharset(bytes, type.params.get("charset"));
    return;
  }
  into.attachments.push({
    filename: disposition.params.get("filename") ?? type.params.get("name") ?? "",
    contentType: type.value,
    size: bytes.length,
  });
}

export function parseMessage(raw: Buffer): ParsedMessage {
  const root = parsePart(raw);
  const found: { text?: string; html?: string; attachments: ParsedAttachment[] } = { attachments: [] };
  walk(root, found, 0);
  const dateHeader = root.headers.get("date");
  const date = dateHeader ? new Date(dateHeader) : undefined;
  return {
    headerLines: root.headerLines,
    subject: decodeWords(root.headers.get("subject") ?? ""),
    from: parseAddresses(root.headers.get("from")),
    to: parseAddresses(root.headers.get("to")),
    cc: parseAddresses(root.headers.get("cc")),
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    text: found.text ?? (found.html !== undefined ? textOfHtml(found.html) : undefined),
    html: found.html,
    attachments: found.attachments,
  };
}
