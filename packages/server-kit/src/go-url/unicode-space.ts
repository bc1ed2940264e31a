/**
 * unicode.IsSpace on a byte string (one char per byte, as a Node header
 * value holds it), as Go's strings.TrimSpace and TrimLeftFunc(…,
 * unicode.IsSpace) apply it: they decode UTF-8, so a space beyond ASCII
 * is its encoded bytes (NEL is C2 85, NO-BREAK SPACE C2 A0, IDEOGRAPHIC
 * SPACE E3 80 80), and a lone byte that is not UTF-8 is no space at all.
 */

/** The UTF-8 encodings of every rune unicode.IsSpace takes beyond ASCII (White_Space; Latin-1's NEL and NBSP). */
const WIDE_SPACES: readonly string[] = [
  0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
].map((rune) => Buffer.from(String.fromCodePoint(rune), "utf8").toString("latin1"));

const ASCII_SPACE = /[\t\n\v\f\r ]/;

/** The length in bytes of the space rune starting at `at`, or 0. */
function spaceAt(bytes: string, at: number): number {
  if (ASCII_SPACE.test(bytes[at] ?? "x")) return 1;
  return WIDE_SPACES.find((space) => bytes.startsWith(space, at))?.length ?? 0;
}

/**
 * The length in bytes of the space rune ending at `end`, or 0. Every wide
 * space starts with a lead byte, so a match is the rune
 * utf8.DecodeLastRuneInString reads there.
 */
function spaceEndingAt(bytes: string, end: number): number {
  if (ASCII_SPACE.test(bytes[end - 1] ?? "x")) return 1;
  return WIDE_SPACES.find((space) => end >= space.length && bytes.startsWith(space, end - space.length))?.length ?? 0;
}

/** strings.TrimLeftFunc(s, unicode.IsSpace) on bytes. */
export function goTrimLeftSpace(bytes: string): string {
  let at = 0;
  for (let n = spaceAt(bytes, at); n > 0; n = spaceAt(bytes, at)) at += n;
  return bytes.slice(at);
}

/** strings.TrimSpace on bytes. */
export function goTrimSpace(bytes: string): string {
  const left = goTrimLeftSpace(bytes);
  let end = left.length;
  for (let n = spaceEndingAt(left, end); n > 0; n = spaceEndingAt(left, end)) end -= n;
  return left.slice(0, end);
}
