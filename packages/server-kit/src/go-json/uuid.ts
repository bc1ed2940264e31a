import { goQuoteBytes } from "../go-strconv/quote";

/**
 * gofrs/uuid v4.4.0's FromString (codec.go UUID.Parse; UnmarshalText, which
 * encoding/json reaches, has the same rules and texts). The length in bytes
 * picks the form — 32 hex digits, 36 canonical, 34/38 braced, 41/45
 * `urn:uuid:` — and the error names what failed: the length, the braces,
 * the first nine bytes of a wrong prefix, the hyphens of the inner text, or
 * just `uuid: invalid UUID format` for a digit that is not hex.
 */

export type GoUuidResult = { uuid: string } | { error: string };

const INVALID_FORMAT = "uuid: invalid UUID format";
/** Where codec.go reads the 16 byte pairs of the canonical form. */
const CANONICAL_PAIRS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const HASH_LIKE_PAIRS = Array.from({ length: 16 }, (_, i) => i * 2);

const hexValue = (byte: number): number => {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
};

/** uuid.FromString: the canonical lower-case form, or gofrs' error text. */
export function goParseUuid(value: string): GoUuidResult {
  return goParseUuidBytes(Buffer.from(value, "utf8"));
}

/** UUID.UnmarshalText of bytes as given (NullUUID.UnmarshalJSON passes a literal's bytes unchanged). */
export function goParseUuidBytes(text: Uint8Array): GoUuidResult {
  let bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const len = bytes.length;
  const formatError = (part: Uint8Array) => ({ error: `uuid: incorrect UUID format in string ${goQuoteBytes(part)}` });
  if (len === 34 || len === 38) {
    if (bytes[0] !== 0x7b || bytes[len - 1] !== 0x7d) return formatError(bytes);
    bytes = bytes.subarray(1, len - 1);
  } else if (len === 41 || len === 45) {
    const prefix = bytes.subarray(0, 9);
    if (prefix.toString("latin1") !== "urn:uuid:") return formatError(prefix);
    bytes = bytes.subarray(9);
  } else if (len !== 32 && len !== 36) {
    return { error: `uuid: incorrect UUID length ${len} in string ${goQuoteBytes(bytes)}` };
  }
  const canonical = bytes.length === 36;
  if (canonical && [8, 13, 18, 23].some((at) => bytes[at] !== 0x2d)) return formatError(bytes);
  let hex = "";
  for (const at of canonical ? CANONICAL_PAIRS : HASH_LIKE_PAIRS) {
    const high = hexValue(bytes[at] ?? 0);
    const low = hexValue(bytes[at + 1] ?? 0);
    if (high < 0 || low < 0) return { error: INVALID_FORMAT };
    hex += ((high << 4) | low).toString(16).padStart(2, "0");
  }
  return { uuid: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
}

/** The canonical form of a UUID FromString accepts (braces, `urn:uuid:`, 32 digits), else undefined. */
export function parseUuid(value: string): string | undefined {
  const parsed = goParseUuid(value);
  return "uuid" in parsed ? parsed.uuid : undefined;
}

/** gofrs' error text for a string FromString refuses (empty for one it accepts). */
export function uuidParseError(value: string): string {
  const parsed = goParseUuid(value);
  return "error" in parsed ? parsed.error : "";
}
