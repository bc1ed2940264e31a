import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Domain } from "@olympus/runtime-config/config";

/** The platform/ folder: configs live here, beside this package's sources. */
export const PLATFORM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = path.resolve(PLATFORM_DIR, "..");

export type Stage = "dev" | "prod";
export type OryService = "kratos" | "hydra";

export function oryConfigPath(stage: Stage, domain: Domain, service: OryService): string {
  return path.join(PLATFORM_DIR, stage, `${domain}-${service}`, `${service}.yml`);
}

/**
 * Where Compose mounts what a Kratos config refers to as file:// URLs:
 * platform/dev/<domain>-kratos at /etc/config/kratos/ (identity schemas, and
 * development's mail templates) for both stages, and platform/prod/<domain>-kratos
 * at /etc/config/kratos-prod/ (production's own kratos.yml and mail templates).
 */
export const KRATOS_MOUNTS: readonly { containerDir: string; stage: Stage }[] = [
  { containerDir: "/etc/config/kratos/", stage: "dev" },
  { containerDir: "/etc/config/kratos-prod/", stage: "prod" },
];

/** The platform file a Kratos config's file:///etc/config/kratos{,-prod}/… URL names, or undefined for any other URL. */
export function resolveKratosFileUrl(url: string, domain: Domain): string | undefined {
  for (const { containerDir, stage } of KRATOS_MOUNTS) {
    const prefix = `file://${containerDir}`;
    if (url.startsWith(prefix)) return path.join(PLATFORM_DIR, stage, `${domain}-kratos`, url.slice(prefix.length));
  }
  return undefined;
}
