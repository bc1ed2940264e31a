import { describe, expect, it } from "vitest";
import { GO_ZERO_NANOS, goTimeNanos, goUtcJson, roundSecond, truncateMicroseconds } from "./go-time";

// Go's time package: Time.MarshalJSON (RFC 3339, trailing zeros trimmed, years 0–9999), Round, Truncate, IsZero.
describe("clients/go-time", () => {
  it("writes instants as Time.MarshalJSON of the UTC time", () => {
    expect(goUtcJson(goTimeNanos("2021-06-01T12:00:00.123456789+02:00") ?? 0n)).toBe("2021-06-01T10:00:00.123456789Z");
    expect(goUtcJson(goTimeNanos("2022-03-04T05:06:07.50-01:30") ?? 0n)).toBe("2022-03-04T06:36:07.5Z");
    expect(goUtcJson(goTimeNanos("0050-01-01T00:00:00Z") ?? 0n)).toBe("0050-01-01T00:00:00Z");
    expect(goUtcJson(GO_ZERO_NANOS)).toBe("0001-01-01T00:00:00Z");
    expect(goTimeNanos("0001-01-01T01:00:00+01:00")).toBe(GO_ZERO_NANOS);
  });

  it("has no text for a year outside 0–9999 (Time.MarshalJSON's error)", () => {
    expect(goUtcJson(goTimeNanos("0000-01-01T00:00:00+01:00") ?? 0n)).toBeUndefined();
    expect(goUtcJson(goTimeNanos("9999-12-31T23:30:00-01:00") ?? 0n)).toBeUndefined();
    expect(goUtcJson(goTimeNanos("0000-01-01T00:00:00Z") ?? 1n)).toBe("0000-01-01T00:00:00Z");
  });

  it("rounds halfway up to the second and truncates to the microsecond, before 1970 too", () => {
    const at = (text: string) => goTimeNanos(text) ?? 0n;
    expect(goUtcJson(roundSecond(at("2020-01-01T00:00:00.5Z")))).toBe("2020-01-01T00:00:01Z");
    expect(goUtcJson(roundSecond(at("2020-01-01T00:00:00.499999999Z")))).toBe("2020-01-01T00:00:00Z");
    expect(goUtcJson(roundSecond(at("1960-01-01T00:00:00.5Z")))).toBe("1960-01-01T00:00:01Z");
    expect(goUtcJson(truncateMicroseconds(at("1960-01-01T00:00:00.123456789Z")))).toBe("1960-01-01T00:00:00.123456Z");
  });
});
