import { describe, expect, it } from "vitest";
import { parseGoDurationMs, parseGoDurationSeconds } from "./go-duration";

/** Go's time.ParseDuration (src/time/format.go) for the unsigned forms Ory configs use. */
describe("Go durations", () => {
  it("reads every unit and sums compound spans, in milliseconds", () => {
    expect(parseGoDurationMs("1h")).toBe(3_600_000);
    expect(parseGoDurationMs("1h30m")).toBe(5_400_000);
    expect(parseGoDurationMs("720h")).toBe(2_592_000_000);
    expect(parseGoDurationMs("500ms")).toBe(500);
    expect(parseGoDurationMs("1.5s")).toBe(1500);
    expect(parseGoDurationMs("2us")).toBeCloseTo(0.002);
    expect(parseGoDurationMs("2µs")).toBeCloseTo(0.002);
    expect(parseGoDurationMs("3ns")).toBeCloseTo(3e-6);
    expect(parseGoDurationMs("0")).toBe(0);
    expect(parseGoDurationMs(" 15m ")).toBe(900_000);
  });

  it("refuses malformed spans, and signs (Go takes them, no Ory setting does)", () => {
    for (const bad of ["", "1", "h", "1d", "1h 30m", "-1h", "1hx", "abc", "0x"]) expect(parseGoDurationMs(bad), bad).toBeUndefined();
  });

  it("rounds to whole seconds in the seconds variant", () => {
    expect(parseGoDurationSeconds("1h")).toBe(3600);
    expect(parseGoDurationSeconds("1500ms")).toBe(2);
    expect(parseGoDurationSeconds("10s")).toBe(10);
    expect(parseGoDurationSeconds("1ns")).toBe(0);
    expect(parseGoDurationSeconds("10")).toBeUndefined();
  });
});
