/**
 * The bodies multipart.test.ts reads next to what Go's mime/multipart
 * Reader.ReadForm answers for them (multipart.golden.json, written by
 * multipart.golden.mjs with a Go program; see there). Each case: name,
 * boundary, body (one char a byte), ReadForm's maxMemory (32 MiB when
 * absent, ParseMultipartForm's default).
 */
export type GoldenCase = readonly [name: string, boundary: string, body: string, maxMemory?: number];

const CRLF = "\r\n";
const fd = (name: string, value: string, extra = "") => `Content-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}`;
const form = (b: string, parts: string[], nl = CRLF, tail = `--${b}--${nl}`) =>
  `${parts.map((p) => `--${b}${nl}${p}${nl}`).join("")}${tail}`;
const B = "xYzZy";
export const MULTIPART_GOLDEN_CASES: readonly GoldenCase[] = [
  ["plain fields, duplicates in order", B, form(B, [fd("a", "1"), fd("b", "2"), fd("a", "3")])],
  ["file part goes to File, not Value", B, form(B, [fd("f", "data", '; filename="a.txt"'), fd("a", "v")])],
  ["empty filename is a value", B, form(B, [fd("f", "data", '; filename=""')])],
  ["part without name is skipped", B, form(B, [`Content-Disposition: form-data\r\n\r\nx`, fd("a", "1")])],
  ["part without Content-Disposition is skipped", B, form(B, [`Content-Type: text/plain\r\n\r\nx`, fd("a", "1")])],
  ["attachment disposition is no form name", B, form(B, [`Content-Disposition: attachment; name="a"\r\n\r\nx`])],
  ["disposition case-insensitive, unquoted name", B, form(B, [`content-disposition: Form-Data; NAME=a\r\n\r\nx`])],
  ["bad disposition parameter drops the name", B, form(B, [`Content-Disposition: form-data; name="a"; x\r\n\r\nx`])],
  ["LF line ends", B, form(B, [`Content-Disposition: form-data; name="a"\n\nx`, `Content-Disposition: form-data; name="b"\n\ny`], "\n")],
  ["preamble and epilogue", B, `preamble line\r\nmore\r\n${form(B, [fd("a", "1")])}epilogue\r\n--${B}\r\njunk`],
  ["missing final boundary", B, `--${B}\r\n${fd("a", "1")}\r\n`],
  ["missing final boundary, body ends in the part", B, `--${B}\r\n${fd("a", "1")}`],
  ["final boundary without CRLF", B, `--${B}\r\n${fd("a", "1")}\r\n--${B}--`],
  ["final boundary with trailing spaces", B, `--${B}\r\n${fd("a", "1")}\r\n--${B}--  \t\r\n`],
  ["delimiter with trailing spaces", B, `--${B}  \r\n${fd("a", "1")}\r\n--${B}\t\r\n${fd("b", "2")}\r\n--${B}--\r\n`],
  ["boundary with spaces", "a b c", form("a b c", [fd("a", "1")])],
  ["boundary with quote-ish chars", "'()+_,-./:=?", form("'()+_,-./:=?", [fd("a", "1")])],
  ["boundary prefix inside a value", B, form(B, [fd("a", `x\r\n--${B}X still value`), fd("b", "2")])],
  ["boundary inside a value followed by junk", B, form(B, [fd("a", `x\r\n--${B} y\r\nz`)])],
  ["empty body", B, ``],
  ["no boundary at all", B, `hello\r\nworld\r\n`],
  ["only the final boundary", B, `--${B}--\r\n`],
  ["empty boundary", "", `--\r\n${fd("a", "1")}\r\n----\r\n`],
  ["header ends at EOF", B, `--${B}\r\n${fd("a", "1")}\r\n--${B}\r\nContent-Disposition: form-data; name="b"`],
  ["header ends at EOF after a line", B, `--${B}\r\n${fd("a", "1")}\r\n--${B}\r\nContent-Disposition: form-data; name="b"\r\n`],
  ["header line without colon", B, form(B, [`Content-Disposition form-data\r\n\r\nx`])],
  ["header folded continuation", B, form(B, [`Content-Disposition: form-data;\r\n name="a"\r\n\r\nx`])],
  ["header initial line with space", B, form(B, [` Content-Disposition: form-data; name="a"\r\n\r\nx`])],
  ["header key with space", B, form(B, [`Content-Disposition : form-data; name="a"\r\n\r\nx`])],
  [
    "first of two dispositions",
    B,
    form(B, [`Content-Disposition: form-data; name="a"\r\nContent-Disposition: form-data; name="b"\r\n\r\nx`]),
  ],
  [
    "quoted-printable value decoded",
    B,
    form(B, [fd("a", "caf=C3=A9 =3D soft=\r\nbreak", "\r\nContent-Transfer-Encoding: quoted-printable")]),
  ],
  ["quoted-printable upper-case name", B, form(B, [fd("a", "x=41", "\r\nContent-Transfer-Encoding: QUOTED-PRINTABLE")])],
  ["quoted-printable literal =", B, form(B, [fd("a", "a=zz b=4", "\r\nContent-Transfer-Encoding: quoted-printable")])],
  ["quoted-printable bad byte", B, form(B, [fd("a", "a\x01b", "\r\nContent-Transfer-Encoding: quoted-printable")])],
  ["quoted-printable trailing =", B, form(B, [fd("a", "abc=", "\r\nContent-Transfer-Encoding: quoted-printable")])],
  ["quoted-printable = then space", B, form(B, [fd("a", "abc= \r\nx", "\r\nContent-Transfer-Encoding: quoted-printable")])],
  ["quoted-printable trailing whitespace", B, form(B, [fd("a", "abc  \r\nx\t", "\r\nContent-Transfer-Encoding: quoted-printable")])],
  ["quoted-printable long line", B, form(B, [fd("a", "q".repeat(5000), "\r\nContent-Transfer-Encoding: quoted-printable")])],
  ["base64 is not decoded", B, form(B, [fd("a", "aGk=", "\r\nContent-Transfer-Encoding: base64")])],
  ["empty part without line break", B, `--${B}\r\n${fd("a", "")}--${B}\r\n${fd("b", "2")}\r\n--${B}--\r\n`],
  ["empty part before final without line break", B, `--${B}\r\n${fd("a", "")}--${B}--\r\n`],
  ["huge value", B, form(B, [fd("a", "v".repeat(200_000)), fd("b", "2")])],
  ["huge preamble line", B, `${"p".repeat(5000)}\r\n${form(B, [fd("a", "1")])}`],
  ["junk between parts", B, `--${B}\r\n${fd("a", "1")}\r\n--${B}\r\n${fd("b", "2")}\r\nxx\r\n--${B}--\r\n`],
  ["LF separator in CRLF mode", B, `--${B}\r\n${fd("a", "1")}\n--${B}\r\n${fd("b", "2")}\r\n--${B}--\r\n`],
  ["boundary in value then LWSP and LF", B, form(B, [fd("a", `x\r\n--${B}  \ny`)])],
  ["non-UTF-8 name and value", B, form(B, [fd("n\xe9", "v\xff")])],
  [
    "1000 parts",
    B,
    form(
      B,
      Array.from({ length: 1000 }, (_, i) => fd(`f${i}`, "v")),
    ),
  ],
  [
    "1001 parts",
    B,
    form(
      B,
      Array.from({ length: 1001 }, (_, i) => fd(`f${i}`, "v")),
    ),
  ],
  ["1001 parts, nameless ones count", B, form(B, [...Array.from({ length: 1000 }, () => `X: y\r\n\r\n`), fd("a", "1")])],
  ["10000 header lines", B, form(B, [`Content-Disposition: form-data; name="a"\r\n${"X: y\r\n".repeat(9999)}\r\nv`])],
  ["10001 header lines", B, form(B, [`Content-Disposition: form-data; name="a"\r\n${"X: y\r\n".repeat(10000)}\r\nv`])],
  [
    "file headers count across the form",
    B,
    form(
      B,
      Array.from({ length: 3 }, (_, i) => `Content-Disposition: form-data; name="f"; filename="a"\r\n${"X: y\r\n".repeat(4000)}\r\n${i}`),
    ),
  ],
  ["values past maxMemory + 10 MB (maxMemory 1 MiB)", B, form(B, [fd("a", "v".repeat(6 << 20)), fd("b", "v".repeat(6 << 20))]), 1 << 20],
  ["value within maxMemory + 10 MB (maxMemory 1 MiB)", B, form(B, [fd("a", "v".repeat(10 << 20))]), 1 << 20],
  [
    "file headers' memory (maxMemory 0)",
    B,
    form(
      B,
      Array.from({ length: 6 }, () => `Content-Disposition: form-data; name="f"; filename="a"\r\n${"X: y\r\n".repeat(9000)}\r\n`),
    ),
    0,
  ],
  ["filename with path", B, form(B, [fd("f", "x", '; filename="../"')])],
  ["RFC 2231 name*", B, form(B, [`Content-Disposition: form-data; name*=UTF-8''caf%C3%A9\r\n\r\nx`])],
  [
    "RFC 2231 continuations replace a plain name",
    B,
    form(B, [`Content-Disposition: form-data; name="plain"; name*0="csrf_"; name*1*=%74oken\r\n\r\nx`]),
  ],
  ["RFC 2231 unknown charset keeps the plain name", B, form(B, [`Content-Disposition: form-data; name="plain"; name*=latin1''x\r\n\r\nx`])],
  ["RFC 2231 filename* makes a file", B, form(B, [`Content-Disposition: form-data; name="f"; filename*=utf-8''a.txt\r\n\r\nx`])],
  [
    "quoted-printable file part",
    B,
    form(B, [fd("f", "=41", '; filename="a"\r\nContent-Transfer-Encoding: quoted-printable'), fd("a", "1")]),
  ],
  [
    "LF mode empty part without line break",
    B,
    `--${B}\n${fd("a", "").replace(/\r\n/g, "\n")}--${B}\n${fd("b", "2").replace(/\r\n/g, "\n")}\n--${B}--\n`,
  ],
  ["final boundary inside a value ends the form", B, form(B, [fd("a", `x\r\n--${B}--\r\nrest`), fd("b", "2")])],
  [
    "large file part past maxMemory (maxMemory 1 MiB)",
    B,
    form(B, [fd("f", "z".repeat(2 << 20), '; filename="big"'), fd("a", "1")]),
    1 << 20,
  ],
  ["CRLF split across the read window", B, form(B, [fd("a", `${"w".repeat(4090)}\r\n--${B}${" ".repeat(4100)}\r\nz`)])],
];
