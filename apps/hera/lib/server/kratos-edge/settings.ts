import path from "node:path";
import { envPrefix, type Domain } from "@olympus/runtime-config/config";
import { olympusDomainRole } from "@olympus/athena-store/olympus-db";
import { loadLimits, LimitsFileError, type LimitsConfig } from "./limits-config";

/**
 * What Hera's edge reads from the environment besides the common instance
 * config: where its counters live and which limits apply. Each variable may
 * carry the domain's prefix (`CIAM_OLYMPUS_DATABASE_URL`), like the others.
 *
 * - OLYMPUS_DATABASE_URL (required): the `olympus` database, logged in as
 *   this domain's own role (`olympus_ciam` / `olympus_iam`), the same one
 *   its Athena uses; row-level security keeps each domain's counters apart.
 * - LIMITS_FILE (optional): the limits YAML (platform/{dev,prod}/<domain>-hera/limits.yml);
 *   without it the domain's production figures apply.
 */
export const EDGE_VARIABLES = { databaseUrl: "OLYMPUS_DATABASE_URL", limitsFile: "LIMITS_FILE" } as const;

export interface EdgeSettings {
  databaseUrl: string;
  limits: LimitsConfig;
}

/** The edge's settings are unusable; the message names the variable (or file and key) and the fix. */
export class EdgeSettingsError extends Error {
  override name = "EdgeSettingsError";
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, domain: Domain, name: string): { value: string | undefined; source: string } {
  const prefixed = `${envPrefix(domain)}${name}`;
  const plain = env[name]?.trim() || undefined;
  const scoped = env[prefixed]?.trim() || undefined;
  if (plain !== undefined && scoped !== undefined && plain !== scoped)
    throw new EdgeSettingsError(`${name}: conflicts with ${prefixed}; set only one of them`);
  return scoped !== undefined ? { value: scoped, source: prefixed } : { value: plain, source: name };
}

/** Reads and validates the edge's settings (the limits file included) once, at start-up. */
export function loadEdgeSettings(env: Env, domain: Domain, cwd = process.cwd()): EdgeSettings {
  const role = olympusDomainRole(domain);
  const database = read(env, domain, EDGE_VARIABLES.databaseUrl);
  if (database.value === undefined) {
    throw new EdgeSettingsError(
      `${EDGE_VARIABLES.databaseUrl}: is missing; Hera keeps its sign-in limits in the olympus database: set it with this domain's role, e.g. postgres://${role}:…@127.0.0.1:5432/olympus`,
    );
  }
  let url: URL;
  try {
    url = new URL(database.value);
  } catch {
    throw new EdgeSettingsError(`${database.source}: is not a valid postgres:// URL`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new EdgeSettingsError(`${database.source}: must be a postgres:// URL, got "${url.protocol}"`);
  const users = [decodeURIComponent(url.username), ...url.searchParams.getAll("user")];
  const wrong = users.find((user) => user !== role);
  if (wrong !== undefined)
    throw new EdgeSettingsError(
      `${database.source}: ${wrong === "" ? "names no role" : `logs in as "${wrong}"`}; Hera ${domain.toUpperCase()} must log in as "${role}"`,
    );
  if (decodeURIComponent(url.pathname.replace(/^\//, "")) !== "olympus")
    throw new EdgeSettingsError(`${database.source}: must name the olympus database (…/olympus)`);

  const file = read(env, domain, EDGE_VARIABLES.limitsFile).value;
  try {
    return { databaseUrl: database.value, limits: loadLimits(domain, file === undefined ? undefined : path.resolve(cwd, file)) };
  } catch (error) {
    if (error instanceof LimitsFileError) throw new EdgeSettingsError(`${EDGE_VARIABLES.limitsFile}: ${error.message}`);
    throw error;
  }
}
