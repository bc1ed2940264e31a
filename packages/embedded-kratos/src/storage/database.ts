import pg from "pg";

/** Anything that runs a parameterised query: the pool wrapper or a transaction client. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The Postgres pool plus a transaction helper; every multi-row change goes through `transaction`. */
export class Database {
  readonly pool: pg.Pool;

  constructor(dsn: string, max = 16) {
    this.pool = new pg.Pool({ connectionString: stripUnsupportedParams(dsn), max, idleTimeoutMillis: 30_000 });
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
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
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
