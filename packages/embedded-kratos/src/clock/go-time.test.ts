import { describe, expect, it } from "vitest";
import { now, nowMicroseconds } from "./clock";
import { GoTime, goTimeString, parseTimeText } from "./go-time";

// Go's time.Time MarshalJSON writes RFC3339Nano (time/format.go, RFC3339Nano
// "2006-01-02T15:04:05.999999999Z07:00"): trailing zeros of the fraction
// trimmed, no fraction for a whole second.
describe("GoTime (Go time.Time MarshalJSON, RFC3339Nano)", () => {
  const base = Date.UTC(2026, 11, 4, 12, 30, 16);

  it("trims the fraction as Go does", () => {
    expect(new GoTime(base).toISOString()).toBe("2026-12-04T12:30:16Z");
    expect(new GoTime(base + 40).toISOString()).toBe("2026-12-04T12:30:16.04Z");
    expect(new GoTime(base + 40, 123_000).toISOString()).toBe("2026-12-04T12:30:16.040123Z");
    expect(new GoTime(base + 40, 123_456).toISOString()).toBe("2026-12-04T12:30:16.040123456Z");
    expect(JSON.stringify({ t: new GoTime(base + 40, 123_000) })).toBe('{"t":"2026-12-04T12:30:16.040123Z"}');
    expect(goTimeString(new Date(base + 40))).toBe("2026-12-04T12:30:16.04Z");
  });

  it("truncates to microseconds (pop executors.go Create: nowFunc().Truncate(time.Microsecond)) and keeps nanoseconds on Add", () => {
    const t = new GoTime(base + 999, 999_999);
    expect(t.truncateMicroseconds().toISOString()).toBe("2026-12-04T12:30:16.999999Z");
    expect(t.add(1).toISOString()).toBe("2026-12-04T12:30:17.000999999Z");
    expect(t.roundSeconds().toISOString()).toBe("2026-12-04T12:30:17Z");
    expect(new GoTime(base + 499, 999_999).roundSeconds().toISOString()).toBe("2026-12-04T12:30:16Z");
    expect(t.truncateSeconds().toISOString()).toBe("2026-12-04T12:30:16Z");
    expect(t.toPostgres()).toBe("2026-12-04T12:30:16.999999Z");
  });

  it("reads Postgres' and RFC 3339 texts with all their digits (the text rules: @olympus/server-kit/clock)", () => {
    expect(parseTimeText("2026-12-04 12:30:16.040123+00")?.toISOString()).toBe("2026-12-04T12:30:16.040123Z");
    expect(parseTimeText("2026-12-04T17:00:16.123456789+04:30")?.toISOString()).toBe("2026-12-04T12:30:16.123456789Z");
    // time.Date's proleptic Gregorian calendar: year 0 is a leap year (Date.UTC would read it as 1900, which is not).
    expect(parseTimeText("0000-02-29 00:00:00")?.toISOString()).toBe("0000-02-29T00:00:00Z");
    expect(parseTimeText("infinity")).toBeUndefined();
  });

  it("has a clock with nanoseconds (time.Now) and pop's microsecond stamps", () => {
    const before = Date.now();
    const t = now();
    const after = Date.now();
    // Bracketed, not a tolerance: a loaded machine may pause between any two lines.
    expect(t.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(t.getTime()).toBeLessThanOrEqual(after + 1);
    const stamps = Array.from({ length: 20 }, () => now().subMilliNanos);
    // A millisecond clock would only ever give zero here.
    expect(stamps.some((n) => n % 1000 !== 0)).toBe(true);
    expect(nowMicroseconds().subMilliNanos % 1000).toBe(0);
  });
});
