import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import { rewriteExampleHosts } from "./hosts";
import { withControlPlaneClient } from "./machine-client";
import { hasIam, type Domain, type Tenant } from "./tenant";

/** The checkout's platform/ folder (production Compose file, Ory configs, Postgres init). */
export const DEFAULT_PLATFORM_DIR = fileURLToPath(new URL("../../../platform", import.meta.url));

export interface PlatformFile {
  /** Relative to the tenant's directory, with "/" separators. */
  path: string;
  content: string;
}

async function walk(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? walk(join(directory, entry.name)) : Promise.resolve([join(directory, entry.name)]))),
  );
  return files.flat().sort();
}

/** The production config folders a tenant needs: each of its domains' Kratos, Hydra and Hera. */
export function configFolders(tenant: Pick<Tenant, "domains">): string[] {
  const domains: Domain[] = hasIam(tenant) ? ["ciam", "iam"] : ["ciam"];
  return domains.flatMap((domain) => ["kratos", "hydra", "hera"].map((service) => `${domain}-${service}`));
}

/**
 * The tenant's copies of platform/prod's config files with the example hosts
 * rewritten to the tenant's (every Ory config names its public URLs), plus
 * the OAuth2 clients file when the tenant's own IAM bootstraps them (with
 * the control plane's machine client added).
 */
export async function tenantConfigFiles(
  tenant: Pick<Tenant, "name" | "parentDomain" | "domains">,
  platformDir = DEFAULT_PLATFORM_DIR,
): Promise<PlatformFile[]> {
  const prod = join(platformDir, "prod");
  const sources = (await Promise.all(configFolders(tenant).map((folder) => walk(join(prod, folder))))).flat();
  if (hasIam(tenant)) sources.push(join(prod, "oauth2-clients.yml"));
  return Promise.all(
    sources.map(async (source) => {
      const path = relative(prod, source).split("\\").join("/");
      const content = rewriteExampleHosts(await readFile(source, "utf8"), tenant);
      // The bootstrap registers the control plane's machine client with Athena's.
      return { path, content: path === "oauth2-clients.yml" ? withControlPlaneClient(content, tenant) : content };
    }),
  );
}

export async function readProductionCompose(platformDir = DEFAULT_PLATFORM_DIR): Promise<string> {
  return readFile(join(platformDir, "prod", "compose.yml"), "utf8");
}
