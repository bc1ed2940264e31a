import { DOMAINS, type Domain } from "@olympus/sdk/config";
import type { Problem } from "../problem";
import { isObject, type YamlValue } from "../yaml";
import type { ComposeProject, ComposeService } from "./compose-model";

/** Besides their own domain's network, Hera and Athena may join `edge` (Athena reaches IAM Hydra's issuer through Caddy). */
const EDGE_NETWORK = "edge";
const APPS = ["hera", "athena"];
const ORY = ["kratos", "hydra"];

/**
 * Each domain's services reach only their own domain's network, under names
 * that cannot pass for the other domain's or for another service; the two
 * domain networks are the project's own internal ones; and no service is
 * published past Caddy by a port form or network mode the string checks
 * do not see.
 */
export function checkNetworks(project: ComposeProject): Problem[] {
  const problems: Problem[] = [];
  const names = new Set(project.services.map((s) => s.name));
  for (const service of project.services) {
    const add = (where: string, message: string) => problems.push({ where: `${service.where}${where}`, message });
    checkNetworkMode(service, add);
    checkPublishedPorts(service, add);
    if (service.domain) checkMembership(service, service.domain, add);
    for (const [network, aliases] of networksOf(service.spec.networks)) {
      for (const alias of aliases) {
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
        add(".extra_hosts", `"${entry}" redirects ${domain ? `a ${domain} name` : "a name"}: Compose's DNS must answer for the service ${host}, not a fixed address`);
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
    if (network.name !== undefined) problems.push({ where, message: `sets name: "${String(network.name)}"; the domain networks must be the project's own` });
    if (network.external !== undefined && network.external !== false) problems.push({ where, message: "is external; the domain networks must be the project's own" });
    if (network.internal !== true) problems.push({ where, message: "must be internal: true (only Caddy faces the outside)" });
  }
  return problems;
}

function checkMembership(service: ComposeService, domain: Domain, add: (where: string, message: string) => void) {
  if (service.spec.networks === undefined) {
    add(".networks", "is not set, so the service joins Compose's default network, shared with every other service without one");
    return;
  }
  const role = service.name.slice(domain.length + 1);
  const isOry = ORY.some((kind) => role === kind || role === `${kind}-migrate`);
  const allowed = APPS.includes(role) ? [domain, EDGE_NETWORK] : [domain];
  for (const [network] of networksOf(service.spec.networks)) {
    if (allowed.includes(network)) continue;
    const rule = isOry
      ? `Kratos and Hydra join only ${domain}, where their admin ports stay private`
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
    const what = published === undefined || published === null ? `container port ${String(target)} on a random host port` : `${String(published)} (container ${String(target)})`;
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
