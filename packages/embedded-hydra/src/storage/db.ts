import { createPgPool, isDatabaseUnavailable as isOutage, PgDatabase } from "@olympus/server-kit/postgres";
import { errors } from "oidc-provider";

/**
 * "The database cannot be reached right now" — Postgres stopped, restarting,
 * refusing connections, or a connection cut. It is oidc-provider's
 * `temporarily_unavailable` with status 503, so the OAuth2 endpoints answer
 * it as such (JSON, or a redirect with the error), and the admin and glue
 * layers answer 503 too; the pool reconnects by itself once Postgres is back.
 */
export class DatabaseUnavailableError extends errors.TemporarilyUnavailable {
  constructor(cause: unknown) {
    super("the database cannot be reached at the moment; retry shortly", { cause });
    this.status = 503;
    this.statusCode = 503;
    this.expose = true;
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return isOutage(error, (e) => e instanceof DatabaseUnavailableError);
}

function translate(error: unknown): unknown {
  return isDatabaseUnavailable(error) && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(error) : error;
}

/** The kit's pool wrapper, with connectivity errors turned into DatabaseUnavailableError. */
export type Db = PgDatabase;

/** Opens a connection pool; `sslmode` in Hydra-style DSNs is handled by pg itself. */
export function createPool(dsn: string): Db {
  return new PgDatabase(createPgPool(dsn, { max: 10 }), translate);
}
