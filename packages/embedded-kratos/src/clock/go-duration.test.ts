import { describe, expect, it } from "vitest";
import { durationBetween, durationMinutes, goFixed, minutesText, since, until } from "./go-duration";
import { GoTime } from "./go-time";

// Go's time.Duration (time/time.go): Time.Sub in int64 nanoseconds, saturated; Duration.Minutes as
// float64(d/Minute) + float64(d%Minute)/60e9. fmt `%.2f` is strconv.FormatFloat(x, 'f', 2, 64), whose
// bigFtoa rounds the exact binary value, an exact half to even (strconv/decimal.go shouldRoundUp).
describe("Go time.Duration", () => {
  const base = Date.UTC(2026, 11, 4, 12, 30, 16);

  it("measures Time.Sub / time.Since / time.Until in nanoseconds, microseconds from Postgres included", () => {
    const at = new GoTime(base, 123_000);
    const now = new GoTime(base + 90_500, 456_789);
    expect(since(at, now)).toBe(90_500_333_789n);
    expect(until(at, now)).toBe(-90_500_333_789n);
    expect(durationBetween(new GoTime(8.64e15), new GoTime(-8.64e15))).toBe((1n << 63n) - 1n);
  });

  it("prints %.2f of Duration.Minutes with Go's rounding", () => {
    expect(minutesText(90_500_333_789n)).toBe("1.51");
    // 7.5 s is exactly 0.125 minutes: Go rounds the half to even, Number.toFixed up.
    expect(minutesText(7_500_000_000n)).toBe("0.12");
    expect(minutesText(37_500_000_000n)).toBe("0.62");
    expect(minutesText(22_500_000_000n)).toBe("0.38");
    expect(minutesText(52_500_000_000n)).toBe("0.88");
    expect(minutesText(-7_500_000_000n)).toBe("-0.12");
    expect(minutesText(-1n)).toBe("-0.00");
    expect(durationMinutes(17_280_000_000_000_001n)).toBe(288_000);
    expect(goFixed(0.005, 2)).toBe("0.01"); // 0.005 is a little above the half in binary
    expect(goFixed(2.675, 2)).toBe("2.67"); // a little below
    expect(goFixed(1e21, 2)).toBe("1000000000000000000000.00");
    expect(goFixed(5e-324, 2)).toBe("0.00");
  });
});
