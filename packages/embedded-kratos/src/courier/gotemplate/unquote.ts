/** strconv.Unquote for the literals the lexer hands over ("...", `...`, '.'): the value, or Go's ErrSyntax text. */
export function goUnquote(literal: string): { value: string } | { error: string } {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === "`") return body.includes("`") ? { error: "invalid syntax" } : { value: body.replace(/\r/g, "") };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
    if (e !== undefined && e in simple) out += simple[e];
    else if (e === quote) out += e;
    else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return { error: "invalid syntax" };
      const code = parseInt(hex, 16);
      if (e !== "x" && (code > 0x10ffff || (code >= 0xd800 && code < 0xe000))) return { error: "invalid syntax" };
      // \x is a byte; a lone high byte is not valid UTF-8 and shows as U+FFFD when printed.
      out += e === "x" && code >= 0x80 ? "\ufffd" : String.fromCodePoint(code);
      i += n;
    } else if (e !== undefined && e >= "0" && e <= "7") {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return { error: "invalid syntax" };
      const code = parseInt(oct, 8);
      out += code >= 0x80 ? "\ufffd" : String.fromCharCode(code);
      i += 2;
    } else return { error: "invalid syntax" };
  }
  if (quote === "'" && [...out].length !== 1) return { error: "invalid syntax" };
  return { value: out };
}
