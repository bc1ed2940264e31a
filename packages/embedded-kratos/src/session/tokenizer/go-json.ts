import { goEscapeStringified } from "@olympus/server-kit/go-json";

/**
 * encoding/json.Marshal of decoded JSON (maps and slices of interface{}), as
 * golang-jwt marshals the tokenizer's JWT header and claims, so the token's
 * bytes match Kratos': object keys sorted (encode.go mapEncoder sorts a map's
 * keys by their bytes), numbers as strconv.AppendFloat's shortest form —
 * which is JSON.stringify's but for `-0`, which Go keeps — and strings with
 * encode.go's escapes (`<`, `>`, `&`, U+2028, U+2029; invalid text as
 * U+FFFD), which server-kit's goEscapeStringified adds to JSON.stringify's.
 */
export function goJsonMarshal(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goEscapeStringified(JSON.stringify(value));
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(goJsonMarshal).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
    return `{${entries.map(([k, v]) => `${goJsonMarshal(k)}:${goJsonMarshal(v)}`).join(",")}}`;
  }
  return "null";
}
