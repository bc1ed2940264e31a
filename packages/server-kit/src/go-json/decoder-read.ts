import { GoSyntaxError, scanGoJson } from "./scanner";

/**
 * Whether json.Decoder, handed `bytes` and then a read error, needs more
 * than `bytes` for its first value — the read error is then its answer —
 * rather than decoding it or failing on its syntax (json/stream.go
 * readValue scans the buffered bytes before it reports the read's error).
 * An object or array ends at its closing bracket (readValue invents the
 * space after it); a top-level string, number or literal only at the byte
 * after it (scanEnd comes one byte late); whitespace or a value cut short
 * needs more.
 */
export function decoderNeedsMore(bytes: Uint8Array): boolean {
  let end: number;
  try {
    end = scanGoJson(bytes, "decoder");
  } catch (error) {
    // Decoder-mode words for input that ran out: only whitespace, or a value cut short.
    if (error instanceof GoSyntaxError) return error.message === "EOF" || error.message === "unexpected EOF";
    throw error;
  }
  if (end < bytes.length) return false;
  const first = bytes.find((c) => c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d);
  return first !== 0x7b && first !== 0x5b;
}
