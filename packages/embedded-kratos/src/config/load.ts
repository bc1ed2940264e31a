import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { kratosConfigSchema, type ParsedKratosConfig } from "./schema";
import { findUnknownKeys, isPlainObject } from "./unknown-keys";

/** Folder Kratos' Compose setup mounts the config folder at; such URLs are mapped back to the file's own folder. */
export const MOUNTED_CONFIG_DIR = "/etc/config/kratos/";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface IdentitySchemaSource {
  id: string;
  /** The URL exactly as written in the config. */
  url: string;
  /** Absolute local file path the schema is read from. */
  file: string;
  /** Whether `?identity_schema=` may name it in self-service flows (Kratos' default: false). */
  selfserviceSelectable: boolean;
}

/** The validated, typed configuration the rest of the server receives. */
export interface KratosConfig extends Omit<ParsedKratosConfig, "identity"> {
  /** The (first) file the config was read from. */
  source: string;
  /** Every file, in merge order (`-c base.yml -c overlay.yml`). */
  sources: string[];
  /** serve.public.base_url with a trailing slash (the string CSRF cookie names are derived from). */
  publicBaseUrl: string;
  adminBaseUrl: string;
  identity: { default_schema_id: string; schemas: IdentitySchemaSource[] };
  /** `csrf_token_<sha256 hex of the public base URL>` */
  csrfCookieName: string;
  /**
   * Whether cookies get the Secure attribute: `cookies.secure` when set; else,
   * as in Kratos, outside dev mode — where an http public base URL counts as
   * dev mode too (there is no `--dev` flag, and Secure cookies would be lost on http).
   */
  secureCookies: boolean;
}

export interface LoadConfigOptions {
  /** Deep-merged over the files' merged contents before validation (arrays replace). */
  overrides?: Record<string, unknown>;
  /** Called once per unknown key; defaults to console.warn. */
  warn?: (message: string) => void;
}

/**
 * Reads one config file, or several merged in order as `kratos serve -c a.yml
 * -c b.yml` does (ory/x configx loads each file over the previous ones:
 * mappings merge key by key, lists and scalars of a later file replace).
 * Relative `file://` URLs resolve against the first file's folder.
 */
export function loadKratosConfig(configPath: string | readonly string[], options: LoadConfigOptions = {}): KratosConfig {
  const sources = (typeof configPath === "string" ? [configPath] : [...configPath]).map((file) => path.resolve(file));
  const [first] = sources;
  if (first === undefined) throw new ConfigError("no Kratos config file given");
  let merged: Record<string, unknown> = {};
  for (const source of sources) merged = deepMerge(merged, readConfigFile(source));
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  const label = sources.join(" + ");
  const config = buildConfig(first, label, merged, options.warn ?? ((m) => console.warn(m)));
  return { ...config, sources };
}

function readConfigFile(source: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(source, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read Kratos config ${source}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`Kratos config ${source} is not valid YAML: ${(error as Error).message}`);
  }
  // An empty file adds nothing (an overlay with no settings yet), as for Kratos.
  if (raw === null || raw === undefined) return {};
  if (!isPlainObject(raw)) throw new ConfigError(`Kratos config ${source} must be a YAML mapping`);
  return raw;
}

function buildConfig(
  source: string,
  label: string,
  raw: Record<string, unknown>,
  warn: (m: string) => void,
): Omit<KratosConfig, "sources"> {
  for (const key of findUnknownKeys(kratosConfigSchema, raw)) {
    warn(`embedded-kratos: config key "${key}" in ${label} is not supported and is ignored`);
  }
  const result = kratosConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new ConfigError(`invalid Kratos config ${label}:\n${problems}`);
  }
  const parsed = result.data;
  const dir = path.dirname(source);

  const publicBaseUrl = withSlash(parsed.serve.public.base_url ?? `http://127.0.0.1:${parsed.serve.public.port}/`);
  const adminBaseUrl = withSlash(parsed.serve.admin.base_url ?? `http://127.0.0.1:${parsed.serve.admin.port}/`);

  const schemas = parsed.identity.schemas.map((s) => ({
    id: s.id,
    url: s.url,
    file: resolveFileUrl(s.url, dir, `identity.schemas[${s.id}]`),
    selfserviceSelectable: s.selfservice_selectable ?? false,
  }));
  if (!schemas.some((s) => s.id === parsed.identity.default_schema_id)) {
    throw new ConfigError(
      `invalid Kratos config ${label}: identity.default_schema_id "${parsed.identity.default_schema_id}" is not one of identity.schemas (${schemas.map((s) => s.id).join(", ")})`,
    );
  }

  return {
    ...parsed,
    source,
    publicBaseUrl,
    adminBaseUrl,
    identity: { default_schema_id: parsed.identity.default_schema_id, schemas },
    csrfCookieName: csrfCookieNameFor(publicBaseUrl),
    secureCookies: parsed.cookies.secure ?? (publicBaseUrl.startsWith("https:") && parsed.dev !== true),
  };
}

export function csrfCookieNameFor(publicBaseUrl: string): string {
  return `csrf_token_${createHash("sha256").update(publicBaseUrl).digest("hex")}`;
}

/** Maps `file://` URLs (and the Compose mount folder) to local paths relative to the config file. */
export function resolveFileUrl(url: string, configDir: string, key: string): string {
  let filePath: string;
  if (url.startsWith("file://")) filePath = decodeURIComponent(new URL(url).pathname);
  else if (url.startsWith("base64://") || /^https?:\/\//.test(url)) {
    throw new ConfigError(`${key}: only file:// URLs are supported by embedded-kratos (got ${url})`);
  } else filePath = url;
  if (filePath.startsWith(MOUNTED_CONFIG_DIR)) return path.join(configDir, filePath.slice(MOUNTED_CONFIG_DIR.length));
  return path.resolve(configDir, filePath);
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

export type { ParsedKratosConfig };
