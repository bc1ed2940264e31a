import { goParseMediaType } from "./form";
import { goQuoteBytes, mimeHeaderGet, readMimeHeader, TEXTPROTO_MESSAGE_TOO_LARGE, type ByteCursor, type MimeHeader } from "./mime-header";
import { decodeQuotedPrintable } from "./quoted-printable";

/**
 * mime/multipart's Reader (multipart.go: NextPart, partReader.Read,
 * Part.FormName/FileName, the quoted-printable wrapper) over a body held in
 * memory. Go reads through a 4096-byte bufio.Reader; where that buffer
 * shows — a line outside a part's body longer than it is "bufio: buffer
 * full" — it is kept here. Byte strings throughout (one char a byte).
 */

/** multipart's peekBufferSize: the bufio.Reader's buffer, which bounds a line between parts. */
const PEEK_BUFFER_SIZE = 4096;

export const ERR_MESSAGE_TOO_LARGE = "multipart: message too large";

export interface MultipartPart {
  header: MimeHeader;
  /** FormName: the Content-Disposition's `name` when it is form-data, else "". */
  formName: string;
  /** FileName: the Content-Disposition's `filename` ("" when absent or empty; Go's filepath.Base keeps any other non-empty). */
  fileName: string;
}

export type NextPartResult = { kind: "part"; part: MultipartPart } | { kind: "eof" } | { kind: "error"; error: string };

/** A part's (decoded) body, or the error Go's Read answered with what it read before it. */
export type PartBodyResult = { ok: true; body: string } | { ok: false; error: string; body: string };

const skipLwsp = (b: Buffer): Buffer => {
  let i = 0;
  while (b[i] === 0x20 || b[i] === 0x09) i++;
  return b.subarray(i);
};

export class GoMultipartReader {
  private readonly cursor: ByteCursor;
  private partsRead = 0;
  private nl: Buffer = Buffer.from("\r\n");
  private nlDashBoundary: Buffer;
  private readonly dashBoundary: Buffer;
  private readonly dashBoundaryDash: Buffer;
  /** The raw body of the part NextPart returned last, not read yet (Part.Close discards it before the next). */
  private pending: { quotedPrintable: boolean } | undefined;

  constructor(body: Buffer, boundary: string) {
    this.cursor = { body, pos: 0 };
    this.dashBoundary = Buffer.from(`--${boundary}`, "latin1");
    this.dashBoundaryDash = Buffer.from(`--${boundary}--`, "latin1");
    this.nlDashBoundary = Buffer.concat([this.nl, this.dashBoundary]);
  }

  /** bufio.Reader.ReadSlice('\n'): the line with its LF, and io.EOF or ErrBufferFull when it has none. */
  private readSlice(): { line: Buffer; error?: "EOF" | "bufio: buffer full" } {
    const { body } = this.cursor;
    const start = this.cursor.pos;
    const newline = body.indexOf(0x0a, start);
    const end = newline === -1 ? body.length : newline + 1;
    if (end - start > PEEK_BUFFER_SIZE || (newline === -1 && end - start >= PEEK_BUFFER_SIZE)) {
      this.cursor.pos = Math.min(start + PEEK_BUFFER_SIZE, body.length);
      return { line: body.subarray(start, this.cursor.pos), error: "bufio: buffer full" };
    }
    this.cursor.pos = end;
    return newline === -1 ? { line: body.subarray(start, end), error: "EOF" } : { line: body.subarray(start, end) };
  }

  private isFinalBoundary(line: Buffer): boolean {
    if (!line.subarray(0, this.dashBoundaryDash.length).equals(this.dashBoundaryDash)) return false;
    const rest = skipLwsp(line.subarray(this.dashBoundaryDash.length));
    return rest.length === 0 || rest.equals(this.nl);
  }

  private isBoundaryDelimiterLine(line: Buffer): boolean {
    if (!line.subarray(0, this.dashBoundary.length).equals(this.dashBoundary)) return false;
    const rest = skipLwsp(line.subarray(this.dashBoundary.length));
    // The first delimiter line ending in a bare LF switches the reader to LF line ends.
    if (this.partsRead === 0 && rest.length === 1 && rest[0] === 0x0a) {
      this.nl = this.nl.subarray(1);
      this.nlDashBoundary = this.nlDashBoundary.subarray(1);
    }
    return rest.equals(this.nl);
  }

  /** Reader.nextPart(false, maxMIMEHeaderSize, maxMIMEHeaders). */
  nextPart(maxHeaderBytes: number, maxHeaders: number): NextPartResult {
    if (this.pending) this.readPartBody();
    if (this.dashBoundary.length === 2) return { kind: "error", error: "multipart: boundary is empty" };
    let expectNewPart = false;
    for (;;) {
      const { line, error } = this.readSlice();
      if (error === "EOF" && this.isFinalBoundary(line)) return { kind: "eof" };
      if (error !== undefined) return { kind: "error", error: `multipart: NextPart: ${error}` };
      if (this.isBoundaryDelimiterLine(line)) {
        this.partsRead++;
        return this.newPart(maxHeaderBytes, maxHeaders);
      }
      if (this.isFinalBoundary(line)) return { kind: "eof" };
      if (expectNewPart)
        return { kind: "error", error: `multipart: expecting a new Part; got line ${goQuoteBytes(line.toString("latin1"))}` };
      if (this.partsRead === 0) continue;
      if (line.equals(this.nl)) {
        expectNewPart = true;
        continue;
      }
      return { kind: "error", error: `multipart: unexpected line in Next(): ${goQuoteBytes(line.toString("latin1"))}` };
    }
  }

  private newPart(maxHeaderBytes: number, maxHeaders: number): NextPartResult {
    const read = readMimeHeader(this.cursor, maxHeaderBytes, maxHeaders);
    // A body ending inside the header is io.EOF, which NextPart passes on unwrapped: the form ends there.
    if (read.kind === "eof") return { kind: "eof" };
    if (read.kind === "error")
      return { kind: "error", error: read.error === TEXTPROTO_MESSAGE_TOO_LARGE ? ERR_MESSAGE_TOO_LARGE : read.error };
    const { header } = read;
    const cte = "Content-Transfer-Encoding";
    const quotedPrintable = mimeHeaderGet(header, cte).toLowerCase() === "quoted-printable";
    // The header is hidden from the part when its body is decoded.
    if (quotedPrintable) header.delete(cte);
    this.pending = { quotedPrintable };
    const disposition = goParseMediaType(mimeHeaderGet(header, "Content-Disposition"));
    const params = disposition.error === undefined ? disposition.params : new Map<string, string>();
    return {
      kind: "part",
      part: {
        header,
        formName: disposition.mediaType === "form-data" ? (params.get("name") ?? "") : "",
        fileName: params.get("filename") ?? "",
      },
    };
  }

  /** The current part's body as io.ReadAll of the Part reads it (decoded when quoted-printable). */
  readPartBody(): PartBodyResult {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return { ok: true, body: "" };
    const raw = this.readRawPartBody();
    if (!pending.quotedPrintable) return raw;
    const decoded = decodeQuotedPrintable(raw.body);
    if (!decoded.ok) return { ok: false, error: decoded.error, body: decoded.decoded };
    // quotedprintable's reader reads its source to its end: the raw body's error comes after all it decoded.
    return raw.ok ? { ok: true, body: decoded.decoded } : { ok: false, error: raw.error, body: decoded.decoded };
  }

  /**
   * partReader.Read until it answers io.EOF or an error (scanUntilBoundary
   * and matchAfterPrefix): the body ends at the first `nl--boundary` (or,
   * right at its start, `--boundary`) followed by a space, tab, CR, LF,
   * `--` or the end of the input; a body without one is io.ErrUnexpectedEOF,
   * and the tail that could still begin a boundary stays unread.
   */
  private readRawPartBody(): PartBodyResult {
    const { body } = this.cursor;
    const start = this.cursor.pos;
    if (this.startsWith(start, this.dashBoundary)) {
      const match = this.matchAfterPrefix(start, this.dashBoundary);
      if (match === "boundary") return { ok: true, body: "" };
    } else if (this.isTruncatedPrefix(start, this.dashBoundary)) return { ok: false, error: "unexpected EOF", body: "" };
    for (let from = start; ;) {
      const at = body.indexOf(this.nlDashBoundary, from);
      if (at === -1) break;
      if (this.matchAfterPrefix(at, this.nlDashBoundary) === "boundary") {
        this.cursor.pos = at;
        return { ok: true, body: body.toString("latin1", start, at) };
      }
      from = at + this.nlDashBoundary.length;
    }
    // What is left after the last CR or LF stays in the buffer when it could still start a boundary.
    const last = body.lastIndexOf(this.nlDashBoundary[0] ?? 0x0a);
    const held = last >= start && this.isTruncatedPrefix(last, this.nlDashBoundary) ? last : body.length;
    this.cursor.pos = held;
    return { ok: false, error: "unexpected EOF", body: body.toString("latin1", start, held) };
  }

  private startsWith(at: number, prefix: Buffer): boolean {
    return this.cursor.body.subarray(at, at + prefix.length).equals(prefix);
  }

  /** Whether the input from `at` to its end is a proper prefix of `prefix` (bytes.HasPrefix(prefix, buf) at io.EOF). */
  private isTruncatedPrefix(at: number, prefix: Buffer): boolean {
    const rest = this.cursor.body.subarray(at);
    return rest.length < prefix.length && prefix.subarray(0, rest.length).equals(rest);
  }

  /** matchAfterPrefix with the whole input read: what follows `prefix` at `at` makes it a boundary or data. */
  private matchAfterPrefix(at: number, prefix: Buffer): "boundary" | "data" {
    const { body } = this.cursor;
    const after = at + prefix.length;
    if (after >= body.length) return "boundary";
    const c = body[after];
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) return "boundary";
    return c === 0x2d && body[after + 1] === 0x2d ? "boundary" : "data";
  }
}
