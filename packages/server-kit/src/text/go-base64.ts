import { goTrimRight } from "./go-trim-cutset";

/**
 * Go's encoding/base64 decoding (Encoding.DecodeString, decodeQuantum) for
 * the two encodings go-jose reads: StdEncoding (padded: Hydra's `x5c`,
 * Kratos' `base64://` sources through ory/x fetcher) and RawURLEncoding
 * (unpadded, key members and `x5t`). CR and LF are skipped
 * anywhere; the error is Go's CorruptInputError text, naming the byte
 * offset where decoding stopped.
 */

export type GoBase64Result = { ok: true; bytes: Buffer } | { ok: false; error: string };

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function decodeMap(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

const STD_MAP = decodeMap(STD);
const URL_MAP = decodeMap(URL);
const PAD = 0x3d;
const isNewline = (c: number | undefined) => c === 0x0a || c === 0x0d;

const corrupt = (offset: number): GoBase64Result => ({ ok: false, error: `illegal base64 data at input byte ${offset}` });

function decode(src: Buffer, map: Int16Array, padded: boolean): GoBase64Result {
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    // One quantum: up to four characters, newlines skipped.
    const quantum: number[] = [];
    let trailing: number | undefined;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: Buffer.from(out) };
        if (j === 1 || padded) return corrupt(si - j);
        break;
      }
      const c = src[si] as number;
      si++;
      const value = map[c] as number;
      if (value >= 0) {
        quantum.push(value);
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (!padded || c !== PAD) return corrupt(si - 1);
      // Padding: only after two or three characters, "==" after two.
      if (j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (isNewline(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== PAD) return corrupt(si - 1);
        si++;
      }
      while (isNewline(src[si])) si++;
      if (si < src.length) trailing = si;
      break;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const value = (a << 18) | (b << 12) | (c << 6) | d;
    const bytes = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
    out.push(...bytes.slice(0, quantum.length - 1));
    if (trailing !== undefined) return corrupt(trailing);
  }
  return { ok: true, bytes: Buffer.from(out) };
}

/** base64.StdEncoding.DecodeString. */
export function goStdBase64Decode(text: string): GoBase64Result {
  return decode(Buffer.from(text, "utf8"), STD_MAP, true);
}

/** go-jose's base64URLDecode (encoding.go): trailing `=` trimmed, then base64.RawURLEncoding.DecodeString. */
export function goJoseBase64UrlDecode(text: string): GoBase64Result {
  return decode(Buffer.from(goTrimRight(text, "="), "utf8"), URL_MAP, false);
}
