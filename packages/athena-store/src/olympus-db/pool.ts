import pg from "pg";

/**
 * A connection pool for the shared `olympus` database. Small on purpose: the
 * settings and audit stores are low-volume, and the server is shared with
 * both domains' Ory databases.
 */
export function createOlympusPool(connectionString: string, max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process.
  pool.on("error", (error) => console.error(`olympus database: idle client error: ${error.message}`));
  return pool;
}
