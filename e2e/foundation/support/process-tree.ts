/**
 * A snapshot of a process tree from Linux's /proc, to tell afterwards whether
 * any of those processes still runs. A process is identified by pid and start
 * time, so a pid reused by a newcomer is not mistaken for a survivor.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTime: string;
  /** Zombies (state Z) have exited and only wait to be reaped. */
  zombie: boolean;
  command: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name in parentheses may itself contain spaces and parentheses: split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, ppid: Number(fields[1]), startTime: fields[19] ?? "", zombie: fields[0] === "Z", command };
  } catch {
    return undefined; // exited while we looked
  }
}

export function processTable(): ProcessEntry[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readEntry(Number(name)))
    .filter((entry): entry is ProcessEntry => entry !== undefined);
}

/** `root` and every live process below it. */
export function processTree(root: number): ProcessEntry[] {
  const table = processTable();
  const tree = table.filter((entry) => entry.pid === root && !entry.zombie);
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i]?.pid;
    tree.push(...table.filter((entry) => entry.ppid === parent && !entry.zombie));
  }
  return tree;
}

/** The entries of `snapshot` that still run (same pid, same start time, not a zombie). */
export function survivors(snapshot: readonly ProcessEntry[]): ProcessEntry[] {
  return snapshot.filter((entry) => {
    const now = readEntry(entry.pid);
    return now !== undefined && now.startTime === entry.startTime && !now.zombie;
  });
}

/** Kills whatever of `snapshot` still runs (cleanup after a failed test). */
export function killSurvivors(snapshot: readonly ProcessEntry[]): void {
  for (const entry of survivors(snapshot)) {
    try {
      process.kill(entry.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
