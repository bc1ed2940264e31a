import { GCProfiler } from "node:v8";
import { describe, expect, it } from "vitest";
import { BatchedLookup } from "./batched-lookup";

interface GcEntry {
  gcType: string;
  beforeGC: { heapSpaceStatistics: { spaceName: string; spaceUsedSize: number }[] };
  afterGC: { heapSpaceStatistics: { spaceName: string; spaceUsedSize: number }[] };
}

const oldSpace = (stats: GcEntry["beforeGC"]) => stats.heapSpaceStatistics.find((s) => s.spaceName === "old_space")?.spaceUsedSize ?? 0;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A server answers each request from a batch and forgets it: a finished
 * batch's values must die young. Measured as what scavenges move into the old
 * generation while batches of 32 lookups (each answered with ~4 KB) run
 * back to back — the in-flight batch at most, never a growing share of all.
 */
describe("batched lookups leave nothing behind for the young-generation collector", () => {
  it("promotes next to nothing of finished batches", async () => {
    const lookup = new BatchedLookup<{ payload: number[] }>(
      (keys) => Promise.resolve(new Map(keys.map((key) => [key, { payload: Array.from({ length: 500 }, (_, i) => i) }]))),
      { maxBatch: 256, maxInFlight: 4 },
    );
    const profiler = new GCProfiler();
    profiler.start();
    let answered = 0;
    for (let round = 0; round < 3_000; round++) {
      const values = await Promise.all(Array.from({ length: 32 }, (_, i) => lookup.load(`${round}-${i}`)));
      answered += values.length;
      if (round % 7 === 0) await turn();
    }
    const entries = (profiler.stop()?.statistics ?? []) as unknown as GcEntry[];
    const scavenges = entries.filter((e) => e.gcType === "Scavenge");
    const promoted = scavenges.reduce((sum, e) => sum + Math.max(0, oldSpace(e.afterGC) - oldSpace(e.beforeGC)), 0);
    expect(answered).toBe(96_000);
    expect(scavenges.length).toBeGreaterThan(5);
    // ~400 MB of values went through; a retained chain of batches promotes tens of MB of them.
    expect(promoted).toBeLessThan(8 * 1024 * 1024);
    // 96,000 lookups take about a second on an idle core; the limit is for a machine shared with other suites.
  }, 60_000);
});
