import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import type { Problem } from "../problem";
import { isObject, type YamlValue } from "../yaml";
import type { ComposeProject, ComposeService } from "./compose-model";
import { interpolate, type Env } from "./env-file";

/** Besides their own domain's network, Hera and Athena may join `edge` (Athena reaches IAM Hydra's issuer through Caddy). */
const EDGE_NETWORK = "edge";
const APPS = ["hera", "athena"];
const ORY = ["kratos", "hydra"];

/**
 * A domain's way out (`ciam-egress`, `iam-egress`): not internal, joined by
 * that domain's Kratos (courier → SMTP relay) and Hydra (back-channel logout,
 * clients' JWKS) and by nothing else, so it opens no new path to their admin
 * ports and never joins the two domains.
 */
export function egressNetwork(domain: Domain): string {
  return `${domain}-egress`;
}

/**
 * Each domain's services reach only their own domain's network, under names
 * that cannot pass for the other domain's or for another service; the two
 * domain networks are the project's own internal ones; each domain's egress
 * network is its own and joined by its Kratos and Hydra alone; and no service
 * is published past Caddy by a port form or network mode the string checks
 * do not see. `env` (the deployment's env file) fills the public host names
 * Caddy may answer to on `edge`.
 */
export function checkNetworks(project: ComposeProject, env: Env = {}): Problem[] {
  const problems: Problem[] = [];
  const names = new Set(project.services.map((s) => s.name));
  const caddyHosts = caddyPublicHosts(env.OLYMPUS_DOMAIN);
  for (const service of project.services) {
    const add = (where: string, message: string) => problems.push({ where: `${service.where}${where}`, message });
    checkNetworkMode(service, add);
    checkPublishedPorts(service, add);
    if (service.domain) checkMembership(service, service.domain, add);
    else checkSharedService(service, add);
    checkEgressMembership(service, add);
    for (const [network, aliases] of networksOf(service.spec.networks)) {
      for (const alias of aliases) {
        // Caddy answers on `edge` to the public names it serves, so Athena reaches IAM Hydra's issuer
        // under the name browsers use; those names lead to Caddy's own routing, never to a service.
        if (service.name === "caddy" && network === EDGE_NETWORK && caddyHosts.has(interpolate(alias, env).toLowerCase())) continue;
        const reason = nameReason(alias, service, names);
        if (reason) add(`.networks.${network}.aliases`, `"${alias}" ${reason}`);
      }
    }
    for (const key of ["links", "external_links"]) {
      for (const link of strings(service.spec[key])) {
        const [target = "", alias = target] = link.split(":");
        const reason = [target, alias].map((name) => nameReason(name, service, names, target)).find(Boolean);
        if (reason) add(`.${key}`, `"${link}" ${reason}`);
      }
    }
    for (const entry of extraHosts(service.spec.extra_hosts)) {
      const host = entry.split(/[:=]/)[0] ?? "";
      if (names.has(host)) {
        const domain = DOMAINS.find((d) => tokens(host).includes(d));
        add(
          ".extra_hosts",
          `"${entry}" redirects ${domain ? `a ${domain} name` : "a name"}: Compose's DNS must answer for the service ${host}, not a fixed address`,
        );
      }
    }
  }
  for (const domain of DOMAINS) {
    const network = isObject(project.doc.networks) ? project.doc.networks[domain] : undefined;
    const where = `${project.label}:networks.${domain}`;
    if (!isObject(network)) {
      problems.push({ where, message: "must be defined as an internal network" });
      continue;
    }
    if (network.name !== undefined)
      problems.push({ where, message: `sets name: "${String(network.name)}"; the domain networks must be the project's own` });
    if (network.external !== undefined && network.external !== false)
      problems.push({ where, message: "is external; the domain networks must be the project's own" });
    if (network.internal !== true) problems.push({ where, message: "must be internal: true (only Caddy faces the outside)" });
  }
  for (const domain of DOMAINS) problems.push(...checkEgressNetwork(project, domain));
  return problems;
}

/**
 * `<domain>-egress`, where it is defined, must be the project's own (no
 * `name:` that could make both domains' one network, never external), and
 * the domain's Kratos must reach the outside somewhere: its courier sends
 * every recovery and verification mail to an SMTP relay beyond the host.
 */
function checkEgressNetwork(project: ComposeProject, domain: Domain): Problem[] {
  const problems: Problem[] = [];
  const name = egressNetwork(domain);
  const definitions = isObject(project.doc.networks) ? project.doc.networks : {};
  const network = definitions[name];
  const where = `${project.label}:networks.${name}`;
  if (isObject(network)) {
    if (network.name !== undefined)
      problems.push({
        where,
        message: `sets name: "${String(network.name)}"; each domain's egress network must be the project's own, never shared with the other domain`,
      });
    if (network.external !== undefined && network.external !== false)
      problems.push({
        where,
        message: "is external; each domain's egress network must be the project's own, never shared with the other domain",
      });
  }
  const kratos = project.services.find((s) => s.name === `${domain}-kratos`);
  if (kratos) {
    const joined = networksOf(kratos.spec.networks).map(([n]) => n);
    const internal = (n: string) => {
      const definition = definitions[n];
      return isObject(definition) && definition.internal === true;
    };
    if (joined.length > 0 && joined.every(internal)) {
      problems.push({
        where: `${kratos.where}.networks`,
        message: `joins only internal networks, so its courier cannot reach the SMTP relay (COURIER_SMTP_CONNECTION_URI) and no mail leaves; add ${name}`,
      });
    }
  }
  return problems;
}

/** `ciam-egress` is joined by ciam-kratos and ciam-hydra alone (likewise IAM); no other service, of either domain or shared. */
function checkEgressMembership(service: ComposeService, add: (where: string, message: string) => void) {
  for (const [network] of networksOf(service.spec.networks)) {
    const domain = DOMAINS.find((d) => network === egressNetwork(d));
    if (!domain) continue;
    const owners = ORY.map((kind) => `${domain}-${kind}`);
    if (owners.includes(service.name)) continue;
    const why =
      service.domain && service.domain !== domain
        ? `the other domain's service would share a network with ${owners.join(" and ")} and reach their admin ports`
        : "it would give this service a way out of the private network, which only Kratos (mail) and Hydra (OAuth2 clients) need";
    add(`.networks.${network}`, `joins ${network}, which only ${owners.join(" and ")} may join: ${why}`);
  }
}

/** ciam.<domain>, admin.ciam.<domain>, iam.<domain>, admin.iam.<domain>: the hosts the Caddyfile serves. */
function caddyPublicHosts(parent: string | undefined): Set<string> {
  if (!parent) return new Set();
  return new Set(DOMAINS.flatMap((d) => [`${d}.${parent}`, `admin.${d}.${parent}`].map((h) => h.toLowerCase())));
}

/**
 * The shared services that must reach both domains: Postgres (each domain's
 * databases) and Caddy (routes each domain's host). Anything else works for
 * one domain — the bootstrap needs IAM's admin APIs only — and belongs on that
 * domain's network under its prefix, where the checks above hold it.
 */
const SHARED_BY_BOTH_DOMAINS = ["postgres", "caddy"];

function checkSharedService(service: ComposeService, add: (where: string, message: string) => void) {
  if (SHARED_BY_BOTH_DOMAINS.includes(service.name)) return;
  const joined = networksOf(service.spec.networks).map(([network]) => network);
  if (DOMAINS.every((domain) => joined.includes(domain))) {
    add(
      ".networks",
      `joins both the ciam and iam networks; only ${SHARED_BY_BOTH_DOMAINS.join(" and ")} must reach both domains — name a one-domain service with its domain's prefix (iam-bootstrap) and put it on that network alone`,
    );
  }
}

function checkMembership(service: ComposeService, domain: Domain, add: (where: string, message: string) => void) {
  if (service.spec.networks === undefined) {
    add(".networks", "is not set, so the service joins Compose's default network, shared with every other service without one");
    return;
  }
  const role = service.name.slice(domain.length + 1);
  const isOry = ORY.some((kind) => role === kind || role === `${kind}-migrate`);
  const allowed = APPS.includes(role) ? [domain, EDGE_NETWORK] : ORY.includes(role) ? [domain, egressNetwork(domain)] : [domain];
  for (const [network] of networksOf(service.spec.networks)) {
    if (allowed.includes(network)) continue;
    // The egress networks have their own rule and message (checkEgressMembership).
    if (DOMAINS.some((d) => network === egressNetwork(d))) continue;
    const rule = isOry
      ? `Kratos and Hydra join only ${domain} (and ${egressNetwork(domain)}, their way out), where their admin ports stay private`
      : `a ${domain} service joins only ${domain} (and ${EDGE_NETWORK}, for Hera and Athena)`;
    add(`.networks.${network}`, `joins the ${network} network; ${rule}`);
  }
}

function checkNetworkMode(service: ComposeService, add: (where: string, message: string) => void) {
  const mode = service.spec.network_mode;
  if (mode === undefined || mode === "none") return;
  add(
    ".network_mode",
    `"${String(mode)}" takes the service off its domain's private network (host: its ports, admin ones too, face the host's interfaces; service:/container: it shares another container's)`,
  );
}

/** Port entries the string form check does not read: numbers and long syntax. Only Caddy may publish, 80 and 443. */
function checkPublishedPorts(service: ComposeService, add: (where: string, message: string) => void) {
  const entries = Array.isArray(service.spec.ports) ? service.spec.ports : [];
  for (const entry of entries) {
    if (typeof entry === "string") continue;
    const target = isObject(entry) ? entry.target : entry;
    const published = isObject(entry) ? entry.published : undefined;
    const isCaddyWeb = service.name === "caddy" && String(target) === String(published) && ["80", "443"].includes(String(target));
    if (isCaddyWeb) continue;
    const what =
      published === undefined || published === null
        ? `container port ${String(target)} on a random host port`
        : `${String(published)} (container ${String(target)})`;
    add(".ports", `publishes ${what}; in production only Caddy faces the outside`);
  }
}

/** Why a name a service answers to (or links under) is not its to take; undefined when it is. */
function nameReason(name: string, service: ComposeService, services: ReadonlySet<string>, linked?: string): string | undefined {
  const foreign = DOMAINS.find((d) => d !== service.domain && tokens(name).includes(d));
  if (foreign) return `names the ${foreign} domain`;
  if (services.has(name) && name !== service.name && name !== linked) return "is the name of another service";
  return undefined;
}

/** `networks` as a list or a mapping: each network with its aliases. */
function networksOf(value: YamlValue | undefined): [string, string[]][] {
  if (Array.isArray(value)) return strings(value).map((network) => [network, []]);
  if (!isObject(value)) return [];
  return Object.entries(value).map(([network, options]) => [network, isObject(options) ? strings(options.aliases) : []]);
}

function extraHosts(value: YamlValue | undefined): string[] {
  if (isObject(value)) return Object.entries(value).map(([host, address]) => `${host}:${String(address)}`);
  return strings(value);
}

function strings(value: YamlValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** "admin.iam.example.com", "iam_hydra" → their words, to spot a domain's name in any position. */
function tokens(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/);
}
