/**
 * sprig's b32enc and b32dec: encoding/base32's StdEncoding (RFC 4648
 * alphabet, `=` padding). b32dec answers a decoding error's text in place of
 * the value, as sprig's base32decode does.
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const PAD = 0x3d; // "="

export function base32Encode(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  let out = "";
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let j = 0; j < 5; j++) bits = (bits << 8n) | BigInt(chunk[j] ?? 0);
    // Characters carrying any of the chunk's bits; the rest of the quantum is padding.
    const used = Math.ceil((chunk.length * 8) / 5);
    for (let j = 0; j < 8; j++) out += j < used ? ALPHABET[Number((bits >> BigInt(35 - 5 * j)) & 31n)] : "=";
  }
  return out;
}

/** Base32 DecodeString (encoding/base32 decode, Go 1.19): line breaks are dropped first; errors name the byte offset after that. */
export function base32Decode(text: string): string {
  const src = Buffer.from(text, "utf8").filter((b) => b !== 0x0d && b !== 0x0a);
  const out: number[] = [];
  const olen = src.length;
  let pos = 0;
  let end = false;
  const corrupt = (offset: number) => `illegal base32 data at input byte ${offset}`;
  while (pos < olen && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8;) {
      if (pos === olen) return corrupt(olen - (olen - pos) - j);
      const c = src[pos++]!;
      const left = olen - pos;
      if (c === PAD && j >= 2 && left < 8) {
        if (left + j < 7) return corrupt(olen);
        for (let k = 0; k < 7 - j; k++) if (left > k && src[pos + k] !== PAD) return corrupt(olen - left + k - 1);
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) return corrupt(olen - left - 1);
        break;
      }
      const value = ALPHABET.indexOf(String.fromCharCode(c));
      if (c >= 0x80 || value < 0) return corrupt(olen - left - 1);
      dbuf[j] = value;
      j++;
    }
    const [b0, b1, b2, b3, b4, b5, b6, b7] = dbuf as [number, number, number, number, number, number, number, number];
    const quantum = [
      ((b0 << 3) | (b1 >> 2)) & 0xff,
      ((b1 << 6) | (b2 << 1) | (b3 >> 4)) & 0xff,
      ((b3 << 4) | (b4 >> 1)) & 0xff,
      ((b4 << 7) | (b5 << 2) | (b6 >> 3)) & 0xff,
      ((b6 << 5) | b7) & 0xff,
    ];
    // dlen 2, 4, 5, 7, 8 characters carry 1, 2, 3, 4, 5 bytes.
    const bytes = { 2: 1, 4: 2, 5: 3, 7: 4, 8: 5 }[dlen as 2 | 4 | 5 | 7 | 8] ?? 0;
    out.push(...quantum.slice(0, bytes));
  }
  return Buffer.from(out).toString("utf8");
}
