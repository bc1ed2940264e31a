import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Domain } from "@olympus/sdk/config";

/** The platform/ folder: configs live here, beside this package's sources. */
export const PLATFORM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = path.resolve(PLATFORM_DIR, "..");

export type Stage = "dev" | "prod";
export type OryService = "kratos" | "hydra";

export function oryConfigPath(stage: Stage, domain: Domain, service: OryService): string {
  return path.join(PLATFORM_DIR, stage, `${domain}-${service}`, `${service}.yml`);
}

/**
 * Kratos config refers to schemas and templates as file:///etc/config/kratos/…,
 * where Compose mounts platform/dev/<domain>-kratos (for both stages).
 */
export function resolveKratosFileUrl(url: string, domain: Domain): string | undefined {
  const prefix = "file:///etc/config/kratos/";
  if (!url.startsWith(prefix)) return undefined;
  return path.join(PLATFORM_DIR, "dev", `${domain}-kratos`, url.slice(prefix.length));
}
