import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appSelectionFlags, type AppSelection } from "./app-selection";
import { appIdleTimeoutFlags } from "./app-idle";
import { SERVER_NODE_FLAGS } from "@olympus/server-kit/node-flags";
import { EMBEDDED_LAYOUT } from "./files";
import { isAlive, readRunState, writeRunState, type RunState } from "./state";
import { REPO_ROOT } from "./repository";

const SUPERVISOR = fileURLToPath(new URL("./supervisor.ts", import.meta.url));

/**
 * Starts the tenant's supervisor detached (its own session, output to
 * logs/supervisor.log) and waits until it reports ready or failed. The
 * supervisor outlives the CLI; `stopEmbeddedTenant` ends it.
 */
export async function startEmbeddedTenant(
  root: string,
  name: string,
  options: { apps: AppSelection; appIdleTimeout?: string; timeoutMs?: number; onProgress?: (line: string) => void },
): Promise<RunState> {
  const directory = join(root, name);
  const running = await embeddedRunState(directory);
  if (running && (running.status === "ready" || running.status === "starting")) return running;
  const logDir = join(directory, EMBEDDED_LAYOUT.logs);
  mkdirSync(logDir, { recursive: true });
  const fd = openSync(join(logDir, "supervisor.log"), "a");
  const child = spawn(
    process.execPath,
    [
      // The supervisor hosts the tenant's embedded Kratos and Hydra: it runs as the dev stack's backend does.
      ...SERVER_NODE_FLAGS,
      "--import",
      "tsx",
      SUPERVISOR,
      root,
      name,
      ...appSelectionFlags(options.apps),
      ...appIdleTimeoutFlags(options.appIdleTimeout),
    ],
    {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ["ignore", fd, fd],
    },
  );
  closeSync(fd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error("the tenant's supervisor could not be started");
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const state = await readRunState(directory);
    if (state?.supervisorPid === pid && (state.status === "ready" || state.status === "failed")) return state;
    if (!isAlive(pid)) {
      return state?.supervisorPid === pid
        ? state
        : {
            status: "failed",
            supervisorPid: pid,
            processes: [],
            notes: ["the supervisor exited; see logs/supervisor.log"],
            updatedAt: new Date().toISOString(),
          };
    }
    if (Date.now() > deadline) {
      await stopEmbeddedTenant(root, name);
      throw new Error(`tenant ${name} did not start within ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s; see ${logDir}`);
    }
  }
}

/** The recorded state, with a supervisor that no longer runs reported as stopped. */
export async function embeddedRunState(directory: string): Promise<RunState | undefined> {
  const state = await readRunState(directory);
  if (!state) return undefined;
  if ((state.status === "ready" || state.status === "starting") && !isAlive(state.supervisorPid)) return { ...state, status: "stopped" };
  return state;
}

/** SIGTERM to the supervisor (it stops the apps, the servers, then Postgres), SIGKILL to its group after 40 s. */
export async function stopEmbeddedTenant(root: string, name: string): Promise<"stopped" | "not running"> {
  const directory = join(root, name);
  const state = await readRunState(directory);
  if (!state || !isAlive(state.supervisorPid)) return "not running";
  process.kill(state.supervisorPid, "SIGTERM");
  const deadline = Date.now() + 40_000;
  while (isAlive(state.supervisorPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isAlive(state.supervisorPid)) {
    for (const recorded of state.processes) if (isAlive(recorded.pid)) process.kill(recorded.pid, "SIGKILL");
    await writeRunState(directory, { ...state, status: "stopped" });
  }
  return "stopped";
}
