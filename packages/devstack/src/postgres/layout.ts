import { DATABASE_ROLES, databaseOf, type RolePasswords } from "@olympus/platform/postgres-init";
import { applyPostgresLayout, olympusMigratorUrl, type LayoutResult } from "@olympus/platform/postgres-layout";
import { createOlympusPool, migrateOlympusDatabase } from "@olympus/athena-store/olympus-db";
import { DevstackError, messageOf } from "../errors";

/**
 * Applies platform/postgres/init.sql — the file Compose runs on a fresh
 * volume — to a server that may already hold some of it (see
 * applyPostgresLayout: missing roles and databases created, passwords reset,
 * grants re-asserted, the shared `olympus` login of earlier versions retired).
 */
export async function applyDatabaseLayout(superuserUrl: string, passwords: RolePasswords): Promise<LayoutResult> {
  try {
    return await applyPostgresLayout(superuserUrl, passwords);
  } catch (error) {
    throw new DevstackError("postgres", `Postgres: applying platform/postgres/init.sql failed: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * The olympus database's migration step, as the tables' owner: Athena only
 * checks the schema (its roles have no DDL rights), so the stack migrates it
 * before the apps need it. Returns the ids it applied.
 */
export async function migrateOlympusAsMigrator(superuserUrl: string, migratorPassword: string): Promise<number[]> {
  const pool = createOlympusPool(olympusMigratorUrl(superuserUrl, migratorPassword), 1);
  try {
    return await migrateOlympusDatabase(pool);
  } catch (error) {
    throw new DevstackError("postgres", `Postgres: migrating the olympus database failed: ${messageOf(error)}`, { cause: error });
  } finally {
    await pool.end();
  }
}

export { DATABASE_ROLES, databaseOf, type RolePasswords };
