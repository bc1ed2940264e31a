/**
 * Go's strings.Trim / TrimLeft / TrimRight with a cutset (and the
 * TrimFunc forms with a fixed character class, as textproto and
 * mime/quotedprintable use them), one linear pass over char codes. A
 * regular expression such as `/[ \t]+$/` is quadratic on a long run of the
 * cut characters followed by another one — untrusted input must not reach
 * one.
 */

/** strings.TrimLeft: leading chars of `cutset` removed. */
export function goTrimLeft(text: string, cutset: string): string {
  let from = 0;
  while (from < text.length && cutset.includes(text.charAt(from))) from++;
  return text.slice(from);
}

/** strings.TrimRight: trailing chars of `cutset` removed. */
export function goTrimRight(text: string, cutset: string): string {
  let to = text.length;
  while (to > 0 && cutset.includes(text.charAt(to - 1))) to--;
  return text.slice(0, to);
}

/** strings.Trim: leading and trailing chars of `cutset` removed. */
export const goTrim = (text: string, cutset: string): string => goTrimRight(goTrimLeft(text, cutset), cutset);
