import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The bench's server runs with the node flags of the process that hosts the
 * embedded Kratos in development — the dev stack's backend (`npm run dev`
 * runs packages/devstack's `dev` script) — read from that script, so the
 * bench cannot drift from it. The young generation's size decides how often
 * a collection pauses every request in flight, which is whoami's latency
 * tail: a bench on Node's defaults would measure a process nobody runs.
 */
const DEVSTACK_PACKAGE = fileURLToPath(new URL("../../devstack/package.json", import.meta.url));
const APPLIED = "OLYMPUS_BENCH_NODE_FLAGS_APPLIED";

/** The node options of a `node <options> --import tsx <entry>` script line: every `--flag` before `--import`. */
export function nodeFlagsOf(script: string): string[] {
  const words = script.trim().split(/\s+/);
  if (words[0] !== "node") throw new Error(`expected a "node ..." script, got: ${script}`);
  const flags: string[] = [];
  for (const word of words.slice(1)) {
    if (word === "--import" || !word.startsWith("--")) break;
    flags.push(word);
  }
  return flags;
}

export function devstackServerFlags(): string[] {
  const pkg = JSON.parse(readFileSync(DEVSTACK_PACKAGE, "utf8")) as { scripts?: Record<string, string> };
  return nodeFlagsOf(pkg.scripts?.dev ?? "");
}

/**
 * Runs `entry` again under the dev stack's flags unless this process already
 * is that run (then returns the flags); exits with the child's status.
 */
export function ensureDevstackFlags(entry: string): string[] {
  const flags = devstackServerFlags();
  if (process.env[APPLIED] === "1") return flags;
  const { status, signal } = spawnSync(process.execPath, [...flags, "--import", "tsx", entry], {
    stdio: "inherit",
    env: { ...process.env, [APPLIED]: "1" },
  });
  process.exit(status ?? (signal ? 1 : 0));
}
