/**
 * Go's fmt.Sprintf("%s", v) for a value decoded from JSON with fosite's
 * decoder (integers as int64, other numbers as float64): fosite copies
 * every claim of a request object into the authorization form that way.
 */
export function goSprintS(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "%!s(<nil>)";
  if (typeof value === "boolean") return `%!s(bool=${String(value)})`;
  if (typeof value === "number") return Number.isInteger(value) ? `%!s(int64=${value})` : `%!s(float64=${goFloat(value)})`;
  if (Array.isArray(value)) return `[${value.map(goSprintS).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([key, item]) => `${key}:${goSprintS(item)}`).join(" ")}]`;
  }
  // JSON gives nothing else (bigint, symbol, function cannot occur).
  return "";
}

/** %v of a float64: shortest representation, exponent form from 1e21 (as strconv 'g' with the shortest precision). */
function goFloat(value: number): string {
  const text = String(value);
  return text.replace(/e\+?(-?)(\d)$/, "e+$10$2").replace(/e\+-/, "e-");
}

/**
 * Go's time.Time String() of an instant in time.UTC — what a time.Time decoded
 * from RFC 3339 JSON ending in `Z` carries: `2006-01-02 15:04:05.999999999
 * -0700 MST`, the fraction without trailing zeros (none when whole), no
 * monotonic part (only time.Now values have one). The instant is epoch
 * milliseconds; digits past the microsecond are not kept here.
 */
export function goUtcTimeString(epochMs: number): string {
  const micros = Math.round(epochMs * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const wall = new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
  const digits = fraction === 0 ? "" : `.${String(fraction).padStart(6, "0").replace(/0+$/, "")}`;
  return `${wall}${digits} +0000 UTC`;
}
