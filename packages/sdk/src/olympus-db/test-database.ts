import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import pg from "pg";
import { migrateOlympusDatabase } from "./migrations";

export interface TestOlympusDatabase {
  server: TestPostgres;
  /** A pool connected as the non-superuser `olympus` role, like production. */
  pool: pg.Pool;
  /** Superuser access, for inspecting and tampering with rows in tests. */
  superuser: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL with the `olympus` database laid out as in
 * platform/postgres/init.sql (owned by a non-superuser role, so row-level
 * security applies) and migrated.
 */
export async function startTestOlympusDatabase(): Promise<TestOlympusDatabase> {
  const server = await startTestPostgres();
  await server.query("CREATE ROLE olympus LOGIN PASSWORD 'olympus_test_password'");
  await server.query("CREATE DATABASE olympus OWNER olympus");
  const pool = new pg.Pool({ connectionString: `postgres://olympus:olympus_test_password@127.0.0.1:${server.port}/olympus`, max: 4 });
  // The server is stopped right after the pool: a client it terminates mid-close is not a test failure.
  pool.on("error", () => {});
  await migrateOlympusDatabase(pool);
  return {
    server,
    pool,
    superuser: (sql, params) => server.query(sql, params ?? [], "olympus"),
    async stop() {
      await pool.end();
      await server.stop();
    },
  };
}
