import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import { deriveEncryptionKey, EncryptionKeyError } from "@olympus/athena-store/settings";
import { parse } from "yaml";
import { adaptCaddyfile, checkCaddyRoutes } from "../checks/caddy";
import { checkCompose } from "../checks/compose";
import { checkHydraConfig, checkKratosConfig } from "../checks/ory-config";
import type { Problem } from "../problem";
import { isObject, readYamlObject, type YamlObject, type YamlValue } from "../yaml";
import { checkCaddyUpstreams } from "./caddy-upstreams";
import { loadComposeProject, type ComposeProject } from "./compose-model";
import { checkComposeScope } from "./compose-scope";
import { checkServiceDatabaseUrls, dsnQueryProblem } from "./database-urls";
import { interpolate } from "./env-file";
import { checkNetworks } from "./networks";
import { checkOlympusDatabaseAccess } from "./olympus-database";
import { checkOryCommand, settingsOverlayVolume } from "./ory-command";
import { checkOryEnvironment, overlayEnvironment, type OryKind } from "./ory-environment";
import { checkOrySecrets } from "./ory-secrets";
import { checkRequiredVariables } from "./required-variables";

export interface ProductionConfigSet {
  /** Folder with compose.yml, <domain>-{kratos,hydra}/ and oauth2-clients.yml (platform/prod). */
  dir: string;
  caddyfile: string;
  /** The deployment's environment (the --env-file Compose would get). */
  env: Record<string, string>;
}

/**
 * Checks a production configuration set for every way the CIAM/IAM boundary
 * is known to break: cross-domain or request-time Caddy upstreams, parent
 * cookie domains, shared DSNs or roles and DSN query strings that override
 * them, Ory settings undone through the environment, networks and aliases
 * that cross domains, admin ports reachable from outside, OAuth2 client ids
 * on both domains, secrets Kratos or Hydra would refuse at start, variables
 * the env file lacks, and a weak ENCRYPTION_KEY.
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

  const oryConfigs: OryConfigFile[] = [];
  for (const domain of DOMAINS) {
    for (const kind of ["kratos", "hydra"] as const) {
      const file = path.join(set.dir, `${domain}-${kind}`, `${kind}.yml`);
      if (!required(file)) continue;
      const config = readYamlObject(file);
      const label = rel(file);
      problems.push(...(kind === "kratos" ? checkKratosConfig : checkHydraConfig)(config, { domain, file: label }));
      const dsnProblem = typeof config.dsn === "string" ? dsnQueryProblem(config.dsn) : undefined;
      if (dsnProblem) problems.push({ where: `${label}:dsn`, message: dsnProblem });
      oryConfigs.push({ domain, kind, config, file, label });
    }
  }

  const composeFile = path.join(set.dir, "compose.yml");
  if (required(composeFile)) {
    const raw = readYamlObject(composeFile);
    const label = rel(composeFile);
    const compose = interpolateDeep(raw, set.env) as YamlObject;
    const project = loadComposeProject(raw, composeFile, label, set.env);
    problems.push(...checkComposeScope(set.dir, raw, label, rel));
    problems.push(...checkRequiredVariables(raw, label, set.env));
    problems.push(...project.problems);
    problems.push(...checkCompose(compose, { file: label, stage: "prod" }));
    problems.push(...checkSharedDatabaseAccess(compose, label));
    problems.push(...project.services.flatMap(checkServiceDatabaseUrls));
    problems.push(...checkNetworks(project, set.env));
    problems.push(...checkOlympusDatabaseAccess(project));
    problems.push(...checkOryServices(project, oryConfigs, set.dir, set.env));
  }

  const clientsFile = path.join(set.dir, "oauth2-clients.yml");
  if (required(clientsFile)) problems.push(...checkClientIds(clientsFile, rel(clientsFile)));

  if (required(set.caddyfile)) {
    const parent = set.env.OLYMPUS_DOMAIN;
    if (!parent) problems.push({ where: "OLYMPUS_DOMAIN", message: "is missing; set the parent domain (example.com)" });
    else {
      const adapted = adaptCaddyfile(set.caddyfile, { ...set.env, DOMAIN: parent });
      const upstreams = checkCaddyUpstreams(adapted, rel(set.caddyfile));
      problems.push(...upstreams.problems);
      // A request-time upstream is refused above; "not an upstream of the domain" would say it twice.
      const repeats = (message: string) => [...upstreams.refusedDials].some((dial) => message.includes(dial));
      problems.push(...checkCaddyRoutes(adapted, parent, rel(set.caddyfile)).filter((problem) => !repeats(problem.message)));
    }
  }
  return problems;
}

interface OryConfigFile {
  domain: Domain;
  kind: OryKind;
  config: YamlObject;
  /** Absolute path, and its label in messages. */
  file: string;
  label: string;
}

/**
 * The Kratos and Hydra services as they would run: started with the checked
 * config file, with their Compose environment laid over it, held to the same
 * checks and to the bounds the binaries put on their secrets.
 */
function checkOryServices(project: ComposeProject, configs: readonly OryConfigFile[], dir: string, env: Record<string, string>): Problem[] {
  return configs.flatMap(({ domain, kind, config, file, label }) => {
    const name = `${domain}-${kind}`;
    const service = project.services.find((s) => s.name === name);
    if (!service) return [{ where: `${project.label}:services.${name}`, message: "is missing" }];
    const migrate = project.services.find((s) => s.name === `${name}-migrate`);
    const overlay = overlayEnvironment(kind, config, service.environment);
    return [
      // Only the serving Kratos reads the settings overlay; its migration step needs the checked file alone.
      ...checkOryCommand(service, file, dir, env, kind === "kratos" ? settingsOverlayVolume(domain) : undefined),
      ...(migrate ? checkOryCommand(migrate, file, dir, env) : []),
      ...checkOryEnvironment({ kind, domain, service, file: config, fileLabel: label, overlay }),
      ...checkOrySecrets(kind, overlay, service, label),
    ];
  });
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
      if (other)
        problems.push({
          where: `${file}:services.${name}`,
          message: `shares its ${what} "${what === "DSN" ? "(redacted)" : value}" with ${other}`,
        });
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
    (Array.isArray(doc[domain]) ? doc[domain] : [])
      .map((c) => (isObject(c) ? c.client_id : undefined))
      .filter((id): id is string => typeof id === "string");
  const problems: Problem[] = [];
  const iamIds = new Set(ids("iam"));
  for (const id of ids("ciam")) {
    if (iamIds.has(id)) problems.push({ where: label, message: `client id "${id}" is registered in both CIAM and IAM Hydra` });
  }
  for (const domain of DOMAINS) {
    for (const id of ids(domain)) {
      if (!id.startsWith(`${domain}-`))
        problems.push({ where: label, message: `client id "${id}" in ${domain} Hydra must start with "${domain}-"` });
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
