/**
 * What Go's strings.TrimSpace trims: the code points unicode.IsSpace
 * accepts. Not JavaScript's trim(), which also trims U+FEFF and leaves
 * U+0085 in place.
 */
const GO_SPACE = new Set([
  ..." \t\n\v\f\r\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
]);

/** strings.TrimSpace: leading and trailing Go white space removed. */
export function goTrimSpace(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && GO_SPACE.has(text[from] ?? "")) from++;
  while (to > from && GO_SPACE.has(text[to - 1] ?? "")) to--;
  return text.slice(from, to);
}
