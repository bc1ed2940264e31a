import { existsSync, lstatSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { App } from "./embedded-defaults";

/**
 * A built app's standalone server (next.config's `output: "standalone"`):
 * Next's minimal server, what the Docker images run. Everything that starts
 * a production build of an app — the e2e journeys, an embedded tenant — runs
 * this one, not `next start` (which warns that it does not serve this output).
 */

/** Where the build's standalone server of `app` is. */
export function standaloneDir(app: App, repoRoot: string): string {
  return join(repoRoot, "apps", app, ".next", "standalone", "apps", app);
}

/**
 * The standalone server's entry point, ready to run: it serves the build's
 * static files and public/ from its own folder, which the build leaves
 * without them (the Dockerfiles copy them in), so relative links to the
 * build's own are made once. Undefined when the build has no standalone
 * server (one from before `output: "standalone"`).
 *
 * The server reads PORT and HOSTNAME from its environment; HOSTNAME must be
 * set (a shell's HOSTNAME is the machine's name, and without one it binds
 * every interface).
 */
export function preparedStandaloneServer(app: App, repoRoot: string): string | undefined {
  const dir = standaloneDir(app, repoRoot);
  const server = join(dir, "server.js");
  if (!existsSync(server)) return undefined;
  const links: [string, string][] = [
    [join(dir, ".next", "static"), join(repoRoot, "apps", app, ".next", "static")],
    [join(dir, "public"), join(repoRoot, "apps", app, "public")],
  ];
  for (const [link, target] of links) {
    if (!existsSync(target)) continue;
    try {
      lstatSync(link);
    } catch {
      symlinkSync(relative(dirname(link), target), link, "dir");
    }
  }
  return server;
}
