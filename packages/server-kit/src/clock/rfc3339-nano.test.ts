import { describe, expect, it } from "vitest";
import { GO_ZERO_NANOS, goTimeNanos, goUtcJson, parseTimeText, rfc3339NanoOfIso, roundSecond, truncateMicroseconds } from "./rfc3339-nano";

// Go's time package (time/format.go, time/time.go): Time.MarshalJSON writes RFC3339Nano
// ("2006-01-02T15:04:05.999999999Z07:00": trailing zeros of the fraction trimmed, years 0–9999),
// Round, Truncate, IsZero; the proleptic Gregorian calendar of time.Date (year 0 is a leap year).
describe("clock/rfc3339-nano", () => {
  const text = (instant: ReturnType<typeof parseTimeText>) =>
    instant && rfc3339NanoOfIso(new Date(instant.epochMs).toISOString(), instant.subMilliNanos);

  it("trims the fraction as Go does", () => {
    const iso = "2026-12-04T12:30:16.040Z";
    expect(rfc3339NanoOfIso("2026-12-04T12:30:16.000Z", 0)).toBe("2026-12-04T12:30:16Z");
    expect(rfc3339NanoOfIso(iso, 0)).toBe("2026-12-04T12:30:16.04Z");
    expect(rfc3339NanoOfIso(iso, 123_000)).toBe("2026-12-04T12:30:16.040123Z");
    expect(rfc3339NanoOfIso(iso, 123_456)).toBe("2026-12-04T12:30:16.040123456Z");
    expect(rfc3339NanoOfIso("2026-12-04T12:30:16.000Z", 1)).toBe("2026-12-04T12:30:16.000000001Z");
  });

  it("writes instants as Time.MarshalJSON of the UTC time", () => {
    expect(goUtcJson(goTimeNanos("2021-06-01T12:00:00.123456789+02:00") ?? 0n)).toBe("2021-06-01T10:00:00.123456789Z");
    expect(goUtcJson(goTimeNanos("2022-03-04T05:06:07.50-01:30") ?? 0n)).toBe("2022-03-04T06:36:07.5Z");
    expect(goUtcJson(goTimeNanos("0050-01-01T00:00:00Z") ?? 0n)).toBe("0050-01-01T00:00:00Z");
    expect(goUtcJson(goTimeNanos("1969-12-31T23:59:59.999999999Z") ?? 0n)).toBe("1969-12-31T23:59:59.999999999Z");
    expect(goUtcJson(GO_ZERO_NANOS)).toBe("0001-01-01T00:00:00Z");
    expect(goTimeNanos("0001-01-01T01:00:00+01:00")).toBe(GO_ZERO_NANOS);
  });

  it("has no text for a year outside 0–9999 (Time.MarshalJSON's error)", () => {
    expect(goUtcJson(goTimeNanos("0000-01-01T00:00:00+01:00") ?? 0n)).toBeUndefined();
    expect(goUtcJson(goTimeNanos("9999-12-31T23:30:00-01:00") ?? 0n)).toBeUndefined();
    expect(goUtcJson(goTimeNanos("0000-01-01T00:00:00Z") ?? 1n)).toBe("0000-01-01T00:00:00Z");
    expect(goUtcJson(10n ** 30n)).toBeUndefined();
  });

  it("rounds halfway up to the second and truncates to the microsecond, before 1970 too", () => {
    const at = (value: string) => goTimeNanos(value) ?? 0n;
    expect(goUtcJson(roundSecond(at("2020-01-01T00:00:00.5Z")))).toBe("2020-01-01T00:00:01Z");
    expect(goUtcJson(roundSecond(at("2020-01-01T00:00:00.499999999Z")))).toBe("2020-01-01T00:00:00Z");
    expect(goUtcJson(roundSecond(at("1960-01-01T00:00:00.5Z")))).toBe("1960-01-01T00:00:01Z");
    expect(goUtcJson(truncateMicroseconds(at("1960-01-01T00:00:00.123456789Z")))).toBe("1960-01-01T00:00:00.123456Z");
  });

  it("reads only what Go's strict RFC 3339 accepts into nanoseconds", () => {
    expect(goTimeNanos("2026-12-04 12:30:16Z")).toBeUndefined();
    expect(goTimeNanos("2026-12-04T12:30:16")).toBeUndefined();
    expect(goTimeNanos("1970-01-01T00:00:00.0000000019Z")).toBe(1n);
  });

  it("reads Postgres' and RFC 3339 texts with all their digits", () => {
    expect(text(parseTimeText("2026-12-04 12:30:16.040123+00"))).toBe("2026-12-04T12:30:16.040123Z");
    expect(text(parseTimeText("2026-12-04 14:30:16.5+02"))).toBe("2026-12-04T12:30:16.5Z");
    expect(text(parseTimeText("2026-12-04T12:30:16.040123+00:00"))).toBe("2026-12-04T12:30:16.040123Z");
    expect(text(parseTimeText("2026-12-04T17:00:16.123456789+04:30"))).toBe("2026-12-04T12:30:16.123456789Z");
    expect(text(parseTimeText("1969-12-31T23:59:59.999999999Z"))).toBe("1969-12-31T23:59:59.999999999Z");
    expect(text(parseTimeText("0001-01-01 00:00:00"))).toBe("0001-01-01T00:00:00Z");
    expect(parseTimeText("infinity")).toBeUndefined();
    expect(parseTimeText("0001-01-01 00:00:00 BC")).toBeUndefined();
  });

  it("reads years 0–99 as those years, year 0 a leap year (time.Date, not Date.UTC's 1900–1999)", () => {
    expect(text(parseTimeText("0050-03-01T00:00:00Z"))).toBe("0050-03-01T00:00:00Z");
    expect(text(parseTimeText("0004-02-29T23:00:00-02:00"))).toBe("0004-03-01T01:00:00Z");
    expect(text(parseTimeText("0000-02-29T00:00:00Z"))).toBe("0000-02-29T00:00:00Z");
    expect(goUtcJson(goTimeNanos("0000-02-29T12:00:00Z") ?? 0n)).toBe("0000-02-29T12:00:00Z");
  });
});
