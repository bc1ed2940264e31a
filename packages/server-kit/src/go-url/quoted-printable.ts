/**
 * mime/quotedprintable's Reader (reader.go), which mime/multipart puts in
 * front of a part whose Content-Transfer-Encoding is quoted-printable, over
 * the part's whole body (a byte string). Go's deviations from RFC 2045 are
 * kept: `=\n` is a soft break too, a bare CR or LF passes through, a final
 * `=` is dropped, `=` not followed by two hex digits is a literal `=`
 * unless a line break follows. Lines are read with bufio's 4096-byte
 * ReadSlice, so a line longer than that is "bufio: buffer full".
 */

import { goTrimRight } from "../text/go-trim-cutset";

const BUFIO_SIZE = 4096;

export type QuotedPrintableResult = { ok: true; decoded: string } | { ok: false; error: string; decoded: string };

const fromHex = (c: string | undefined): number | undefined => {
  if (c === undefined || !/^[0-9A-Fa-f]$/.test(c)) return undefined;
  return parseInt(c, 16);
};

/** The raw part body `raw` decoded; on an error, what Go had produced before it. */
export function decodeQuotedPrintable(raw: string): QuotedPrintableResult {
  let decoded = "";
  let pos = 0;
  while (pos < raw.length) {
    // bufio.Reader.ReadSlice('\n') with its 4096-byte buffer.
    const newline = raw.indexOf("\n", pos);
    const end = newline === -1 ? raw.length : newline + 1;
    let readError: string | undefined;
    let whole: string;
    if (end - pos > BUFIO_SIZE || (newline === -1 && end - pos >= BUFIO_SIZE)) {
      whole = raw.slice(pos, pos + BUFIO_SIZE);
      readError = "bufio: buffer full";
      pos += BUFIO_SIZE;
    } else {
      whole = raw.slice(pos, end);
      pos = end;
    }
    const atEof = readError === undefined && pos >= raw.length && newline === -1;
    const hasLF = whole.endsWith("\n");
    const hasCR = whole.endsWith("\r\n");
    // bytes.TrimRightFunc(line, isQPDiscardWhitespace), linear on a long run of blanks.
    let line = goTrimRight(whole, "\r\n \t");
    if (line.endsWith("=")) {
      const stripped = whole.slice(line.length);
      line = line.slice(0, -1);
      if (!stripped.startsWith("\n") && !stripped.startsWith("\r\n") && !(stripped === "" && line.length > 0 && atEof))
        readError = `quotedprintable: invalid bytes after =: ${JSON.stringify(stripped)}`;
    } else if (hasLF) line += hasCR ? "\r\n" : "\n";
    for (let i = 0; i < line.length; i++) {
      const c = line[i] ?? "";
      const code = c.charCodeAt(0);
      if (c === "=") {
        const high = fromHex(line[i + 1]);
        const low = fromHex(line[i + 2]);
        if (high !== undefined && low !== undefined) {
          decoded += String.fromCharCode((high << 4) | low);
          i += 2;
          continue;
        }
        const next = line[i + 1];
        // Taken as a literal `=`, unless the line ends or breaks right after it.
        if (next === undefined || next === "\r" || next === "\n")
          return { ok: false, error: next === undefined ? "unexpected EOF" : `quotedprintable: invalid hex byte`, decoded };
        decoded += "=";
        continue;
      }
      if (c !== "\t" && c !== "\r" && c !== "\n" && code < 0x80 && (code < 0x20 || code > 0x7e))
        return { ok: false, error: `quotedprintable: invalid unescaped byte 0x${code.toString(16).padStart(2, "0")} in body`, decoded };
      decoded += c;
    }
    if (readError !== undefined) return { ok: false, error: readError, decoded };
  }
  return { ok: true, decoded };
}
