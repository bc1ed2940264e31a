/**
 * `npm run dev` for one Next.js app: starts its CIAM and IAM dev servers side
 * by side from the same source, each with only its own domain's environment
 * (embedded-stack defaults) and its own dist dir. Ctrl-C stops both.
 *
 *   tsx scripts/dev-app.ts hera|athena
 */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { DOMAINS, SERVICE_PORTS } from "@olympus/runtime-config/config";
import type { App } from "@olympus/devstack/defaults";
import { NEXT_DEV_STOP_GRACE_MS, nextDevEnv } from "@olympus/devstack/next-dev";
import { killGroupsOnExit, spawnGroup, stopGroups } from "./lib/process-groups";

/**
 * A stop waits for each `next dev` to write its Turbopack cache (so the next
 * start is warm); a dev server still running after this is wedged and gets
 * SIGKILL, group and all, so Ctrl-C never leaves one holding its port.
 */
const STOP_GRACE_MS = NEXT_DEV_STOP_GRACE_MS;

/** Browsers reach the apps as ciam.localhost / iam.localhost, which resolve to loopback. */
const DEV_HOSTNAME = "127.0.0.1";

const app = process.argv[2];
if (app !== "hera" && app !== "athena") {
  console.error("usage: tsx scripts/dev-app.ts hera|athena");
  process.exit(2);
}
const appDir = path.resolve(import.meta.dirname, "..", "apps", app);
const nextBin = path.resolve(import.meta.dirname, "..", "node_modules", "next", "dist", "bin", "next");

let stopping: Promise<void> | undefined;
/** Stops both dev servers (each with everything it started), waits for them, then exits with `code`. */
function stop(code: number, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  stopping ??= stopGroups(children, { signal, graceMs: STOP_GRACE_MS }).then((killed) => {
    for (const child of killed) console.error(`[${app}] pid ${child.pid} did not stop within ${STOP_GRACE_MS / 1000} s; killed`);
    process.exit(code);
  });
  return stopping;
}

const children: ChildProcess[] = DOMAINS.map((domain) => {
  const port = SERVICE_PORTS[domain][app as App];
  // OLYMPUS_DEV_DIST_DIR_PREFIX: the dev-start bench's fresh build caches, apart from a developer's own.
  const env = nextDevEnv(process.env, { domain, app: app as App, port, distDirPrefix: process.env.OLYMPUS_DEV_DIST_DIR_PREFIX });
  // Its own process group: Ctrl-C reaches it through this script, and a stop reaches the server `next dev` forks.
  // Loopback only, like the Ory servers: without --hostname `next dev` listens on every interface, serving the app to the whole network.
  const child = spawnGroup(process.execPath, [nextBin, "dev", "--port", String(port), "--hostname", DEV_HOSTNAME], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tag = `[${app}:${domain}] `;
  const relay = (stream: NodeJS.WritableStream) => (chunk: Buffer) => stream.write(chunk.toString().replace(/^(?=.)/gm, tag));
  child.stdout?.on("data", relay(process.stdout));
  child.stderr?.on("data", relay(process.stderr));
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${tag}exited with ${signal ?? `code ${code}`}; stopping ${app}`);
      void stop(code || 1);
    }
  });
  return child;
});
killGroupsOnExit(children);

// Registered before anything awaits: tsx relays Ctrl-C here and only waits for us if we handle it.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => void stop(0, signal === "SIGHUP" ? "SIGTERM" : signal));
