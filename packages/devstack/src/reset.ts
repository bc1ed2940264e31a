import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { DevstackError } from "./errors";
import { clearStalePostmaster, isAlive } from "./postgres/cluster";
import { readState } from "./state";

/**
 * `npm run dev:reset`: deletes the data directory (Postgres cluster, mail,
 * logs) so the next `npm run dev` starts from a fresh cluster and re-seeds.
 * Refuses while a dev stack is using it.
 */
export async function resetDataDir(dataDir: string): Promise<"deleted" | "absent"> {
  if (!existsSync(dataDir)) return "absent";
  const state = readState(dataDir);
  if (state && isAlive(state.pid)) {
    throw new DevstackError("config", `a dev stack (pid ${state.pid}) is still running on ${dataDir}; stop it (Ctrl-C) before resetting`);
  }
  // A postmaster orphaned by a killed dev stack would keep writing into the folder.
  await clearStalePostmaster(path.join(dataDir, "postgres"));
  await rm(dataDir, { recursive: true, force: true });
  return "deleted";
}
