import { errors } from "oidc-provider";
import pg from "pg";

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

const NETWORK_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// Connection exceptions, "terminating connection due to administrator command", crash/startup shutdowns, too many connections.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? "";
    return code.startsWith("08") || UNAVAILABLE_SQLSTATES.has(code) || (code === "55000" && /not currently accepting connections/.test(error.message));
  }
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && NETWORK_ERRORS.has(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|connection error|Client was closed/i.test(error.message);
}

function translate(error: unknown): unknown {
  return isDatabaseUnavailable(error) && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(error) : error;
}

/** The connection pool, with connectivity errors turned into DatabaseUnavailableError. */
export class Db {
  constructor(readonly pool: pg.Pool) {}

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw translate(error);
    }
  }

  /** A named statement (parsed and planned once per connection) for the hot paths such as introspection. */
  async prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>({ name, text, values });
    } catch (error) {
      throw translate(error);
    }
  }

  /** BEGIN … COMMIT on one connection; a connection cut while it is checked out never becomes an unhandled 'error' event. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translate(error);
    }
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw translate(error);
    } finally {
      client.removeListener("error", onError);
      client.release(broken);
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

/** Opens a connection pool; `sslmode` in Hydra-style DSNs is handled by pg itself. */
export function createPool(dsn: string): Db {
  // A connect that cannot finish (Postgres gone, network black hole) fails after 5 s instead of hanging.
  const pool = new pg.Pool({ connectionString: dsn, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (e.g. Postgres restart) must not crash the process.
  pool.on("error", () => undefined);
  return new Db(pool);
}
