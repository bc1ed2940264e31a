/**
 * Child processes started as their own process group, so that stopping one
 * reaches everything it started too (`next dev` runs its server in a child
 * process of its own, which a signal to the parent alone could orphan).
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Signals the child's whole process group; a group that is already gone is not an error. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

export interface StopOptions {
  /** Sent first, to let each group shut down cleanly. */
  signal: NodeJS.Signals;
  /** After this long, what still runs gets SIGKILL. */
  graceMs: number;
}

/**
 * Signals every group and resolves once every child has exited; a child still
 * running after `graceMs` has its whole group killed. Returns the children
 * that needed SIGKILL (for a warning).
 */
export async function stopGroups(children: readonly ChildProcess[], { signal, graceMs }: StopOptions): Promise<ChildProcess[]> {
  const running = children.filter((child) => !hasExited(child));
  const exited = running.map((child) => new Promise<void>((resolve) => child.once("exit", () => resolve())));
  for (const child of running) signalGroup(child, signal);
  const killed: ChildProcess[] = [];
  const timer = setTimeout(() => {
    for (const child of running) {
      if (hasExited(child)) continue;
      killed.push(child);
      signalGroup(child, "SIGKILL");
    }
  }, graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
  // The leader is gone; anything it left in its group (a server it forked) goes with it.
  for (const child of running) signalGroup(child, "SIGKILL");
  return killed;
}

/** Last resort when this process exits without stopping its children (an uncaught error): kill their groups synchronously. */
export function killGroupsOnExit(children: readonly ChildProcess[]): void {
  process.on("exit", () => {
    for (const child of children) signalGroup(child, "SIGKILL");
  });
}
