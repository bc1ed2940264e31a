import { isDeepStrictEqual } from "node:util";
import { isDomain, loadConfig, otherDomain, SERVICE_PORTS, type Domain, type Service } from "@olympus/runtime-config/config";
import { loadAthenaConfig } from "@olympus/runtime-config/config/athena";
import type { Stage } from "../paths";
import type { Problem } from "../problem";
import { isObject, type YamlObject, type YamlValue } from "../yaml";
import { crossDomainReason } from "./url-ownership";

const APP_SERVICES = { hera: "hera", athena: "athena" } as const satisfies Record<string, Service>;
const ORY_KINDS = ["kratos", "hydra"] as const;

/** Which domain a Compose service belongs to, by its `ciam-` / `iam-` name prefix. */
export function serviceDomain(name: string): Domain | undefined {
  const prefix = name.split("-")[0];
  return isDomain(prefix) ? prefix : undefined;
}

/**
 * The host:container port pairs each service must publish in development.
 * Admin ports are published on the host's loopback only: no one else on the
 * developer's network may manage identities or OAuth2 clients.
 */
export function expectedDevPorts(name: string): string[] | undefined {
  const domain = serviceDomain(name);
  if (!domain) return undefined;
  const ports = SERVICE_PORTS[domain];
  const pair = (port: number) => `${port}:${port}`;
  const loopback = (port: number) => `127.0.0.1:${port}:${port}`;
  const role = name.slice(domain.length + 1);
  switch (role) {
    case "kratos":
      return [pair(ports.kratosPublic), loopback(ports.kratosAdmin)];
    case "hydra":
      return [pair(ports.hydraPublic), loopback(ports.hydraAdmin)];
    case "hera":
    case "athena":
      return [pair(ports[APP_SERVICES[role]])];
    default:
      return [];
  }
}

/**
 * Checks a Compose file against the port table and the CIAM/IAM boundary:
 * pinned images, published ports, each Ory service's own DSN, each app's
 * own-domain env, and one build per app.
 */
export function checkCompose(doc: YamlObject, ctx: { file: string; stage: Stage }): Problem[] {
  const problems: Problem[] = [];
  const services = isObject(doc.services) ? doc.services : {};
  const add = (service: string, message: string) => problems.push({ where: `${ctx.file}:services.${service}`, message });

  for (const [name, value] of Object.entries(services)) {
    if (!isObject(value)) continue;
    const domain = serviceDomain(name);
    checkImage(name, value, add);
    checkPorts(name, value, ctx.stage, add);
    if (!domain) continue;
    const env = environmentOf(value);
    for (const [key, envValue] of Object.entries(env)) {
      // Every Athena signs employees in through IAM Hydra; loadAthenaConfig
      // checks that this one URL is IAM's.
      if (key === "AUTH_ISSUER_URL") continue;
      const reason = crossDomainReason(envValue, domain);
      if (reason) add(name, `environment ${key} points at the other domain: ${reason}`);
    }
    for (const volume of stringsOf(value.volumes)) {
      if (volume.includes(`/${otherDomain(domain)}-`)) add(name, `mounts the other domain's files: ${volume}`);
    }
    const kind = ORY_KINDS.find((k) => name === `${domain}-${k}` || name === `${domain}-${k}-migrate`);
    if (kind) checkDsn(name, env.DSN, `${domain}_${kind}`, add);
    const app = Object.keys(APP_SERVICES).find((a) => name === `${domain}-${a}`);
    if (app) checkAppEnv(name, app, env, domain, add);
  }
  checkOneBuildPerApp(services, add);
  return problems;
}

function checkImage(name: string, service: YamlObject, add: (s: string, m: string) => void) {
  if (service.build !== undefined) return; // built from this repository
  const image = service.image;
  if (typeof image !== "string") return add(name, "must name an image");
  const tag = image.includes(":") ? image.slice(image.lastIndexOf(":") + 1) : "";
  if (!/\d+\.\d+/.test(tag) || /latest/i.test(tag)) add(name, `image "${image}" must be pinned to a released version`);
}

function checkPorts(name: string, service: YamlObject, stage: Stage, add: (s: string, m: string) => void) {
  const published = stringsOf(service.ports);
  if (stage === "prod") {
    const allowed = name === "caddy" ? ["80:80", "443:443"] : [];
    for (const port of published.filter((p) => !allowed.includes(p)))
      add(name, `publishes ${port}; in production only Caddy faces the outside`);
    return;
  }
  const expected = expectedDevPorts(name);
  if (expected && !isDeepStrictEqual([...published].sort(), [...expected].sort())) {
    add(name, `must publish ${expected.join(", ") || "no ports"} (port table), publishes ${published.join(", ") || "none"}`);
  }
}

function checkDsn(name: string, dsn: string | undefined, expected: string, add: (s: string, m: string) => void) {
  if (!dsn) return add(name, "must set DSN");
  try {
    const url = new URL(substitutePlaceholders(dsn));
    const database = url.pathname.replace(/^\//, "");
    if (url.username !== expected || database !== expected) {
      add(name, `DSN must use role and database "${expected}", uses role "${url.username}" and database "${database}"`);
    }
  } catch {
    add(name, "DSN is not a valid URL");
  }
}

/** The app's env must pass the app's own start-up validation for its domain. */
function checkAppEnv(name: string, app: string, env: Record<string, string>, domain: Domain, add: (s: string, m: string) => void) {
  if (env.DOMAIN !== domain) add(name, `must set DOMAIN=${domain}, sets ${env.DOMAIN ?? "nothing"}`);
  const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, substitutePlaceholders(v)]));
  try {
    if (app === "athena") loadAthenaConfig(resolved);
    else loadConfig(resolved);
  } catch (error) {
    add(name, `environment would not start the app: ${(error as Error).message}`);
  }
}

/** Both domains run the same image of an app, built the same way. */
function checkOneBuildPerApp(services: YamlObject, add: (s: string, m: string) => void) {
  for (const app of Object.keys(APP_SERVICES)) {
    const ciam = services[`ciam-${app}`];
    const iam = services[`iam-${app}`];
    if (!isObject(ciam) || !isObject(iam)) {
      add(`*-${app}`, `both ciam-${app} and iam-${app} must be defined`);
      continue;
    }
    if (!isDeepStrictEqual(ciam.build, iam.build) || ciam.image !== iam.image) {
      add(`iam-${app}`, `must use the same build and image as ciam-${app}; only environment may differ`);
    }
  }
}

/** Stand-ins for Compose's ${VAR:?msg} / ${VAR:-default} so values can be parsed. */
export function substitutePlaceholders(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?[-?]([^}]*))?\}/g, (_m, name: string, rest: string | undefined) => {
    if (name === "OLYMPUS_DOMAIN") return "example.com";
    if (/SECRET|PASSWORD|KEY/.test(name)) return `placeholder-${name.toLowerCase()}-0123456789abcdef`;
    return rest && !rest.startsWith("set ") ? rest : `placeholder-${name.toLowerCase()}`;
  });
}

function environmentOf(service: YamlObject): Record<string, string> {
  const env = service.environment;
  const result: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const entry of stringsOf(env)) {
      const eq = entry.indexOf("=");
      if (eq > 0) result[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } else if (isObject(env)) {
    for (const [k, v] of Object.entries(env)) if (v !== null) result[k] = String(v);
  }
  return result;
}

function stringsOf(value: YamlValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
