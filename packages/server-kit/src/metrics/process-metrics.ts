import { readdirSync, readFileSync } from "node:fs";
import type { Family } from "./exposition";

/** When this process started, in Unix seconds (process_start_time_seconds). */
const startTimeSeconds = Date.now() / 1000 - process.uptime();

function openFileDescriptors(): number | undefined {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}

function maxFileDescriptors(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((entry) => entry.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * client_golang's process collector families that mean the same for a Node
 * process (CPU time, resident and virtual memory, open and maximum file
 * descriptors, start time). The go_* families (goroutines, Go's garbage
 * collector and heap) have no honest Node equivalent and are not served.
 */
export function processFamilies(): Family[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const families: Family[] = [
    {
      name: "process_cpu_seconds_total",
      help: "Total user and system CPU time spent in seconds.",
      type: "counter",
      samples: [{ suffix: "", labels: {}, value: (cpu.user + cpu.system) / 1e6 }],
    },
    {
      name: "process_resident_memory_bytes",
      help: "Resident memory size in bytes.",
      type: "gauge",
      samples: [{ suffix: "", labels: {}, value: memory.rss }],
    },
    {
      name: "process_start_time_seconds",
      help: "Start time of the process since unix epoch in seconds.",
      type: "gauge",
      samples: [{ suffix: "", labels: {}, value: startTimeSeconds }],
    },
  ];
  const open = openFileDescriptors();
  if (open !== undefined)
    families.push({
      name: "process_open_fds",
      help: "Number of open file descriptors.",
      type: "gauge",
      samples: [{ suffix: "", labels: {}, value: open }],
    });
  const max = maxFileDescriptors();
  if (max !== undefined)
    families.push({
      name: "process_max_fds",
      help: "Maximum number of open file descriptors.",
      type: "gauge",
      samples: [{ suffix: "", labels: {}, value: max }],
    });
  return families;
}
