import { describe, expect, it } from "vitest";
import { goReadMultipartForm } from "./multipart";

/**
 * A long run of blanks followed by another byte, in a part's header line
 * (net/textproto reader.go readContinuedLineSlice trims it with
 * trim/TrimFunc) or in a quoted-printable line (mime/quotedprintable
 * reader.go trims it with bytes.TrimRightFunc). Go trims in one pass; a
 * trailing-blank regular expression is quadratic on such a run and held
 * the event loop for minutes on 1 MiB. No timed assertion: the header body
 * has to be read within the test's timeout, which only a linear trim does.
 */

const BOUNDARY = "xYzZy";
const MIB = 1 << 20;
const body = (part: string) => Buffer.from(`--${BOUNDARY}\r\n${part}\r\n--${BOUNDARY}--\r\n`, "latin1");

describe("blank runs in multipart bodies are trimmed in linear time", () => {
  it("reads a part whose header line holds 1 MiB of spaces before a byte", () => {
    const part = `Content-Disposition: form-data; name="csrf_token"\r\nX-Pad:${" ".repeat(MIB)}x\r\n\r\ntoken`;
    expect(goReadMultipartForm(body(part), BOUNDARY)).toEqual({ ok: true, values: new Map([["csrf_token", ["token"]]]), files: 0 });
  });

  it("decodes a quoted-printable part whose lines are blank runs ending in a byte", () => {
    // The trim is per line of at most 4096 bytes, so the old quadratic cost stayed bounded per line; this pins that the
    // linear trim keeps Go's answer (a size large enough to time out on the old code would make the test slow itself).
    const line = `${" ".repeat(4094)}x\n`;
    const lines = line.repeat(16);
    const part = `Content-Disposition: form-data; name="a"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${lines}`;
    const result = goReadMultipartForm(body(part), BOUNDARY);
    expect(result).toEqual({ ok: true, values: new Map([["a", [lines]]]), files: 0 });
  });
});
