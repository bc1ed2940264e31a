import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { DEFAULT_PLATFORM_DIR } from "../platform-files";
import { CONTAINER_PORT, portBlock, type ServiceName } from "../ports";
import type { TenantSecrets } from "../secrets";
import { hasIam, type Domain, type Tenant } from "../tenant";
import { tenantHosts } from "../hosts";

export type OryService = "kratos" | "hydra";
export const EMBEDDED_ROLES = [
  "ciam_kratos",
  "ciam_hydra",
  "iam_kratos",
  "iam_hydra",
  "olympus_migrator",
  "olympus_ciam",
  "olympus_iam",
] as const;
export type EmbeddedRole = (typeof EMBEDDED_ROLES)[number];

export { CONTROL_PLANE_SCOPE, CONTROL_PLANE_SECRET_VARIABLE, CONTROL_PLANE_TOKEN_LIFESPAN, controlPlaneClientId } from "../machine-client";

export function tenantDomains(tenant: Pick<Tenant, "domains">): Domain[] {
  return hasIam(tenant) ? ["ciam", "iam"] : ["ciam"];
}

/** Each role's password: the tenant's own secrets (IAM's roles exist even for a CIAM-only tenant, as init.sql creates them all). */
export function rolePasswords(secrets: TenantSecrets): Record<EmbeddedRole, string> {
  const need = (variable: string): string => {
    const value = secrets[variable];
    if (!value) throw new Error(`the tenant's secrets have no ${variable}`);
    return value;
  };
  return {
    ciam_kratos: need("CIAM_KRATOS_DB_PASSWORD"),
    ciam_hydra: need("CIAM_HYDRA_DB_PASSWORD"),
    iam_kratos: need("IAM_KRATOS_DB_PASSWORD"),
    iam_hydra: need("IAM_HYDRA_DB_PASSWORD"),
    olympus_migrator: need("OLYMPUS_MIGRATOR_DB_PASSWORD"),
    olympus_ciam: need("CIAM_OLYMPUS_DB_PASSWORD"),
    olympus_iam: need("IAM_OLYMPUS_DB_PASSWORD"),
  };
}

export function roleUrl(tenant: Tenant, secrets: TenantSecrets, role: EmbeddedRole, database: string = databaseOf(role)): string {
  const password = encodeURIComponent(rolePasswords(secrets)[role]);
  return `postgres://${role}:${password}@127.0.0.1:${portBlock(tenant.slot).postgres}/${database}?sslmode=disable`;
}

function databaseOf(role: EmbeddedRole): string {
  return role.startsWith("olympus_") ? "olympus" : role;
}

/**
 * The bearer token a domain's Kratos and Hydra admin APIs require, derived
 * from that domain's Hydra system secret: no second secret to keep, and a
 * token no other tenant (nor the dev stack) knows.
 */
export function adminApiToken(secrets: TenantSecrets, domain: Domain): string {
  const system = secrets[`${domain.toUpperCase()}_HYDRA_SYSTEM_SECRET`];
  if (!system) throw new Error(`the tenant's secrets have no ${domain.toUpperCase()}_HYDRA_SYSTEM_SECRET`);
  return createHash("sha256").update(`olympus admin api token\0${domain}\0${system}`).digest("hex");
}

/** Where the tenant's courier sends mail: a port of its own block where nothing listens, so no tenant's mail reaches the dev catcher. */
export function courierPort(tenant: Tenant): number {
  return portBlock(tenant.slot).base + 80;
}

const SERVICE_BY_CONTAINER_PORT = new Map<number, { domain: Domain; service: ServiceName }>(
  (["ciam", "iam"] as const).flatMap((domain) =>
    (Object.entries(CONTAINER_PORT[domain]) as [ServiceName, number][]).map(([service, port]) => [port, { domain, service }] as const),
  ),
);

/**
 * Rewrites the development configs' addresses to the tenant's: the browser
 * hosts `ciam.localhost:<port>` / `iam.localhost:<port>` to the tenant's
 * *.localhost host for that service (Athena on its admin host) at its block
 * port, loopback service ports to the block's, and the mail catcher's port to
 * the tenant's courier port.
 */
export function rewriteDevAddresses(text: string, tenant: Tenant): string {
  const hosts = tenantHosts({ ...tenant, parentDomain: "localhost" });
  const block = portBlock(tenant.slot);
  const mapPort = (port: number): { domain: Domain; service: ServiceName | undefined; port: number } => {
    const known = SERVICE_BY_CONTAINER_PORT.get(port);
    if (known) return { ...known, port: block[known.domain][known.service] };
    // The demo relying party's port (x002): the same offset in the tenant's block; nothing of the tenant listens there.
    const domain: Domain = port >= 4000 ? "iam" : "ciam";
    return { domain, service: undefined, port: block.base + (domain === "iam" ? 50 : 0) + (port % 100) };
  };
  return text
    .replace(/(?<![\w.-])(ciam|iam)\.localhost:(\d{4})(?!\d)/g, (_match, _domain: string, port: string) => {
      const target = mapPort(Number(port));
      const admin = target.service === "athena";
      const host = target.domain === "ciam" ? (admin ? hosts.ciamAdmin : hosts.ciam) : admin ? hosts.iamAdmin : hosts.iam;
      return `${host ?? `iam.${tenant.name}.localhost`}:${target.port}`;
    })
    .replace(/127\.0\.0\.1:(\d{4})(?!\d)/g, (match, port: string) => {
      const value = Number(port);
      if (value === 1025) return `127.0.0.1:${courierPort(tenant)}`;
      if (value === 5432) return `127.0.0.1:${block.postgres}`;
      return SERVICE_BY_CONTAINER_PORT.has(value) ? `127.0.0.1:${mapPort(value).port}` : match;
    });
}

export interface RenderedOryConfig {
  id: `${Domain}-${OryService}`;
  domain: Domain;
  service: OryService;
  /** Relative to the tenant directory. */
  path: string;
  text: string;
  dsn: string;
}

/**
 * A domain's Kratos or Hydra config for this tenant, from platform/dev's:
 * its own DSN (own role, password and Postgres port), its own secrets, its
 * hosts and ports; files the Kratos config names are read from platform/dev.
 */
export async function renderOryConfig(
  tenant: Tenant,
  secrets: TenantSecrets,
  domain: Domain,
  service: OryService,
  platformDir = DEFAULT_PLATFORM_DIR,
): Promise<RenderedOryConfig> {
  const sourceDir = join(platformDir, "dev", `${domain}-${service}`);
  const source = await readFile(join(sourceDir, `${service}.yml`), "utf8");
  const config = parse(rewriteDevAddresses(source, tenant)) as Record<string, unknown>;
  const prefix = domain.toUpperCase();
  const role = `${domain}_${service}` as EmbeddedRole;
  const dsn = roleUrl(tenant, secrets, role);
  config.dsn = dsn;
  const secret = (name: string): string[] => [secrets[`${prefix}_${name}`] ?? ""];
  config.secrets =
    service === "kratos"
      ? { ...(config.secrets as object), cookie: secret("KRATOS_COOKIE_SECRET"), cipher: secret("KRATOS_CIPHER_SECRET") }
      : { ...(config.secrets as object), system: secret("HYDRA_SYSTEM_SECRET"), cookie: secret("HYDRA_COOKIE_SECRET") };
  const text = stringify(config, { lineWidth: 0 }).replaceAll("file:///etc/config/kratos/", `file://${sourceDir}/`);
  return { id: `${domain}-${service}`, domain, service, path: join("embedded", `${domain}-${service}.yml`), text, dsn };
}

export async function renderOryConfigs(tenant: Tenant, secrets: TenantSecrets, platformDir?: string): Promise<RenderedOryConfig[]> {
  const configs: RenderedOryConfig[] = [];
  for (const domain of tenantDomains(tenant))
    for (const service of ["kratos", "hydra"] as const) configs.push(await renderOryConfig(tenant, secrets, domain, service, platformDir));
  return configs;
}

/** The browser-facing origin of a tenant's app (its *.localhost host, block port). */
export function appOrigin(tenant: Tenant, domain: Domain, app: "hera" | "athena"): string {
  const hosts = tenantHosts({ ...tenant, parentDomain: "localhost" });
  const host = domain === "ciam" ? (app === "hera" ? hosts.ciam : hosts.ciamAdmin) : app === "hera" ? hosts.iam : hosts.iamAdmin;
  return `http://${host ?? ""}:${portBlock(tenant.slot)[domain][app]}`;
}

/** Kratos' public base URL (Hera's same-origin proxy) and Hydra's issuer, on the tenant's hosts. */
export function oryPublicUrls(tenant: Tenant, domain: Domain): { kratosBaseUrl: string; hydraIssuer: string } {
  const hosts = tenantHosts({ ...tenant, parentDomain: "localhost" });
  const host = domain === "ciam" ? hosts.ciam : (hosts.iam ?? "");
  const block = portBlock(tenant.slot)[domain];
  return { kratosBaseUrl: `${appOrigin(tenant, domain, "hera")}/.ory/kratos/`, hydraIssuer: `http://${host}:${block.hydraPublic}/` };
}
