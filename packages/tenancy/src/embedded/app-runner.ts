import { join } from "node:path";
import { IDLE_GC_MODULE } from "@olympus/server-kit/node-flags";
import { preparedStandaloneServer, standaloneDir as standaloneDirOf } from "@olympus/devstack/next-standalone";
import type { App } from "./app-env";
import { LEAN_NODE_FLAGS } from "./files";
import { REPO_ROOT } from "./repository";

/**
 * The node flags of a tenant's app processes, as measured with `npm run bench -w @olympus/tenancy` (README,
 * "Multi-tenant"): the lean flags of every embedded process with a 1 MB young generation and no V8 worker threads
 * (an idle tenant's collections are small; its pauses need no helpers), and the idle collection. Not --jitless nor
 * --lite-mode: both remove WebAssembly from Node, and with it fetch's HTTP parser, so an app could not call Kratos.
 */
export const APP_NODE_FLAGS: readonly string[] = [
  ...LEAN_NODE_FLAGS.filter((flag) => !flag.startsWith("--max-semi-space-size=") && !flag.startsWith("--v8-pool-size=")),
  "--max-semi-space-size=1",
  "--single-threaded",
  "--expose-gc",
  "--import",
  IDLE_GC_MODULE,
];

/** glibc's malloc keeps an arena per thread that ever allocated; two are plenty for one mostly idle event loop. */
export const APP_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };

/** Where the build's standalone server of `app` is (next.config's `output: "standalone"`). */
export function standaloneDir(app: App, repoRoot = REPO_ROOT): string {
  return standaloneDirOf(app, repoRoot);
}

/**
 * How one app of the shared build starts: its standalone server (Next's minimal server, without the CLI and the
 * build machinery `next start` loads — about 10 MB less per process) when the build has one, else `next start`
 * (a build from before `output: "standalone"`).
 * Either serves the same build: the domain comes from the environment only.
 */
export function appCommand(app: App, port: number, repoRoot = REPO_ROOT): { argv: string[]; cwd: string } {
  const server = preparedStandaloneServer(app, repoRoot);
  if (server) return { argv: [...APP_NODE_FLAGS, server], cwd: standaloneDir(app, repoRoot) };
  const next = join(repoRoot, "node_modules", "next", "dist", "bin", "next");
  // The standalone server reads PORT and HOSTNAME from the environment; `next start` would bind every interface.
  return { argv: [...APP_NODE_FLAGS, next, "start", "-p", String(port), "-H", "127.0.0.1"], cwd: join(repoRoot, "apps", app) };
}
