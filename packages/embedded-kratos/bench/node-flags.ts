import { spawnSync } from "node:child_process";
import { SERVER_NODE_FLAGS } from "@olympus/server-kit/node-flags";

/**
 * The bench's server runs with the node flags of the process that hosts the
 * embedded Kratos in development — the dev stack's backend (`npm run dev`
 * runs packages/devstack's `dev` script, which its test holds to
 * SERVER_NODE_FLAGS) — so the bench cannot drift from it. The young
 * generation's size decides how often a collection pauses every request in
 * flight, which is whoami's latency tail: a bench on Node's defaults would
 * measure a process nobody runs.
 */
const APPLIED = "OLYMPUS_BENCH_NODE_FLAGS_APPLIED";

/**
 * Runs `entry` again under the dev stack's flags unless this process already
 * is that run (then returns the flags); exits with the child's status.
 */
export function ensureDevstackFlags(entry: string): readonly string[] {
  if (process.env[APPLIED] === "1") return SERVER_NODE_FLAGS;
  const { status, signal } = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", entry], {
    stdio: "inherit",
    env: { ...process.env, [APPLIED]: "1" },
  });
  process.exit(status ?? (signal ? 1 : 0));
}
