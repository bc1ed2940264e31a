import { describe, expect, it, vi } from "vitest";
import { nowNanos } from "./now";

// Go's time.Now() (time/time.go): the wall clock with nanoseconds.
describe("clock/now", () => {
  it("follows the wall clock with nanoseconds", () => {
    const before = Date.now();
    const ns = nowNanos();
    const after = Date.now();
    // Bracketed, not a tolerance: a loaded machine may pause between any two lines.
    expect(ns).toBeGreaterThanOrEqual(BigInt(before - 1) * 1_000_000n);
    expect(ns).toBeLessThanOrEqual(BigInt(after + 2) * 1_000_000n);
    const stamps = Array.from({ length: 20 }, () => nowNanos() % 1_000_000n);
    // A millisecond clock would only ever give zero here.
    expect(stamps.some((n) => n % 1000n !== 0n)).toBe(true);
  });

  it("follows a step of the wall clock (Date.now()), not the start-up origin of performance.now()", () => {
    const stepped = Date.now() - 5_000;
    const spy = vi.spyOn(Date, "now").mockReturnValue(stepped);
    try {
      const ms = Number(nowNanos() / 1_000_000n);
      expect(Math.abs(ms - stepped)).toBeLessThanOrEqual(1);
    } finally {
      spy.mockRestore();
    }
    expect(Math.abs(Number(nowNanos() / 1_000_000n) - Date.now())).toBeLessThanOrEqual(1);
  });
});
