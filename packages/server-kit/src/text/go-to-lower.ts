/**
 * Go's strings.ToLower: each code point through unicode.ToLower, Unicode's
 * simple case mapping. JavaScript's toLowerCase() applies the full mapping
 * with its context rules instead: `İ` (U+0130) becomes `i` plus a
 * combining dot, and a final `Σ` becomes `ς`, where Go gives `i` and `σ`.
 * Mapping one code point at a time leaves U+0130 as the only full mapping
 * that differs from the simple one. Code points Unicode cased after the
 * version of Go's tables (15.0 in Go 1.21 and later) are lowered here by the
 * runtime's newer data.
 */
export function goToLower(text: string): string {
  // The ASCII fast path, as strings.ToLower has one.
  if (!/\P{ASCII}/u.test(text)) return text.toLowerCase();
  let out = "";
  for (const char of text) out += char === "\u0130" ? "i" : char.toLowerCase();
  return out;
}
