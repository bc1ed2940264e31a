import { startTestPostgres, type TestPostgres, type UntypedRow } from "@olympus/test-postgres";
import pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { migrateOlympusDatabase } from "./migrations";
import { OLYMPUS_DATABASE, OLYMPUS_MIGRATOR_ROLE, olympusDomainRole } from "./roles";

/** Connection strings of the `olympus` database on a test server, one per role. */
export type OlympusTestUrls = Record<Domain | "migrator", string>;

export interface TestOlympusDatabase {
  server: TestPostgres;
  /** Each Athena's pool, logged in as its own domain's role (olympus_ciam, olympus_iam), like production. */
  pools: Record<Domain, pg.Pool>;
  urls: OlympusTestUrls;
  /** Superuser access, for inspecting and tampering with rows in tests. */
  superuser: <Row extends pg.QueryResultRow = UntypedRow>(sql: string, params?: unknown[]) => Promise<pg.QueryResult<Row>>;
  stop(): Promise<void>;
}

const PASSWORD = {
  migrator: "olympus_migrator_test_password",
  ciam: "olympus_ciam_test_password",
  iam: "olympus_iam_test_password",
} as const;

/**
 * Lays the `olympus` database out on `server` as platform/postgres/init.sql
 * does — the migrator owns it, each domain role may only connect — and
 * migrates it as the migrator, as the migration step does.
 * platform/src/postgres-init.test.ts holds init.sql itself to this layout.
 */
export async function layOutTestOlympusDatabase(server: TestPostgres): Promise<OlympusTestUrls> {
  const roles = { migrator: OLYMPUS_MIGRATOR_ROLE, ciam: olympusDomainRole("ciam"), iam: olympusDomainRole("iam") } as const;
  for (const [key, role] of Object.entries(roles))
    await server.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD[key as keyof typeof roles]}'`);
  await server.query(`CREATE DATABASE ${OLYMPUS_DATABASE} OWNER ${roles.migrator}`);
  await server.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${OLYMPUS_DATABASE} FROM PUBLIC`);
  await server.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${OLYMPUS_DATABASE} TO ${roles.migrator}`);
  await server.query(`GRANT CONNECT ON DATABASE ${OLYMPUS_DATABASE} TO ${roles.ciam}, ${roles.iam}`);
  const url = (key: keyof typeof roles) => `postgres://${roles[key]}:${PASSWORD[key]}@127.0.0.1:${server.port}/${OLYMPUS_DATABASE}`;
  const urls: OlympusTestUrls = { migrator: url("migrator"), ciam: url("ciam"), iam: url("iam") };
  const migrator = new pg.Pool({ connectionString: urls.migrator, max: 1 });
  try {
    await migrateOlympusDatabase(migrator);
  } finally {
    await migrator.end();
  }
  return urls;
}

/** A real PostgreSQL with the `olympus` database laid out and migrated, and one pool per domain role. */
export async function startTestOlympusDatabase(): Promise<TestOlympusDatabase> {
  const server = await startTestPostgres();
  const urls = await layOutTestOlympusDatabase(server);
  const pool = (connectionString: string) => {
    const created = new pg.Pool({ connectionString, max: 4 });
    // The server is stopped right after the pools: a client it terminates mid-close is not a test failure.
    created.on("error", () => {});
    return created;
  };
  const pools = { ciam: pool(urls.ciam), iam: pool(urls.iam) };
  return {
    server,
    pools,
    urls,
    superuser: <Row extends pg.QueryResultRow>(sql: string, params?: unknown[]) => server.query<Row>(sql, params ?? [], OLYMPUS_DATABASE),
    async stop() {
      await Promise.all([pools.ciam.end(), pools.iam.end()]);
      await server.stop();
    },
  };
}
