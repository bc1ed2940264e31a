import { constants, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { GCProfiler } from "node:v8";

/**
 * What a stretch of load cost this process's garbage collector: young-
 * generation collections (scavenges) and their pauses — every request in
 * flight waits one out, so they make a server's latency tail — and the
 * bytes the JavaScript heap allocated. Unlike percentiles these barely move
 * with other load on the machine, so they compare runs on a busy one.
 */
export interface GcStats {
  scavenges: number;
  scavengeMs: number;
  /** The longest single scavenge pause. */
  maxScavengeMs: number;
  /** Mark-sweep/compact collections (their pauses are in `otherMs`). */
  fullGcs: number;
  otherMs: number;
  /** Bytes allocated on the V8 heap (what the collections reclaimed plus the growth in between); off-heap Buffers are not counted. */
  allocatedBytes: number;
}

export interface GcMeter {
  stop(): GcStats;
}

/**
 * Starts measuring this process's collections; `stop()` returns what happened
 * since. Pauses come from `gc` performance entries, which cost nothing inside
 * the pause; `allocation: true` also counts the heap bytes allocated, through
 * V8's GC profiler — which reads every heap space's statistics inside each
 * pause and so lengthens it (measured: ~0.7 ms to ~1.5 ms per scavenge here):
 * use it on rounds whose latency is not reported.
 */
export function startGcMeter(options: { allocation?: boolean } = {}): GcMeter {
  const entries: GcEntry[] = [];
  const record = (list: readonly PerformanceEntry[]) => {
    for (const entry of list) {
      entries.push({ gcType: GC_KINDS.get(gcKind(entry)) ?? "Other", cost: entry.duration * 1000 });
    }
  };
  const observer = new PerformanceObserver((list) => record(list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  const profiler = options.allocation ? new GCProfiler() : undefined;
  const usedAtStart = process.memoryUsage().heapUsed;
  profiler?.start();
  return {
    stop() {
      const usedAtEnd = process.memoryUsage().heapUsed;
      // Entries are delivered after the pause, asynchronously: take the ones not yet delivered too.
      record(observer.takeRecords());
      const profiled = (profiler?.stop()?.statistics ?? []) as GcEntry[];
      observer.disconnect();
      const stats = summarise(profiler ? profiled : entries, usedAtStart, usedAtEnd);
      if (!profiler) stats.allocatedBytes = Number.NaN;
      return stats;
    },
  };
}

/** A `gc` entry's `detail.kind` (0 when absent). */
function gcKind(entry: PerformanceEntry): number {
  const detail: unknown = "detail" in entry ? entry.detail : undefined;
  return typeof detail === "object" && detail !== null && "kind" in detail && typeof detail.kind === "number" ? detail.kind : 0;
}

/** perf_hooks' NODE_PERFORMANCE_GC_* kinds, named as V8's GC profiler names them. */
const GC_KINDS = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MINOR, "Scavenge"],
  [constants.NODE_PERFORMANCE_GC_MAJOR, "MarkSweepCompact"],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, "IncrementalMarking"],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, "ProcessWeakCallbacks"],
]);

interface GcEntry {
  gcType: string;
  /** Microseconds. */
  cost: number;
  /** Present in the GC profiler's entries only. */
  beforeGC?: { heapStatistics: { usedHeapSize: number } };
  afterGC?: { heapStatistics: { usedHeapSize: number } };
}

/** Allocation is what each collection found in use beyond what the previous one left, plus the growth after the last. */
export function summarise(entries: readonly GcEntry[], usedAtStart: number, usedAtEnd: number): GcStats {
  const stats: GcStats = { scavenges: 0, scavengeMs: 0, maxScavengeMs: 0, fullGcs: 0, otherMs: 0, allocatedBytes: 0 };
  let used = usedAtStart;
  for (const entry of entries) {
    if (entry.beforeGC && entry.afterGC) {
      stats.allocatedBytes += Math.max(0, entry.beforeGC.heapStatistics.usedHeapSize - used);
      used = entry.afterGC.heapStatistics.usedHeapSize;
    }
    const ms = entry.cost / 1000;
    if (entry.gcType === "Scavenge" || entry.gcType === "MinorMarkSweep") {
      stats.scavenges++;
      stats.scavengeMs += ms;
      stats.maxScavengeMs = Math.max(stats.maxScavengeMs, ms);
    } else {
      if (entry.gcType === "MarkSweepCompact") stats.fullGcs++;
      stats.otherMs += ms;
    }
  }
  stats.allocatedBytes += Math.max(0, usedAtEnd - used);
  return stats;
}

/** One line: scavenges and their pause per 10,000 requests, the longest pause, and heap bytes allocated per request. */
export function describeGc(stats: GcStats, requests: number): string {
  const per10k = 10_000 / Math.max(1, requests);
  return (
    `GC per 10,000 requests: ${(stats.scavenges * per10k).toFixed(1)} scavenges, ${(stats.scavengeMs * per10k).toFixed(1)} ms paused ` +
    `(longest ${stats.maxScavengeMs.toFixed(2)} ms; full GCs ${stats.fullGcs}, ${stats.otherMs.toFixed(1)} ms other)` +
    (Number.isNaN(stats.allocatedBytes)
      ? ""
      : `; heap allocated ${(stats.allocatedBytes / Math.max(1, requests) / 1024).toFixed(2)} KiB/request`)
  );
}
