import { createPgPool, PgDatabase } from "@olympus/server-kit/postgres";
import { KratosPgClient, kratosTypes } from "./pg-time";

export { isDatabaseUnavailable, isUniqueViolation, type Queryable } from "@olympus/server-kit/postgres";

/**
 * Kratos' Postgres: the kit's pool (query, prepared statements,
 * transactions) opened from a Kratos DSN. Errors pass unchanged: the server
 * maps outages to its 503 (server.ts, isDatabaseUnavailable). Times keep
 * their microseconds both ways (pg-time.ts).
 */
export class Database extends PgDatabase {
  constructor(dsn: string, max = 16) {
    super(createPgPool(stripUnsupportedParams(dsn), { max, idleTimeoutMillis: 30_000, types: kratosTypes, Client: KratosPgClient }));
  }
}

/** Kratos DSNs may carry Ory-specific parameters (max_conns, ...) that libpq/pg do not know. */
function stripUnsupportedParams(dsn: string): string {
  if (!URL.canParse(dsn)) return dsn;
  const url = new URL(dsn);
  for (const key of ["max_conns", "max_idle_conns", "max_conn_lifetime", "max_idle_conn_time"]) url.searchParams.delete(key);
  if (url.searchParams.get("sslmode") === "disable") url.searchParams.delete("sslmode");
  return url.toString();
}
