import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { DevstackError, throwIfAborted } from "../errors";
import { whenAborted } from "../wait";
import { postgresBinaries, type RunAs } from "./binaries";

export const SUPERUSER = "postgres";
/** Development only (the same as docker-compose.dev.yml); the embedded server listens on 127.0.0.1 alone. */
export const SUPERUSER_PASSWORD = "postgres_dev_password";

/**
 * Creates the cluster in `dataDir` unless it already holds one. initdb runs in
 * a sibling folder that is renamed into place when complete, so an initdb cut
 * short by Ctrl-C leaves nothing that looks like a cluster.
 */
export async function ensureCluster(
  dataDir: string,
  runAs: RunAs | undefined,
  signal?: AbortSignal,
  superuserPassword = SUPERUSER_PASSWORD,
): Promise<"created" | "reused"> {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return "reused";
  if (existsSync(dataDir)) {
    throw new DevstackError(
      "postgres",
      `Postgres cannot start: ${dataDir} exists but is not a PostgreSQL data directory; remove it (npm run dev:reset) and start again`,
    );
  }
  const { initdb } = await postgresBinaries();
  const staging = `${dataDir}.initdb`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(staging, "..", `.pg-superuser-password-${process.pid}`);
  await writeFile(passwordFile, `${superuserPassword}\n`, { mode: 0o600 });
  if (runAs) {
    // The postgres user must be able to traverse our data folder (mkdtemp and umask 077 make it 0700).
    const parent = path.dirname(dataDir);
    await chmod(parent, (await stat(parent)).mode | 0o711);
    await chown(staging, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    const args = [
      `--pgdata=${staging}`,
      "--auth=scram-sha-256",
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      "--encoding=UTF8",
      "--no-locale",
      "--no-instructions",
    ];
    await runToCompletion(initdb, args, runAs, signal);
  } finally {
    await rm(passwordFile, { force: true });
  }
  throwIfAborted(signal);
  await rename(staging, dataDir);
  return "created";
}

function runToCompletion(file: string, args: string[], runAs: RunAs | undefined, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, so an interruption can stop initdb together with the postgres it runs.
    const child = spawn(file, args, {
      ...runAs,
      detached: true,
      env: { ...process.env, LC_ALL: "C" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const group = child.pid;
    const onAbort = () => {
      if (group !== undefined) signalGroup(group, "SIGTERM");
    };
    const unsubscribe = whenAborted(signal, onAbort);
    child.on("error", (error) => reject(new DevstackError("postgres", `Postgres cannot start: initdb failed: ${error.message}`)));
    child.on("close", (code, killedBy) => {
      unsubscribe();
      if (code === 0) resolve();
      else if (signal?.aborted) {
        void (group === undefined ? Promise.resolve() : waitForGroupExit(group, 10_000)).then(() =>
          reject(new DevstackError("aborted", "start-up interrupted")),
        );
      } else {
        const hint = /Permission denied/.test(stderr)
          ? " (the postgres system user cannot reach the data directory: set OLYMPUS_DATA_DIR to a folder it can traverse)"
          : "";
        reject(
          new DevstackError(
            "postgres",
            `Postgres cannot start: initdb failed (${killedBy ?? `exit ${code}`})${hint}: ${lastLines(stderr)}`,
          ),
        );
      }
    });
  });
}

function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitForGroupExit(group: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(group, 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  signalGroup(group, "SIGKILL");
}

/**
 * A devstack killed with SIGKILL (or a crashed terminal) leaves its postmaster
 * running and `postmaster.pid` behind. A live postmaster of this very data
 * directory is stopped; a pid file naming a dead or unrelated process is
 * removed. Returns what it found, for the progress line.
 */
export async function clearStalePostmaster(dataDir: string): Promise<"none" | "removed-stale-pid" | "stopped-orphan"> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let content: string;
  try {
    content = await readFile(pidFile, "utf8");
  } catch {
    return "none";
  }
  const [pidLine, dirLine] = content.split("\n");
  const pid = Number.parseInt(pidLine ?? "", 10);
  if (Number.isInteger(pid) && pid > 0 && (await isPostmasterOf(pid, dirLine ?? dataDir))) {
    process.kill(pid, "SIGINT");
    if (!(await waitForExit(pid, 15_000))) {
      process.kill(pid, "SIGQUIT");
      if (!(await waitForExit(pid, 5_000))) {
        throw new DevstackError(
          "postgres",
          `Postgres cannot start: an earlier postmaster (pid ${pid}) of ${dataDir} does not stop; stop it and start again`,
        );
      }
    }
    return "stopped-orphan";
  }
  await rm(pidFile, { force: true });
  return "removed-stale-pid";
}

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
    return path.basename(cmdline[0] ?? "") === "postgres" && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) || isZombie(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

function isZombie(pid: number): boolean {
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z = exited, not yet reaped by its parent.
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

export function lastLines(text: string, count = 5): string {
  return text.trim().split("\n").slice(-count).join(" | ");
}
