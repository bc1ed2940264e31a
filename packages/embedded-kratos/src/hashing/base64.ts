/**
 * The base64 decoders Kratos' hash comparator uses (Go's encoding/base64),
 * with Go's strictness: a string Go refuses decodes to `undefined` here, so
 * the comparison fails as it does in Kratos instead of guessing.
 */

const PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RAW = /^[A-Za-z0-9+/]*$/;

/** `base64.StdEncoding.Strict()`: padded, and unused trailing bits must be zero. */
export function decodeStdStrict(value: string): Buffer | undefined {
  if (!PADDED.test(value)) return undefined;
  const bytes = Buffer.from(value, "base64");
  return bytes.toString("base64") === value ? bytes : undefined;
}

/** `base64.StdEncoding` (not strict): padded; trailing bits are ignored. */
export function decodeStd(value: string): Buffer | undefined {
  return PADDED.test(value) ? Buffer.from(value, "base64") : undefined;
}

/** `base64.RawStdEncoding.Strict()`: no padding, and unused trailing bits must be zero. */
export function decodeRawStdStrict(value: string): Buffer | undefined {
  if (!RAW.test(value) || value.length % 4 === 1) return undefined;
  const bytes = Buffer.from(value, "base64");
  return bytes.toString("base64").replace(/=+$/, "") === value ? bytes : undefined;
}
