/**
 * The faults the dev-stack fault runs inject, on the real processes a running
 * dev stack started: its postmaster and its mail catcher. Each stop is what an
 * operator or a crash would do from outside; each start brings the same
 * program back on the same data and port, owned by the caller from then on.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { startMailCatcher, type MailCatcher } from "../mail/catcher";
import { isAlive, waitForExit } from "../postgres/cluster";
import { startEmbeddedPostgres, type RunningPostgres } from "../postgres/server";
import { readState } from "../state";

/** The dev stack's data layout (see devstack.ts). */
export function dataPaths(dataDir: string) {
  return {
    postgres: path.join(dataDir, "postgres"),
    postgresLog: path.join(dataDir, "logs", "postgres.log"),
    mail: path.join(dataDir, "mail"),
    mailLog: path.join(dataDir, "logs", "mail-catcher.log"),
  };
}

/**
 * Stops the running postmaster of `dataDir`'s cluster the way `pg_ctl stop -m
 * fast` does (SIGINT: every session is terminated, open transactions roll
 * back) and waits until it has exited. Returns its pid.
 */
export async function stopPostmaster(dataDir: string): Promise<number> {
  const pidLine = (await readFile(path.join(dataPaths(dataDir).postgres, "postmaster.pid"), "utf8")).split("\n")[0] ?? "";
  const pid = Number.parseInt(pidLine, 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid))
    throw new Error(`no running postmaster for ${dataDir} (postmaster.pid says "${pidLine}")`);
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 30_000))) throw new Error(`postmaster ${pid} did not stop within 30 s`);
  return pid;
}

/** Starts PostgreSQL again on the same cluster and port, with the dev stack's own settings; resolves once it accepts connections. */
export function restartPostgres(dataDir: string, port: number): Promise<RunningPostgres> {
  const paths = dataPaths(dataDir);
  return startEmbeddedPostgres({ dataDir: paths.postgres, port, logFile: paths.postgresLog });
}

/** Stops the mail catcher child the dev stack started (SIGTERM, as `docker stop` would) and waits until it has exited. */
export async function stopMailCatcher(dataDir: string): Promise<number> {
  const pid = readState(dataDir)?.mailPid;
  if (pid === undefined || !isAlive(pid)) throw new Error(`no running mail catcher recorded in ${dataDir}`);
  process.kill(pid, "SIGTERM");
  if (!(await waitForExit(pid, 10_000))) throw new Error(`mail catcher ${pid} did not stop within 10 s`);
  return pid;
}

/** Starts the mail catcher again on the same ports and mail folder. */
export function restartMailCatcher(dataDir: string, ports: { smtp: number; inbox: number }): Promise<MailCatcher> {
  const paths = dataPaths(dataDir);
  return startMailCatcher({
    smtpPort: ports.smtp,
    webPort: ports.inbox,
    mailDirectory: paths.mail,
    logFile: paths.mailLog,
    buildDirectory: dataDir,
  });
}
