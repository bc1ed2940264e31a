import { describe, expect, it } from "vitest";
import { describeGc, startGcMeter, summarise } from "./gc-stats";

const entry = (gcType: string, costUs: number, before: number, after: number) => ({
  gcType,
  cost: costUs,
  beforeGC: { heapStatistics: { usedHeapSize: before } },
  afterGC: { heapStatistics: { usedHeapSize: after } },
});

describe("GC figures of a bench round", () => {
  it("counts scavenges apart from full collections and adds up what each collection found allocated", () => {
    const stats = summarise(
      [entry("Scavenge", 2000, 1_500, 400), entry("MarkSweepCompact", 9000, 900, 300), entry("Scavenge", 4000, 1_300, 500)],
      1_000,
      800,
    );
    expect(stats).toEqual({
      scavenges: 2,
      scavengeMs: 6,
      maxScavengeMs: 4,
      fullGcs: 1,
      otherMs: 9,
      allocatedBytes: 500 + 500 + 1_000 + 300,
    });
    expect(describeGc(stats, 20_000)).toContain("1.0 scavenges, 3.0 ms paused (longest 4.00 ms");
  });

  it("sees this process's own collections, and with the profiler on its allocation", () => {
    const meter = startGcMeter({ allocation: true });
    let keep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) keep = i % 1000 === 0 ? [] : [...keep.slice(-10), { i }];
    const stats = meter.stop();
    expect(keep.length).toBeGreaterThan(0);
    expect(stats.scavenges).toBeGreaterThan(0);
    expect(stats.allocatedBytes).toBeGreaterThan(1_000_000);
  });

  it("counts pauses without the profiler, leaving allocation unmeasured", async () => {
    const meter = startGcMeter();
    let keep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) keep = i % 1000 === 0 ? [] : [...keep.slice(-10), { i }];
    await new Promise((resolve) => setImmediate(resolve));
    const stats = meter.stop();
    expect(keep.length).toBeGreaterThan(0);
    expect(stats.scavenges).toBeGreaterThan(0);
    expect(Number.isNaN(stats.allocatedBytes)).toBe(true);
    expect(describeGc(stats, 1000)).not.toContain("allocated");
  });
});
