/**
 * strconv.Atoi, with its error text (the index as a bigint: Go's int is 64 bits).
 */
export function goAtoi(s: string): { value: bigint } | { error: string } {
  const quoted = goQuote(s);
  if (!/^[+-]?\d+$/.test(s)) return { error: `strconv.Atoi: parsing ${quoted}: invalid syntax` };
  const value = BigInt(s);
  if (value > 9223372036854775807n || value < -9223372036854775808n)
    return { error: `strconv.Atoi: parsing ${quoted}: value out of range` };
  return { value };
}

/** strconv.Quote for the texts Go's errors print (printable runes as they are, the rest escaped). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const named = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 0x22: '\\"', 0x5c: "\\\\" }[code];
    if (named) out += named;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x7f || (code !== 0xad && /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch))) out += ch;
    else out += code > 0xffff ? `\\U${code.toString(16).padStart(8, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}
