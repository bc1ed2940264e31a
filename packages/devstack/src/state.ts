import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { DevstackError } from "./errors";
import { isAlive } from "./postgres/cluster";

/**
 * `<dataDir>/devstack.json`: which dev stack owns this data directory and the
 * processes it started. It doubles as the lock that keeps two dev stacks off
 * one Postgres data directory, and lets tests check that nothing outlives a
 * stop.
 */
const stateSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  postgresPid: z.number().int().optional(),
  mailPid: z.number().int().optional(),
});
export type DevstackState = z.infer<typeof stateSchema>;

export function statePath(dataDir: string): string {
  return path.join(dataDir, "devstack.json");
}

export function readState(dataDir: string): DevstackState | undefined {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(statePath(dataDir), "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data directory for this process, refusing when another live dev stack holds it. */
export async function claimDataDir(dataDir: string): Promise<void> {
  const current = readState(dataDir);
  if (current && current.pid !== process.pid && isAlive(current.pid) && isNode(current.pid)) {
    throw new DevstackError(
      "config",
      `another dev stack (pid ${current.pid}) is running on ${dataDir}; stop it first (Ctrl-C in its terminal)`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  await writeState(dataDir, { pid: process.pid, startedAt: new Date().toISOString() });
}

export async function writeState(dataDir: string, state: DevstackState): Promise<void> {
  await writeFile(statePath(dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

export async function releaseDataDir(dataDir: string): Promise<void> {
  if (readState(dataDir)?.pid === process.pid) await rm(statePath(dataDir), { force: true });
}

function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]?.includes("node") ?? false;
  } catch {
    // No /proc (macOS): trust the pid.
    return true;
  }
}
