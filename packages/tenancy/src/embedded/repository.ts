import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { App } from "./app-env";

/**
 * Where an embedded tenant's code comes from: this checkout. Kept apart from
 * the supervisor so that the CLI's commands (and its production image, which
 * has no dev stack) can start, stop and inspect tenants without loading it.
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const APPS: readonly App[] = ["hera", "athena"];

/** Which apps have no production build: `next start` needs apps/<app>/.next/BUILD_ID. */
export function unbuiltApps(repoRoot = REPO_ROOT): App[] {
  return APPS.filter((app) => !existsSync(join(repoRoot, "apps", app, ".next", "BUILD_ID")));
}
