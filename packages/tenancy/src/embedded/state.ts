import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { EMBEDDED_LAYOUT } from "./files";

export const processSchema = z.object({ name: z.string(), pid: z.number().int(), log: z.string() });
/** One app's place in its sleep cycle (app-gate.ts), as the supervisor last wrote it. */
export const appStateSchema = z.object({
  phase: z.enum(["sleeping", "starting", "awake", "stopping", "crashed", "failed"]),
  pid: z.number().int().positive().optional(),
  /** The app's own server (127.0.0.1), where a status check asks without counting as a visit. */
  port: z.number().int(),
  detail: z.string().optional(),
  since: z.string(),
});
export const runStateSchema = z.object({
  status: z.enum(["starting", "ready", "failed", "stopped"]),
  /** The supervisor: it owns every other process, and stopping it stops them. */
  supervisorPid: z.number().int(),
  processes: z.array(processSchema),
  /** Why the start failed, or which apps were not started (not built). */
  notes: z.array(z.string()),
  /** Each started app (`ciam-hera`, …) by name; its process, while it has one, is also in `processes`. */
  apps: z.record(z.string(), appStateSchema).optional(),
  updatedAt: z.string(),
});
export type RunState = z.infer<typeof runStateSchema>;
export type AppState = z.infer<typeof appStateSchema>;
export type RecordedProcess = z.infer<typeof processSchema>;

export function statePath(directory: string): string {
  return join(directory, EMBEDDED_LAYOUT.state);
}

export async function readRunState(directory: string): Promise<RunState | undefined> {
  try {
    return runStateSchema.parse(JSON.parse(await readFile(statePath(directory), "utf8")));
  } catch {
    return undefined;
  }
}

export async function writeRunState(directory: string, state: Omit<RunState, "updatedAt">): Promise<void> {
  const file = statePath(directory);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
