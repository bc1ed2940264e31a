import { existsSync } from "node:fs";
import path from "node:path";
import type { Domain } from "@olympus/runtime-config/config";
import { serviceDomain } from "../checks/compose";
import type { Problem } from "../problem";
import { isObject, type YamlObject, type YamlValue } from "../yaml";
import { readEnvFile, resolveVariables, type Env } from "./env-file";

/** One variable of a container's environment, as Compose would hand it over. */
export interface EnvValue {
  /** The value after interpolation; a reference the env file cannot fill stays as written. */
  value: string;
  /** The env-file variables it was built from (for messages: "from CIAM_KRATOS_CIPHER_SECRET"). */
  from: string[];
  /** False while it still holds such a reference (required-variables reports those). */
  complete: boolean;
  /** Where it is set, for messages: "platform/prod/compose.yml:services.ciam-kratos.environment.DSN". */
  where: string;
}

export interface ComposeService {
  name: string;
  /** By the ciam-/iam- name prefix; undefined for the shared services (postgres, caddy). */
  domain: Domain | undefined;
  /** The service mapping as written: YAML anchors merged, variables not interpolated. */
  spec: YamlObject;
  /** The container's environment: its env_file entries, overlaid by `environment`. */
  environment: Map<string, EnvValue>;
  /** "<compose label>:services.<name>", the start of every message about it. */
  where: string;
}

export interface ComposeProject {
  /** compose.yml's label in messages. */
  label: string;
  /** The whole file as written (not interpolated). */
  doc: YamlObject;
  services: ComposeService[];
  /** env_file entries that cannot be read. */
  problems: Problem[];
}

/**
 * compose.yml as `docker compose --env-file <env> up` would see each
 * service's environment: env_file entries (relative to the Compose file)
 * first, then `environment`, both interpolated with the env file; a bare
 * `KEY` (or `KEY:` with no value) is passed through from it.
 */
export function loadComposeProject(doc: YamlObject, file: string, label: string, env: Env): ComposeProject {
  const problems: Problem[] = [];
  const services: ComposeService[] = [];
  for (const [name, spec] of Object.entries(isObject(doc.services) ? doc.services : {})) {
    if (!isObject(spec)) continue;
    const where = `${label}:services.${name}`;
    const environment = new Map<string, EnvValue>();
    const set = (key: string, raw: string, at: string) => {
      const resolved = resolveVariables(raw, env);
      environment.set(key, { value: resolved.value, from: resolved.used, complete: resolved.missing.length === 0, where: at });
    };
    for (const { path: envFile, required } of envFilesOf(spec.env_file)) {
      const absolute = path.resolve(path.dirname(file), envFile);
      if (!existsSync(absolute)) {
        if (required)
          problems.push({ where: `${where}.env_file`, message: `${envFile} does not exist; docker compose would refuse to start` });
        continue;
      }
      for (const [key, raw] of Object.entries(readEnvFile(absolute))) set(key, raw, `${where}.env_file(${envFile}).${key}`);
    }
    for (const [key, raw] of environmentEntries(spec.environment)) {
      const at = `${where}.environment.${key}`;
      if (raw !== undefined) set(key, raw, at);
      else if (env[key] !== undefined) environment.set(key, { value: env[key], from: [key], complete: true, where: at });
    }
    services.push({ name, domain: serviceDomain(name), spec, environment, where });
  }
  return { label, doc, services, problems };
}

/** `environment` as a mapping or a list of KEY=value; undefined for a pass-through KEY. */
function environmentEntries(value: YamlValue | undefined): [string, string | undefined][] {
  if (Array.isArray(value)) {
    return value
      .filter((entry): entry is string => typeof entry === "string")
      .map((entry) => {
        const eq = entry.indexOf("=");
        return eq < 0 ? [entry, undefined] : [entry.slice(0, eq), entry.slice(eq + 1)];
      });
  }
  if (!isObject(value)) return [];
  return Object.entries(value).map(([key, v]) => [key, v === null ? undefined : String(v)]);
}

function envFilesOf(value: YamlValue | undefined): { path: string; required: boolean }[] {
  const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return entries.flatMap((entry) => {
    if (typeof entry === "string") return [{ path: entry, required: true }];
    if (isObject(entry) && typeof entry.path === "string") return [{ path: entry.path, required: entry.required !== false }];
    return [];
  });
}
