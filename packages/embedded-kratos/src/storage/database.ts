import pg from "pg";

/** Anything that runs a parameterised query: the pool wrapper or a transaction client. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The Postgres pool plus a transaction helper; every multi-row change goes through `transaction`. */
export class Database {
  readonly pool: pg.Pool;

  constructor(dsn: string, max = 16) {
    // A connect that cannot finish (Postgres gone, network black hole) fails after 5 s instead of hanging the request.
    this.pool = new pg.Pool({ connectionString: stripUnsupportedParams(dsn), max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
    // An idle client losing its connection must not crash the process.
    this.pool.on("error", () => {});
  }

  query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(sql, params);
  }

  /** A named (server-side prepared) statement for hot paths such as whoami: parsed and planned once per connection. */
  prepared<R extends pg.QueryResultRow>(name: string, sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>({ name, text: sql, values: params });
  }

  async transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no pool listener: a connection cut between two statements (Postgres
    // stopped, backend terminated) would be an unhandled 'error' event and end the process.
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
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.removeListener("error", onError);
      // A broken connection is destroyed instead of going back to the pool.
      client.release(broken);
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
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

export function isUniqueViolation(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === "23505";
}

const NETWORK_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// Connection exceptions, "terminating connection due to administrator command", crash/startup shutdowns, too many connections.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * True when an error means "the database cannot be reached right now"
 * (stopped, restarting, refusing connections, connection cut) rather than a
 * bug: the server answers those with 503 and recovers by itself.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
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
