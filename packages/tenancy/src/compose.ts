import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { ciamAthenaClientId, tenantHosts } from "./hosts";
import { CONTROL_PLANE_SECRET_VARIABLE, controlPlaneClientId, MACHINE_CLIENT_ID_VARIABLE } from "./machine-client";
import { CONTAINER_PORT, portBlock, type ServiceName } from "./ports";
import { hasIam, projectName, type Domain, type Tenant } from "./tenant";

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Services whose port Compose publishes on 127.0.0.1 for the host's Caddy and for `tenant list`'s health checks. */
const PUBLISHED: Partial<Record<string, ServiceName>> = { hera: "hera", athena: "athena", kratos: "kratosPublic", hydra: "hydraPublic" };

function edgeNetwork(domain: Domain): string {
  return `${domain}-edge`;
}

/**
 * The tenant's Compose project, derived from platform/prod/compose.yml:
 *
 * - its own project name (`name:`), so Compose prefixes every container,
 *   network and volume with it: its own Postgres (own databases and roles,
 *   init.sql), own networks, own volumes;
 * - IAM's services only when the tenant has IAM;
 * - no Caddy: one Caddy on the host serves every tenant through each
 *   tenant's site block, so the public services publish their port on
 *   127.0.0.1 only, at the tenant's port block, through a network of their
 *   own domain (`<domain>-edge`; the private networks are internal, and
 *   Docker publishes no port of an internal network);
 * - the public URLs are the tenant's hosts; the Athenas reach the employee
 *   issuer through the host's Caddy (host-gateway), as browsers do;
 * - paths to shared read-only files (Postgres init, identity schemas, build
 *   contexts) point into the checkout; per-tenant config copies sit in the
 *   tenant's directory;
 * - with IAM, the control plane's machine client: Athena IAM's machine API
 *   accepts it, and the bootstrap registers it (its secret from .env).
 */
export function renderCompose(productionCompose: string, tenant: Tenant, platformDir: string): YamlMap {
  const doc = parse(productionCompose, { merge: true }) as YamlMap;
  const services = doc.services as Record<string, YamlMap>;
  const networks = doc.networks as YamlMap;
  const volumes = doc.volumes as YamlMap;
  const block = portBlock(tenant.slot);
  const hosts = tenantHosts(tenant);
  const domains: Domain[] = hasIam(tenant) ? ["ciam", "iam"] : ["ciam"];
  const repoRoot = dirname(platformDir);

  delete services.caddy;
  delete networks.edge;
  delete volumes["caddy-data"];
  if (!hasIam(tenant)) {
    for (const name of Object.keys(services)) if (name.startsWith("iam-")) delete services[name];
    delete networks.iam;
    delete networks["iam-egress"];
    for (const name of Object.keys(volumes)) if (name.startsWith("iam-")) delete volumes[name];
  }
  for (const domain of domains) networks[edgeNetwork(domain)] = {};

  const result: YamlMap = { name: projectName(tenant) };
  for (const [key, value] of Object.entries(doc)) {
    if (!key.startsWith("x-") && key !== "name") result[key] = value;
  }

  for (const [name, service] of Object.entries(services)) {
    const domain = domains.find((d) => name.startsWith(`${d}-`));
    const role = domain ? name.slice(domain.length + 1) : undefined;
    // Networks: only the tenant's domains, `edge` replaced by the domain's own.
    if (Array.isArray(service.networks)) {
      const joined = (service.networks as string[]).filter(
        (network) => network !== "edge" && (hasIam(tenant) || !network.startsWith("iam")),
      );
      const published = domain && role ? PUBLISHED[role] : undefined;
      if (domain && published && (role === "hera" || role === "athena")) joined.push(edgeNetwork(domain));
      service.networks = joined;
    }
    if (domain && role) {
      const published = PUBLISHED[role];
      if (published) service.ports = [`127.0.0.1:${block[domain][published]}:${CONTAINER_PORT[domain][published]}`];
    }
    if (isMap(service.environment)) service.environment = rewriteEnvironment(service.environment, tenant);
    if (role === "athena") {
      if (domain === "ciam") (service.environment as YamlMap).CIAM_AUTH_CLIENT_ID = ciamAthenaClientId(tenant);
      // The tenant's own IAM is behind the host's Caddy; the operator's IAM (CIAM-only tenants) is found through DNS.
      if (hasIam(tenant)) service.extra_hosts = [`${hosts.employeeIssuerHost}:host-gateway`];
      if (domain === "iam") (service.environment as YamlMap)[MACHINE_CLIENT_ID_VARIABLE] = controlPlaneClientId(tenant);
    }
    // The bootstrap reads the control plane's client secret like Athena's (oauth2-clients.yml names it).
    if (name === "iam-bootstrap" && isMap(service.environment))
      service.environment[CONTROL_PLANE_SECRET_VARIABLE] = `\${${CONTROL_PLANE_SECRET_VARIABLE}:?set ${CONTROL_PLANE_SECRET_VARIABLE}}`;
    if (Array.isArray(service.volumes)) service.volumes = (service.volumes as string[]).map((volume) => rewriteVolume(volume, platformDir));
    if (isMap(service.build) && typeof service.build.context === "string") service.build = { ...service.build, context: repoRoot };
    if (isMap(service.depends_on) && !hasIam(tenant)) {
      for (const dependency of Object.keys(service.depends_on)) if (dependency.startsWith("iam-")) delete service.depends_on[dependency];
    }
  }
  return result;
}

export function renderComposeYaml(productionCompose: string, tenant: Tenant, platformDir: string): string {
  const header = [
    `# Olympus tenant "${tenant.name}" (${tenant.domains.join(", ")}), generated by \`olympus tenant create\` from platform/prod/compose.yml.`,
    `#   docker compose -p ${projectName(tenant)} --env-file .env up -d`,
    "# Regenerate rather than edit: the operator CLI owns this file.",
    "",
  ].join("\n");
  return `${header}${stringify(renderCompose(productionCompose, tenant, platformDir), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** `../postgres/init.sh:/x:ro` → the checkout's file; `./ciam-kratos:/x` stays (the tenant's copy). */
function rewriteVolume(volume: string, platformDir: string): string {
  const [source, ...rest] = volume.split(":");
  if (source === undefined || !source.startsWith("../")) return volume;
  return [join(platformDir, source.slice(3)), ...rest].join(":");
}

/** The production hosts (`ciam.${OLYMPUS_DOMAIN}` …) → the tenant's. */
function rewriteEnvironment(environment: YamlMap, tenant: Tenant): YamlMap {
  const hosts = tenantHosts(tenant);
  const out: YamlMap = {};
  for (const [key, value] of Object.entries(environment)) {
    out[key] =
      typeof value === "string"
        ? value.replace(/(admin\.)?(ciam|iam)\.\$\{OLYMPUS_DOMAIN[^}]*\}/g, (_m, admin: string | undefined, domain: string) => {
            if (domain === "ciam") return admin ? hosts.ciamAdmin : hosts.ciam;
            return admin ? (hosts.iamAdmin ?? hosts.employeeIssuerHost) : hosts.employeeIssuerHost;
          })
        : value;
  }
  return out;
}
