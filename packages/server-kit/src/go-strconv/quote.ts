/**
 * strconv.Quote, the %q verb of Go's fmt for strings: a double-quoted Go
 * literal where runes strconv.IsPrint accepts stay as they are and the rest
 * is escaped (quote.go appendQuotedWith and appendEscapedRune).
 *
 * IsPrint is unicode.IsPrint: the categories L, M, N, P and S plus the ASCII
 * space. We ask the same question of Node's ICU tables. Their Unicode version
 * differs: Kratos and Hydra v26.2.0 are built with Go 1.26, whose tables are
 * Unicode 15.0.0, while Node 24 ships Unicode 16 or 17 (process.versions.unicode).
 * Letters, marks, numbers, punctuation and symbols assigned after 15.0 (the
 * CJK extension I, Garay, Todhri, the legacy computing supplement, …) print
 * as they are here where Go escapes them as \u or \U. Every rune older than
 * that, and every rune not printable in any version, quotes as Go quotes it.
 */

const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x0b: "\\v",
  0x22: '\\"',
  0x5c: "\\\\",
};

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");

/** strconv.IsPrint for one code point. */
export function goIsPrint(code: number): boolean {
  if (code <= 0xff) return (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code !== 0xad);
  return code <= 0x10ffff && PRINTABLE.test(String.fromCodePoint(code));
}

/** appendEscapedRune with `"` as the quote: one rune as it appears inside a %q literal. */
export function goQuotedRune(code: number): string {
  const named = NAMED_ESCAPES[code];
  if (named !== undefined) return named;
  if (goIsPrint(code)) return String.fromCodePoint(code);
  if (code < 0x20 || code === 0x7f) return `\\x${hex(code, 2)}`;
  // utf8.ValidRune: surrogate halves and values past U+10FFFF are printed as U+FFFD's escape.
  const rune = code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? 0xfffd : code;
  return rune < 0x10000 ? `\\u${hex(rune, 4)}` : `\\U${hex(rune, 8)}`;
}

/**
 * strconv.Quote of a Go string given as its bytes: a byte that starts no
 * valid UTF-8 sequence (utf8.DecodeRuneInString's RuneError of width 1) is
 * written as \x.., every decoded rune as goQuotedRune.
 */
export function goQuoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (let at = 0; at < bytes.length;) {
    const rune = decodeRune(bytes, at);
    if (rune === undefined) {
      out += `\\x${hex(bytes[at] ?? 0, 2)}`;
      at += 1;
    } else {
      out += goQuotedRune(rune.code);
      at += rune.width;
    }
  }
  return `${out}"`;
}

/**
 * strconv.Quote of text: the string Go holds is its UTF-8 encoding, so a lone
 * UTF-16 surrogate (which Go's decoders turn into U+FFFD) is that replacement
 * character, which Go prints as it is.
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += code >= 0xd800 && code <= 0xdfff ? "\ufffd" : goQuotedRune(code);
  }
  return `${out}"`;
}

/** utf8.DecodeRune: the rune at `at` and its width, or undefined where Go reads RuneError of width 1. */
function decodeRune(bytes: Uint8Array, at: number): { code: number; width: number } | undefined {
  const lead = bytes[at] ?? 0;
  if (lead < 0x80) return { code: lead, width: 1 };
  const width = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (width === 0 || at + width > bytes.length) return undefined;
  let code = lead & (0xff >> (width + 1));
  for (let k = 1; k < width; k++) {
    const next = bytes[at + k] ?? 0;
    if ((next & 0xc0) !== 0x80) return undefined;
    code = (code << 6) | (next & 0x3f);
  }
  const overlong = (width === 3 && code < 0x800) || (width === 4 && code < 0x10000);
  if (overlong || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { code, width };
}
