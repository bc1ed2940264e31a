import pg from "pg";

export type Db = pg.Pool;

/** Opens a connection pool; `sslmode` in Hydra-style DSNs is handled by pg itself. */
export function createPool(dsn: string): Db {
  const pool = new pg.Pool({ connectionString: dsn, max: 10 });
  // An idle client losing its connection (e.g. Postgres restart) must not crash the process.
  pool.on("error", () => undefined);
  return pool;
}
