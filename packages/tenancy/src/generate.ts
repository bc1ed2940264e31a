import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { renderCaddyBlock } from "./caddy";
import { renderCompose, renderComposeYaml } from "./compose";
import { renderEnvFile } from "./env-file";
import { tenantUrls } from "./hosts";
import { renderManifests, type Manifest } from "./kubernetes/manifests";
import { DEFAULT_PLATFORM_DIR, readProductionCompose, tenantConfigFiles, type PlatformFile } from "./platform-files";
import { portBlock } from "./ports";
import type { TenantSecrets } from "./secrets";
import { projectName, type Tenant } from "./tenant";

export interface GeneratedFile extends PlatformFile {
  /** 0o600 for files holding secrets. */
  mode: number;
}

export function tenantReadme(tenant: Tenant): string {
  const block = portBlock(tenant.slot);
  const urls = Object.entries(tenantUrls(tenant)).map(([label, url]) => `- ${label}: ${url}`);
  return [
    `# Olympus tenant ${tenant.name}`,
    "",
    `Domains: ${tenant.domains.join(", ")}. Version: ${tenant.version}. Port block ${block.slot}: ${block.base}-${block.base + 99} (127.0.0.1 only).`,
    "",
    ...urls,
    "",
    "Fill CIAM_SMTP_CONNECTION_URI (and IAM_SMTP_CONNECTION_URI, OLYMPUS_ADMIN_EMAIL with IAM) in .env, add",
    "`import <this directory>/Caddyfile` to the host's Caddyfile, then:",
    "",
    `    docker compose -p ${projectName(tenant)} --env-file .env up -d`,
    "",
  ].join("\n");
}

/** The tenant directory's files for the Compose target. */
export async function composeFiles(
  tenant: Tenant,
  secrets: TenantSecrets,
  options: { platformDir?: string; adminEmail?: string } = {},
): Promise<GeneratedFile[]> {
  const platformDir = options.platformDir ?? DEFAULT_PLATFORM_DIR;
  const compose = renderComposeYaml(await readProductionCompose(platformDir), tenant, platformDir);
  const configs = await tenantConfigFiles(tenant, platformDir);
  return [
    { path: "compose.yml", content: compose, mode: 0o644 },
    { path: ".env", content: renderEnvFile(tenant, secrets, options.adminEmail), mode: 0o600 },
    { path: "Caddyfile", content: renderCaddyBlock(tenant), mode: 0o644 },
    { path: "README.md", content: tenantReadme(tenant), mode: 0o644 },
    ...configs.map((file) => ({ ...file, mode: 0o644 })),
  ];
}

async function sharedFiles(platformDir: string, folder: string, pattern: RegExp): Promise<PlatformFile[]> {
  const { readdir } = await import("node:fs/promises");
  const names = (await readdir(join(platformDir, folder))).filter((name) => pattern.test(name)).sort();
  return Promise.all(names.map(async (name) => ({ path: name, content: await readFile(join(platformDir, folder, name), "utf8") })));
}

/** The tenant's Kubernetes objects, one document each. */
export async function kubernetesManifests(
  tenant: Tenant,
  secrets: TenantSecrets,
  options: { platformDir?: string; ingressNamespace?: string; ingressClassName?: string } = {},
): Promise<Manifest[]> {
  const platformDir = options.platformDir ?? DEFAULT_PLATFORM_DIR;
  const compose = renderCompose(await readProductionCompose(platformDir), tenant, platformDir);
  return renderManifests({
    tenant,
    composeServices: compose.services as Record<string, never>,
    secrets,
    configFiles: await tenantConfigFiles(tenant, platformDir),
    sharedFiles: {
      postgresInit: await sharedFiles(platformDir, "postgres", /^init\.(sh|sql)$/),
      ciamSchemas: await sharedFiles(platformDir, "dev/ciam-kratos", /\.schema\.json$/),
      iamSchemas: await sharedFiles(platformDir, "dev/iam-kratos", /\.schema\.json$/),
    },
    ingressNamespace: options.ingressNamespace,
    ingressClassName: options.ingressClassName,
  });
}

/** The manifests as files: the Secret alone in its own (mode 600), the rest in one multi-document file. */
export function manifestFiles(tenant: Tenant, manifests: readonly Manifest[]): GeneratedFile[] {
  const secrets = manifests.filter((m) => m.kind === "Secret");
  const rest = manifests.filter((m) => m.kind !== "Secret");
  const yaml = (docs: readonly Manifest[]) =>
    docs.map((doc) => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
  return [
    { path: "secret.yaml", content: yaml(secrets), mode: 0o600 },
    { path: "tenant.yaml", content: yaml(rest), mode: 0o644 },
    {
      path: "README.md",
      content: `# Olympus tenant ${tenant.name} on Kubernetes\n\nFill the empty values in secret.yaml (the SMTP relays; with IAM, OLYMPUS_ADMIN_EMAIL), push the olympus/* images where the cluster pulls from, then:\n\n    kubectl apply -f secret.yaml -f tenant.yaml\n`,
      mode: 0o644,
    },
  ];
}

export async function writeFiles(directory: string, files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files) {
    const target = join(directory, file.path);
    // Readable folders: the Ory images read their bind-mounted configs as a non-root user.
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, file.content, { mode: file.mode });
    // writeFile's mode applies only when it creates the file; the umask may also narrow it.
    await chmod(target, file.mode);
  }
}
