import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Domain } from "@olympus/runtime-config/config";

/** packages/devstack */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = path.resolve(PACKAGE_DIR, "..", "..");
export const PLATFORM_DIR = path.join(REPO_DIR, "platform");

/** `.olympus/` at the repo root: git-ignored, kept across restarts, wiped by `npm run dev:reset`. */
export const DEFAULT_DATA_DIR = path.join(REPO_DIR, ".olympus");

export type OryService = "kratos" | "hydra";

/** platform/dev/<domain>-<service>/<service>.yml — the same files Compose mounts. */
export function devConfigPath(domain: Domain, service: OryService): string {
  return path.join(PLATFORM_DIR, "dev", `${domain}-${service}`, `${service}.yml`);
}

/** A path as the README would show it: relative to the repo when it is inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(REPO_DIR, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
