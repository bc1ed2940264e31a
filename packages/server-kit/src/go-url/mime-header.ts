/**
 * net/textproto's readMIMEHeader (reader.go) over a whole body held in
 * memory, as mime/multipart reads a part's header with it: lines as
 * bufio.Reader.ReadLine gives them (LF or CRLF ended, any length), folded
 * continuation lines, canonical keys, and the limits multipart passes in
 * (header bytes with Go's map overheads, header count). Keys and values are
 * byte strings (one char a byte).
 *
 * The key and value checks follow Go 1.20 and later (what Kratos and Hydra
 * v26.2.0 build with): a key of other than token bytes — an empty one too —
 * is "malformed MIME header line" (Go 1.19 skipped an empty key), a key
 * holding a space is kept uncanonicalized (go.dev/issue/34540), and a value
 * byte that is a control other than HTAB is refused (validHeaderValueByte).
 */

import { goTrim, goTrimLeft } from "../text/go-trim-cutset";

/** A cursor over the body: what multipart's bufio.Reader has not handed out yet. */
export interface ByteCursor {
  readonly body: Buffer;
  pos: number;
}

export type MimeHeader = Map<string, string[]>;

export type MimeHeaderResult =
  | { kind: "header"; header: MimeHeader }
  /** The body ended before the blank line: textproto answers io.EOF, which multipart's NextPart passes on as the form's end. */
  | { kind: "eof" }
  | { kind: "error"; error: string };

/** textproto's errMessageTooLarge text, which multipart turns into ErrMessageTooLarge. */
export const TEXTPROTO_MESSAGE_TOO_LARGE = "message too large";

const TOKEN_BYTES = new Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
const isTokenChar = (c: string) => TOKEN_BYTES.has(c);
/** validHeaderValueByte: VCHAR, SP, HTAB and obs-text (0x80 and up). */
const isValueByte = (code: number) => code === 0x09 || (code >= 0x20 && code !== 0x7f);

/** bufio.Reader.ReadLine as textproto's readLineSlice uses it: the line without its LF or CRLF; undefined at the end of the body. */
function readLine(cursor: ByteCursor): string | undefined {
  const { body } = cursor;
  if (cursor.pos >= body.length) return undefined;
  const newline = body.indexOf(0x0a, cursor.pos);
  if (newline === -1) {
    const line = body.toString("latin1", cursor.pos);
    cursor.pos = body.length;
    return line;
  }
  const end = newline > cursor.pos && body[newline - 1] === 0x0d ? newline - 1 : newline;
  const line = body.toString("latin1", cursor.pos, end);
  cursor.pos = newline + 1;
  return line;
}

/** textproto's trim: spaces and tabs off both ends (ASCII only). */
const trimSpaceTab = (s: string) => goTrim(s, " \t");

/** skipSpace: consumes spaces and tabs, and says how many. */
function skipSpace(cursor: ByteCursor): number {
  const start = cursor.pos;
  while (cursor.body[cursor.pos] === 0x20 || cursor.body[cursor.pos] === 0x09) cursor.pos++;
  return cursor.pos - start;
}

/** readContinuedLineSlice(mustHaveFieldNameColon): a line and the folded lines after it, joined by one space. */
function readContinuedLine(cursor: ByteCursor): { line: string } | { eof: true } | { error: string } {
  const first = readLine(cursor);
  if (first === undefined) return { eof: true };
  if (first === "") return { line: "" };
  if (!first.includes(":")) return { error: `malformed MIME header: missing colon: ${goQuoteBytes(first)}` };
  let line = trimSpaceTab(first);
  while (skipSpace(cursor) > 0) {
    const next = readLine(cursor);
    if (next === undefined) break;
    line += ` ${trimSpaceTab(next)}`;
  }
  return { line };
}

/** canonicalMIMEHeaderKey: undefined for a key Go refuses; a key with a space is kept as it came. */
function canonicalKey(key: string): string | undefined {
  if (key === "") return undefined;
  let hasSpace = false;
  for (const c of key) {
    if (c === " ") hasSpace = true;
    else if (!isTokenChar(c)) return undefined;
  }
  if (hasSpace) return key;
  let upper = true;
  let out = "";
  for (const c of key) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === "-";
  }
  return out;
}

/**
 * readMIMEHeader(r, maxMemory, maxHeaders): the header up to its blank
 * line. maxMemory pays 400 bytes for the map, and per new key its length
 * and 200, per value its length; past it, or past maxHeaders entries, the
 * header is "message too large".
 */
export function readMimeHeader(cursor: ByteCursor, maxMemory: number, maxHeaders: number): MimeHeaderResult {
  const header: MimeHeader = new Map();
  let memory = maxMemory - 400;
  let headers = maxHeaders;
  const firstByte = cursor.body[cursor.pos];
  if (firstByte === 0x20 || firstByte === 0x09) {
    const line = readLine(cursor) ?? "";
    return { kind: "error", error: `malformed MIME header initial line: ${line}` };
  }
  for (;;) {
    const read = readContinuedLine(cursor);
    if ("eof" in read) return { kind: "eof" };
    if ("error" in read) return { kind: "error", error: read.error };
    const kv = read.line;
    if (kv === "") return { kind: "header", header };
    const colon = kv.indexOf(":");
    const malformed = { kind: "error" as const, error: `malformed MIME header line: ${kv}` };
    const key = canonicalKey(kv.slice(0, colon));
    const rawValue = kv.slice(colon + 1);
    if (key === undefined) return malformed;
    for (let i = 0; i < rawValue.length; i++) if (!isValueByte(rawValue.charCodeAt(i))) return malformed;
    if (--headers < 0) return { kind: "error", error: TEXTPROTO_MESSAGE_TOO_LARGE };
    const value = goTrimLeft(rawValue, " \t");
    const values = header.get(key);
    if (values === undefined) memory -= key.length + 200;
    memory -= value.length;
    if (memory < 0) return { kind: "error", error: TEXTPROTO_MESSAGE_TOO_LARGE };
    if (values === undefined) header.set(key, [value]);
    else values.push(value);
  }
}

/** Header.Get: the first value of a canonical key. */
export const mimeHeaderGet = (header: MimeHeader, key: string): string => header.get(key)?.[0] ?? "";

/** %q of a byte string, close enough for an error text (printable ASCII kept, the rest escaped). */
function goQuoteBytes(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (code >= 0x20 && code < 0x7f) out += c;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else out += `\\x${code.toString(16).padStart(2, "0")}`;
  }
  return `${out}"`;
}

export { goQuoteBytes };
