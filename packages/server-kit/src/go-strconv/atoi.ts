import { goQuoteBytes } from "./quote";

/**
 * strconv.ParseInt(s, 10, 64) and strconv.Atoi on a 64-bit platform (Go's
 * int is 64 bits), of a byte string (go-url's convention: one char per
 * byte), with strconv's error text (`strconv.<fn>: parsing "<s>": …`, the
 * input quoted as strconv.Quote quotes its bytes).
 */

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export type GoParsedInt = { value: bigint } | { error: string };

/** strconv.ParseInt(bytes, 10, 64); `fn` names the function the error text reports (Atoi wraps ParseInt's error as its own). */
export function goParseInt(bytes: string, fn: "Atoi" | "ParseInt" = "ParseInt"): GoParsedInt {
  const prefix = `strconv.${fn}: parsing ${goQuoteBytes(Buffer.from(bytes, "latin1"))}`;
  if (!/^[+-]?[0-9]+$/.test(bytes)) return { error: `${prefix}: invalid syntax` };
  const value = BigInt(bytes);
  if (value < INT64_MIN || value > INT64_MAX) return { error: `${prefix}: value out of range` };
  return { value };
}

/** strconv.Atoi(bytes). */
export const goAtoi = (bytes: string): GoParsedInt => goParseInt(bytes, "Atoi");
