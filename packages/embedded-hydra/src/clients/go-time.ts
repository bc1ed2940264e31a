import { ACCEPTED_RFC3339 } from "@olympus/server-kit/go-json";

/**
 * The instants Hydra stamps on a client, in epoch nanoseconds (Go's
 * time.Time resolution), and how encoding/json writes them: Time.MarshalJSON,
 * RFC 3339 with the fraction's trailing zeros trimmed, `Z` for UTC. Hydra's
 * clock is Go's time.Now() (nanoseconds); Date.now() has milliseconds, so
 * the monotonic high-resolution clock is anchored to the wall clock and
 * re-anchored when the two drift apart (an NTP step).
 */

const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_MS = 1_000_000n;

let anchorWallNs = 0n;
let anchorMonoNs = 0n;

function anchor(): void {
  anchorWallNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  anchorMonoNs = process.hrtime.bigint();
}
anchor();

/** time.Now() as epoch nanoseconds. */
export function nowNanos(): bigint {
  const ns = anchorWallNs + (process.hrtime.bigint() - anchorMonoNs);
  if (Math.abs(Number(ns / NANOS_PER_MS) - Date.now()) > 1) {
    anchor();
    return anchorWallNs;
  }
  return ns;
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** t.Truncate(time.Microsecond): ory/pop's created_at/updated_at stamps. */
export const truncateMicroseconds = (ns: bigint): bigint => floorDiv(ns, 1000n) * 1000n;

/** t.Round(time.Second): halfway values round up. */
export const roundSecond = (ns: bigint): bigint => floorDiv(ns + NANOS_PER_SECOND / 2n, NANOS_PER_SECOND) * NANOS_PER_SECOND;

/** January 1st of year 1, 00:00 UTC: time.Time's zero value (IsZero). */
export const GO_ZERO_NANOS = -62_135_596_800n * NANOS_PER_SECOND;

/**
 * Time.MarshalJSON of the UTC instant; undefined for a year outside
 * 0–9999, which Go refuses to write ("Time.MarshalJSON: year outside of
 * range [0,9999]").
 */
export function goUtcJson(ns: bigint): string | undefined {
  const seconds = floorDiv(ns, NANOS_PER_SECOND);
  const fraction = ns - seconds * NANOS_PER_SECOND;
  const date = new Date(Number(seconds) * 1000);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(date.getTime()) || year < 0 || year > 9999) return undefined;
  const digits = fraction.toString().padStart(9, "0").replace(/0+$/, "");
  const pad = (value: number, length = 2) => String(value).padStart(length, "0");
  const wall = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${wall}${digits ? `.${digits}` : ""}Z`;
}

/** goUtcJson of an instant known to be in Go's range: the clock's, a stored one. */
export function goUtcJsonInRange(ns: bigint): string {
  const text = goUtcJson(ns);
  if (text === undefined) throw new RangeError(`instant outside Go's JSON time range: ${ns}ns`);
  return text;
}

/**
 * The instant of a time text Go's strict RFC 3339 reading accepted (the
 * decoded body's `created_at`), offset applied, digits past the ninth
 * dropped; undefined for a text it did not accept.
 */
export function goTimeNanos(text: string): bigint | undefined {
  const m = ACCEPTED_RFC3339.exec(text);
  if (!m) return undefined;
  const [datePart = "", timePart = ""] = (m[1] ?? "").split("T");
  const [year = 0, month = 1, day = 1] = datePart.split("-").map(Number);
  const [hour = 0, minute = 0, second = 0] = timePart.split(":").map(Number);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const zone = m[3] ?? "Z";
  const offsetMinutes = zone === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const fraction = BigInt((m[2] ?? "").slice(0, 9).padEnd(9, "0") || "0");
  return (BigInt(date.getTime()) / 1000n - BigInt(offsetMinutes * 60)) * NANOS_PER_SECOND + fraction;
}
