import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DOMAINS, type Domain } from "@olympus/sdk/config";
import { deriveEncryptionKey, EncryptionKeyError } from "@olympus/sdk/settings";
import { parse } from "yaml";
import { adaptCaddyfile, checkCaddyRoutes } from "../checks/caddy";
import { checkCompose } from "../checks/compose";
import { checkHydraConfig, checkKratosConfig } from "../checks/ory-config";
import type { Problem } from "../problem";
import { isObject, readYamlObject, type YamlObject, type YamlValue } from "../yaml";
import { interpolate } from "./env-file";

export interface ProductionConfigSet {
  /** Folder with compose.yml, <domain>-{kratos,hydra}/ and oauth2-clients.yml (platform/prod). */
  dir: string;
  caddyfile: string;
  /** The deployment's environment (the --env-file Compose would get). */
  env: Record<string, string>;
}

/**
 * Checks a production configuration set for every way the CIAM/IAM boundary
 * is known to break: cross-domain Caddy routes, parent cookie domains, shared
 * DSNs or roles, OAuth2 client ids on both domains, and a weak ENCRYPTION_KEY.
 */
export function verifyProductionConfig(set: ProductionConfigSet): Problem[] {
  const problems: Problem[] = [];
  const rel = (file: string) => path.relative(process.cwd(), file) || file;
  const required = (file: string) => {
    if (existsSync(file)) return true;
    problems.push({ where: rel(file), message: "is missing" });
    return false;
  };

  problems.push(...checkEncryptionKey(set.env));

  for (const domain of DOMAINS) {
    const kratos = path.join(set.dir, `${domain}-kratos`, "kratos.yml");
    const hydra = path.join(set.dir, `${domain}-hydra`, "hydra.yml");
    if (required(kratos)) problems.push(...checkKratosConfig(readYamlObject(kratos), { domain, file: rel(kratos) }));
    if (required(hydra)) problems.push(...checkHydraConfig(readYamlObject(hydra), { domain, file: rel(hydra) }));
  }

  const composeFile = path.join(set.dir, "compose.yml");
  if (required(composeFile)) {
    const compose = interpolateDeep(readYamlObject(composeFile), set.env) as YamlObject;
    problems.push(...checkCompose(compose, { file: rel(composeFile), stage: "prod" }));
    problems.push(...checkSharedDatabaseAccess(compose, rel(composeFile)));
  }

  const clientsFile = path.join(set.dir, "oauth2-clients.yml");
  if (required(clientsFile)) problems.push(...checkClientIds(clientsFile, rel(clientsFile)));

  if (required(set.caddyfile)) {
    const parent = set.env.OLYMPUS_DOMAIN;
    if (!parent) problems.push({ where: "OLYMPUS_DOMAIN", message: "is missing; set the parent domain (example.com)" });
    else problems.push(...checkCaddyRoutes(adaptCaddyfile(set.caddyfile, { ...set.env, DOMAIN: parent }), parent, rel(set.caddyfile)));
  }
  return problems;
}

function checkEncryptionKey(env: Record<string, string>): Problem[] {
  const key = env.ENCRYPTION_KEY;
  if (!key) return [{ where: "ENCRYPTION_KEY", message: "is missing; generate one with openssl rand -hex 32" }];
  try {
    deriveEncryptionKey(key, "production");
    return [];
  } catch (error) {
    if (error instanceof EncryptionKeyError) return [{ where: "ENCRYPTION_KEY", message: error.message.replace(/^ENCRYPTION_KEY /, "") }];
    throw error;
  }
}

/** No two Ory services may connect with the same DSN, role or database. */
function checkSharedDatabaseAccess(compose: YamlObject, file: string): Problem[] {
  const problems: Problem[] = [];
  const services = isObject(compose.services) ? compose.services : {};
  const seen = new Map<string, string>();
  for (const [name, service] of Object.entries(services)) {
    if (name.endsWith("-migrate") || !isObject(service) || !isObject(service.environment)) continue;
    const dsn = service.environment.DSN;
    if (typeof dsn !== "string") continue;
    let url: URL;
    try {
      url = new URL(dsn);
    } catch {
      continue; // checkCompose reports it
    }
    for (const [what, value] of [
      ["DSN", dsn],
      ["database role", url.username],
      ["database", url.pathname.replace(/^\//, "")],
    ] as const) {
      const key = `${what}\0${value}`;
      const other = seen.get(key);
      if (other) problems.push({ where: `${file}:services.${name}`, message: `shares its ${what} "${what === "DSN" ? "(redacted)" : value}" with ${other}` });
      else seen.set(key, name);
    }
  }
  return problems;
}

/** The same client id registered in both Hydras would let one domain's grants pass for the other's. */
function checkClientIds(file: string, label: string): Problem[] {
  const doc: unknown = parse(readFileSync(file, "utf8"));
  if (!isObject(doc)) return [{ where: label, message: "must map ciam and iam to lists of clients" }];
  const ids = (domain: Domain) =>
    (Array.isArray(doc[domain]) ? doc[domain] : []).map((c) => (isObject(c) ? c.client_id : undefined)).filter((id): id is string => typeof id === "string");
  const problems: Problem[] = [];
  const iamIds = new Set(ids("iam"));
  for (const id of ids("ciam")) {
    if (iamIds.has(id)) problems.push({ where: label, message: `client id "${id}" is registered in both CIAM and IAM Hydra` });
  }
  for (const domain of DOMAINS) {
    for (const id of ids(domain)) {
      if (!id.startsWith(`${domain}-`)) problems.push({ where: label, message: `client id "${id}" in ${domain} Hydra must start with "${domain}-"` });
    }
  }
  return problems;
}

function interpolateDeep(value: YamlValue, env: Record<string, string>): YamlValue {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, env));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)]));
  return value;
}
