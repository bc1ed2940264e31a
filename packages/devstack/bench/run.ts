/**
 * npm run bench -w @olympus/devstack
 *
 * Starts the dev stack headless (backend only, free ports, a fresh data dir)
 * exactly as `npm run dev` does, and prints:
 *  - cold start: empty data dir (initdb, migrations, seeds) to "ready";
 *  - warm start: the same data dir again (what every later `npm run dev` costs);
 *  - memory at idle: the Postgres processes, the one Node process hosting the
 *    four Kratos/Hydra servers and the mail catcher, as RSS and as PSS (RSS
 *    counts Postgres' shared buffers and Node's own code once per process;
 *    PSS splits shared pages between the processes that map them, so PSS sums
 *    to real usage). Goal: the three together ≤ 200 MB PSS;
 *  - then, when the fixed ports are free, the root `npm run dev` itself from
 *    a fresh clone and warm (bench/dev-start.ts; `BENCH_DEV_START=0` skips it).
 */
import { readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { readState } from "../src/state";
import { freePorts, runCli, testOptions, type CliRun } from "../src/test-support";
import { describeDevStart, measureDevStart } from "./dev-start";

const GOAL_MB = 200;
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);

interface Memory {
  rssKb: number;
  pssKb: number;
}

function memoryOf(pid: number): Memory {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
  return { rssKb: field("Rss"), pssKb: field("Pss") };
}

function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return (
          readFileSync(`/proc/${entry}/stat`, "utf8")
            .replace(/^\d+ \(.*\) /, "")
            .split(" ")[1] === String(pid)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

function sum(pids: number[]): Memory {
  return pids.map(memoryOf).reduce((a, b) => ({ rssKb: a.rssKb + b.rssKb, pssKb: a.pssKb + b.pssKb }), { rssKb: 0, pssKb: 0 });
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0).padStart(4)} MB`;

async function timeToReady(env: Record<string, string>): Promise<{ run: CliRun; seconds: number }> {
  const started = process.hrtime.bigint();
  const run = runCli(env);
  await run.waitFor(/^ready$/m, 180_000);
  return { run, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function stop(run: CliRun): Promise<void> {
  run.child.kill("SIGINT");
  await run.exited;
}

const options = await testOptions();
const env = { OLYMPUS_DATA_DIR: options.dataDir, OLYMPUS_DEV_PORTS: JSON.stringify(await freePorts()), OLYMPUS_DEV_APPS: "0" };
try {
  const cold = await timeToReady(env);
  await stop(cold.run);
  const warm = await timeToReady(env);
  console.log(`cold start to ready (initdb, migrations, seeds)   ${cold.seconds.toFixed(1)} s`);
  console.log(`warm start to ready (data kept)                   ${warm.seconds.toFixed(1)} s`);

  await new Promise((r) => setTimeout(r, IDLE_MS));
  const state = readState(options.dataDir);
  const nodePid = warm.run.child.pid;
  if (!state?.postgresPid || !state.mailPid || nodePid === undefined) throw new Error("dev stack state incomplete");
  const postgresPids = [state.postgresPid, ...childrenOf(state.postgresPid)];
  const postgres = sum(postgresPids);
  const servers = memoryOf(nodePid);
  const mail = memoryOf(state.mailPid);
  const backend = { rssKb: postgres.rssKb + servers.rssKb, pssKb: postgres.pssKb + servers.pssKb };

  const total = { rssKb: backend.rssKb + mail.rssKb, pssKb: backend.pssKb + mail.pssKb };
  const banner = /Olympus dev stack — (ready in [^\n]*)/.exec(warm.run.stdout())?.[1];
  if (banner) console.log(`  warm start banner: ${banner}`);

  console.log(`\nmemory at idle (${IDLE_MS / 1000} s after ready)                      RSS       PSS`);
  console.log(
    `  PostgreSQL (${String(postgresPids.length).padStart(2)} processes)                      ${mb(postgres.rssKb)}   ${mb(postgres.pssKb)}`,
  );
  console.log(`  Node: CIAM+IAM Kratos and Hydra (1 process)       ${mb(servers.rssKb)}   ${mb(servers.pssKb)}`);
  console.log(`  mail catcher (SMTP + inbox, 1 process)            ${mb(mail.rssKb)}   ${mb(mail.pssKb)}`);
  console.log(`  together                                          ${mb(total.rssKb)}   ${mb(total.pssKb)}`);
  const met = total.pssKb / 1024 <= GOAL_MB;
  console.log(
    `\nbackend + Postgres + mail catcher at idle: ${(total.pssKb / 1024).toFixed(0)} MB PSS — goal ≤ ${GOAL_MB} MB: ${met ? "met" : "NOT met"} (RSS sum ${(total.rssKb / 1024).toFixed(0)} MB)`,
  );
  await stop(warm.run);
} finally {
  await rm(options.dataDir, { recursive: true, force: true });
}

if (process.env.BENCH_DEV_START !== "0") {
  console.log("");
  for (const line of describeDevStart(await measureDevStart())) console.log(line);
}
