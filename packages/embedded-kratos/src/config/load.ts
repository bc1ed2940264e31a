import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { kratosConfigSchema, type ParsedKratosConfig } from "./schema";
import { findNotImplementedKeys, findUnknownKeys, isPlainObject } from "./unknown-keys";

/** Folder Kratos' Compose setup mounts the config folder at; such URLs are mapped back to the file's own folder. */
const MOUNTED_CONFIG_DIR = "/etc/config/kratos/";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface IdentitySchemaSource {
  id: string;
  /** The URL exactly as written in the config. */
  url: string;
  /** Absolute local file path the schema is read from. */
  file: string;
}

/** The validated, typed configuration the rest of the server receives. */
export interface KratosConfig extends Omit<ParsedKratosConfig, "identity"> {
  /** The file the config was read from. */
  source: string;
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
  /** Deep-merged over the file's contents before validation (arrays replace). */
  overrides?: Record<string, unknown>;
  /** Called once per unknown key; defaults to console.warn. */
  warn?: (message: string) => void;
}

export function loadKratosConfig(configPath: string, options: LoadConfigOptions = {}): KratosConfig {
  const source = path.resolve(configPath);
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
  if (!isPlainObject(raw)) throw new ConfigError(`Kratos config ${source} must be a YAML mapping`);
  const merged = options.overrides ? deepMerge(raw, options.overrides) : raw;
  return buildConfig(source, merged, options.warn ?? ((m) => console.warn(m)));
}

function buildConfig(source: string, raw: Record<string, unknown>, warn: (m: string) => void): KratosConfig {
  for (const key of [...findUnknownKeys(kratosConfigSchema, raw), ...findNotImplementedKeys(raw)]) {
    warn(`embedded-kratos: config key "${key}" in ${source} is not supported and is ignored`);
  }
  const result = kratosConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new ConfigError(`invalid Kratos config ${source}:\n${problems}`);
  }
  const parsed = result.data;
  const dir = path.dirname(source);

  const publicBaseUrl = withSlash(parsed.serve.public.base_url ?? `http://127.0.0.1:${parsed.serve.public.port}/`);
  const adminBaseUrl = withSlash(parsed.serve.admin.base_url ?? `http://127.0.0.1:${parsed.serve.admin.port}/`);

  const schemas = parsed.identity.schemas.map((s) => ({
    id: s.id,
    url: s.url,
    file: resolveFileUrl(s.url, dir, `identity.schemas[${s.id}]`),
  }));
  if (!schemas.some((s) => s.id === parsed.identity.default_schema_id)) {
    throw new ConfigError(
      `invalid Kratos config ${source}: identity.default_schema_id "${parsed.identity.default_schema_id}" is not one of identity.schemas (${schemas.map((s) => s.id).join(", ")})`,
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
