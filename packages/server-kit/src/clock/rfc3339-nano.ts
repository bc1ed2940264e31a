import { ACCEPTED_RFC3339 } from "../go-json/time";

/**
 * Go's time.Time as JSON text (Time.MarshalJSON: RFC3339Nano,
 * `2006-01-02T15:04:05.999999999Z07:00`, the fraction's trailing zeros
 * trimmed, none for a whole second) and back, for UTC instants held either
 * as epoch nanoseconds (a bigint) or as a JavaScript millisecond plus the
 * nanoseconds past it (what a Date can carry).
 */

const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_MS = 1_000_000n;

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** January 1st of year 1, 00:00 UTC: time.Time's zero value (IsZero), in epoch nanoseconds. */
export const GO_ZERO_NANOS = -62_135_596_800n * NANOS_PER_SECOND;

/** t.Truncate(time.Microsecond): ory/pop's created_at/updated_at stamps. */
export const truncateMicroseconds = (ns: bigint): bigint => floorDiv(ns, 1000n) * 1000n;

/** t.Round(time.Second): halfway values round up. */
export const roundSecond = (ns: bigint): bigint => floorDiv(ns + NANOS_PER_SECOND / 2n, NANOS_PER_SECOND) * NANOS_PER_SECOND;

/**
 * RFC3339Nano of a JavaScript ISO text (`….mmmZ`) and the nanoseconds past
 * its millisecond; any other text (an invalid date's, an extended year's
 * without a fraction) is returned as it is. Written with slices rather than
 * a RegExp: every time in every answer (a whoami has a dozen) goes through
 * here.
 */
export function rfc3339NanoOfIso(iso: string, subMilliNanos: number): string {
  const dot = iso.length - 5;
  if (iso.charCodeAt(dot) !== 46 /* . */ || iso.charCodeAt(iso.length - 1) !== 90 /* Z */) return iso;
  const digits =
    subMilliNanos === 0 ? iso.slice(dot + 1, dot + 4) : `${iso.slice(dot + 1, dot + 4)}${String(subMilliNanos).padStart(6, "0")}`;
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48 /* 0 */) end--;
  return end === 0 ? `${iso.slice(0, dot)}Z` : `${iso.slice(0, dot)}.${digits.slice(0, end)}Z`;
}

/**
 * Time.MarshalJSON of the UTC instant; undefined for a year outside
 * 0–9999, which Go refuses to write ("Time.MarshalJSON: year outside of
 * range [0,9999]").
 */
export function goUtcJson(ns: bigint): string | undefined {
  const ms = floorDiv(ns, NANOS_PER_MS);
  const date = new Date(Number(ms));
  const year = date.getUTCFullYear();
  if (!Number.isFinite(date.getTime()) || year < 0 || year > 9999) return undefined;
  return rfc3339NanoOfIso(date.toISOString(), Number(ns - ms * NANOS_PER_MS));
}

/** goUtcJson of an instant known to be in Go's range: the clock's, a stored one. */
export function goUtcJsonInRange(ns: bigint): string {
  const text = goUtcJson(ns);
  if (text === undefined) throw new RangeError(`instant outside Go's JSON time range: ${ns}ns`);
  return text;
}

/** An instant as a JavaScript Date can hold it, plus the nanoseconds past its millisecond (0 … 999 999). */
export interface MilliInstant {
  epochMs: number;
  subMilliNanos: number;
}

const TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;

/**
 * A time as Postgres prints it (`2026-12-04 15:57:17.123456+00`, the
 * timestamptz text in the session's zone; JSON's `…T15:57:17.123456+00:00`)
 * or an RFC 3339 text, with all its fraction digits up to nanoseconds (more
 * are dropped, as Go's parser drops them). A text without a zone is UTC.
 * Undefined for anything else (infinity, BC years).
 */
export function parseTimeText(text: string): MilliInstant | undefined {
  const m = TIME_TEXT.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  let ms: number;
  if (year >= 100) {
    ms = Date.UTC(year, month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  } else {
    // Date.UTC reads years 0–99 as 1900–1999 (and 1900 is no leap year, where year 0 is one).
    const date = new Date(0);
    date.setUTCFullYear(year, month, Number(m[3]));
    date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
    ms = date.getTime();
  }
  const digits = m[7];
  const nanos = digits === undefined ? 0 : Number(digits.length >= 9 ? digits.slice(0, 9) : digits.padEnd(9, "0"));
  return { epochMs: ms - zoneOffsetMs(m[8]) + Math.floor(nanos / 1e6), subMilliNanos: nanos % 1e6 };
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === "Z" || zone === "+00") return 0;
  const digits = zone.slice(1).replace(/:/g, "");
  const seconds = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || "0") * 60 + Number(digits.slice(4, 6) || "0");
  return (zone.startsWith("-") ? -seconds : seconds) * 1000;
}

/**
 * The instant, in epoch nanoseconds, of a time text Go's strict RFC 3339
 * reading accepted (a decoded body's `created_at`: goRfc3339Error gave no
 * error), offset applied, digits past the ninth dropped; undefined for a
 * text it did not accept.
 */
export function goTimeNanos(text: string): bigint | undefined {
  if (!ACCEPTED_RFC3339.test(text)) return undefined;
  const instant = parseTimeText(text);
  return instant && BigInt(instant.epochMs) * NANOS_PER_MS + BigInt(instant.subMilliNanos);
}
