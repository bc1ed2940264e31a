import type { Problem } from "../problem";
import type { ComposeService } from "./compose-model";

/**
 * Query parameters that leave role, database and host alone. pgx (Kratos,
 * Hydra) and node-postgres (Athena) read `user`, `dbname`/`database`, `host`
 * and `port` from the query string over the URL's own parts, pgx loads all
 * three from a `service` file, and both send `options` — and pgx every
 * parameter it does not know — to the server as settings at log-in
 * (search_path, role, …). So only a known list is let through.
 */
export const HARMLESS_DSN_PARAMETERS: readonly string[] = [
  "sslmode",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "sslsni",
  "connect_timeout",
  "application_name",
  // Ory's connection pool settings, taken out of the DSN before it reaches pgx.
  "max_conns",
  "max_idle_conns",
  "max_conn_lifetime",
  "max_conn_idle_time",
];

const EFFECTS: Record<string, string> = {
  user: "would override the role named in the URL",
  password: "would override the password in the URL",
  dbname: "would override the database named in the URL",
  database: "would override the database named in the URL",
  host: "would override the host named in the URL",
  hostaddr: "would override the host named in the URL",
  port: "would override the host's port named in the URL",
  service: "would load role, database and host from a service file",
  servicefile: "would load role, database and host from a service file",
  options: "would change server settings at log-in (-c search_path=…, -c role=…)",
};
const UNKNOWN_EFFECT = "would change server settings at log-in (pgx sends parameters it does not know to the server)";

/**
 * libpq-style variables Postgres drivers read as connection defaults: the
 * role, database, host and server options a DSN does not pin itself.
 */
const CONNECTION_DEFAULT_VARIABLES = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGSERVICE", "PGSERVICEFILE"];

/** Why a postgres:// URL's query string could reach another role, database or host; undefined when it cannot. */
export function dsnQueryProblem(dsn: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(dsn)) return undefined;
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return undefined; // not a URL at all: the DSN checks report that
  }
  const offending = [...new Set(url.searchParams.keys())].filter((key) => !HARMLESS_DSN_PARAMETERS.includes(key));
  if (offending.length === 0) return undefined;
  const reasons = offending.map((key) => `query parameter "${key}" ${EFFECTS[key] ?? UNKNOWN_EFFECT}`).join("; ");
  return `${reasons}; drivers honour the query string over the URL, so only ${HARMLESS_DSN_PARAMETERS.join(", ")} may be set there`;
}

/** Every Postgres URL in a service's environment, and the variables that would redirect its connections. */
export function checkServiceDatabaseUrls(service: ComposeService): Problem[] {
  const problems: Problem[] = [];
  for (const [key, entry] of service.environment) {
    const problem = dsnQueryProblem(entry.value);
    if (problem) problems.push({ where: entry.where, message: problem });
    // The Postgres image itself is configured through its own environment.
    if (service.name !== "postgres" && CONNECTION_DEFAULT_VARIABLES.includes(key)) {
      problems.push({
        where: entry.where,
        message:
          "Postgres drivers read it as a connection default (role, database, host or server options); leave it unset and say everything in the DSN",
      });
    }
  }
  return problems;
}
