import pg from "pg";

/** Anything that runs a parameterised query: the database or a transaction client. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface PoolOptions {
  /** Most connections open at once. */
  max: number;
  /** Close a connection idle this long; pg's default (10 s) when absent. */
  idleTimeoutMillis?: number;
  /** The connections' type parsers; pg's global ones when absent. */
  types?: pg.CustomTypesConfig;
  /** The client class of the connections; pg.Client when absent. */
  Client?: pg.PoolConfig["Client"];
}

/**
 * A pg pool that survives Postgres going away: a connect that cannot finish
 * (Postgres gone, network black hole) fails after 5 s instead of hanging a
 * request, and an idle client losing its connection (a restart) does not
 * crash the process.
 */
export function createPgPool(connectionString: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max,
    ...(options.idleTimeoutMillis === undefined ? {} : { idleTimeoutMillis: options.idleTimeoutMillis }),
    ...(options.types === undefined ? {} : { types: options.types }),
    ...(options.Client === undefined ? {} : { Client: options.Client }),
    connectionTimeoutMillis: 5_000,
  });
  pool.on("error", () => undefined);
  return pool;
}

/**
 * The pool plus a transaction helper; every multi-statement change goes
 * through `transaction`. `mapError` turns a failure into the server's own
 * error (Hydra turns outages into oidc-provider's temporarily_unavailable);
 * by default errors pass unchanged.
 */
export class PgDatabase implements Queryable {
  constructor(
    readonly pool: pg.Pool,
    private readonly mapError: (error: unknown) => unknown = (error) => error,
  ) {}

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw this.mapError(error);
    }
  }

  /** A named (server-side prepared) statement for the hot paths (whoami, introspection): parsed and planned once per connection. */
  async prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
    name: string,
    sql: string,
    params: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>({ name, text: sql, values: params });
    } catch (error) {
      throw this.mapError(error);
    }
  }

  /** BEGIN … COMMIT on one connection; ROLLBACK when `work` throws. */
  async transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.mapError(error);
    }
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
      await client.query("ROLLBACK").catch(() => undefined);
      throw this.mapError(error);
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
