import { readdir, readFile } from "node:fs/promises";

/**
 * Proportional set size of one process (kB), from /proc/<pid>/smaps_rollup, and its parts: anonymous memory (the
 * process' own heap and stacks) and file-backed pages (the node binary, shared libraries), which PSS divides between
 * every process mapping the same file. Undefined when the process is gone or unreadable.
 */
export async function pssParts(pid: number): Promise<{ pssKb: number; anonKb: number; fileKb: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(text)?.[1] ?? Number.NaN);
    const parts = { pssKb: field("Pss"), anonKb: field("Pss_Anon"), fileKb: field("Pss_File") };
    return Number.isNaN(parts.pssKb) ? undefined : parts;
  } catch {
    return undefined;
  }
}

export async function pssKb(pid: number): Promise<number | undefined> {
  return (await pssParts(pid))?.pssKb;
}

/** Every live process descended from `roots` (roots included), from /proc's parent links. */
export async function processTree(roots: readonly number[]): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces or parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we listed /proc.
    }
  }
  const tree = new Set(roots.filter((pid) => parents.has(pid)));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
  }
  return [...tree].sort((a, b) => a - b);
}

/** The PSS of the whole tree (kB): shared pages counted once across it, as PSS splits them between sharers. */
export async function treePssKb(
  roots: readonly number[],
): Promise<{ totalKb: number; processes: { pid: number; pssKb: number; anonKb: number; fileKb: number }[] }> {
  const processes: { pid: number; pssKb: number; anonKb: number; fileKb: number }[] = [];
  for (const pid of await processTree(roots)) {
    const parts = await pssParts(pid);
    if (parts !== undefined) processes.push({ pid, ...parts });
  }
  return { totalKb: processes.reduce((sum, p) => sum + p.pssKb, 0), processes };
}
