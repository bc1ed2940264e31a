/**
 * olympus-migrate: the olympus database's migration step. Compose runs it as
 * the one-shot `olympus-migrate` service (from the Athena image:
 * `node apps/athena/olympus-migrate.mjs`) before either Athena starts; the
 * devstack does the same at start; elsewhere `npm run olympus-db:migrate`.
 *
 *   1. As the superuser: platform/postgres/init.sql, re-applied idempotently
 *      — the roles a volume made by an older init.sql lacks, every password
 *      from the environment, the CONNECT grants — with the legacy shared
 *      `olympus` login retired (renamed to olympus_migrator, which it was).
 *   2. As olympus_migrator: the olympus database's pending migrations.
 *
 * Athena itself holds only its domain's role, which has no DDL rights.
 *
 * Environment: POSTGRES_SUPERUSER_URL (postgres://postgres:…@host:5432/postgres),
 * the seven role passwords init.sh takes (CIAM_KRATOS_DB_PASSWORD, …,
 * OLYMPUS_MIGRATOR_DB_PASSWORD, CIAM_OLYMPUS_DB_PASSWORD,
 * IAM_OLYMPUS_DB_PASSWORD), and OLYMPUS_INIT_SQL (default: this checkout's
 * platform/postgres/init.sql).
 */
import { readFileSync } from "node:fs";
import { createOlympusPool, migrateOlympusDatabase } from "@olympus/athena-store/olympus-db";
import { DATABASE_ROLES, INIT_SQL_PATH, ROLE_PASSWORD_VARIABLES, type RolePasswords } from "./postgres-init";
import { applyPostgresLayout, olympusMigratorUrl } from "./postgres-layout";

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is missing`);
  return value;
}

async function main(): Promise<void> {
  const superuserUrl = required("POSTGRES_SUPERUSER_URL");
  const passwords = Object.fromEntries(DATABASE_ROLES.map((role) => [role, required(ROLE_PASSWORD_VARIABLES[role])])) as RolePasswords;
  const initSqlPath = process.env.OLYMPUS_INIT_SQL?.trim() || INIT_SQL_PATH;
  const layout = await applyPostgresLayout(superuserUrl, passwords, readFileSync(initSqlPath, "utf8"));
  const created = [...layout.createdRoles.map((r) => `role ${r}`), ...layout.createdDatabases.map((d) => `database ${d}`)];
  console.log(`olympus-migrate: ${initSqlPath} applied${created.length > 0 ? `; created ${created.join(", ")}` : ""}`);
  if (layout.legacyRole)
    console.log(
      `olympus-migrate: the shared "olympus" login is retired (${layout.legacyRole === "renamed" ? "renamed to olympus_migrator" : "NOLOGIN, its objects moved to olympus_migrator"})`,
    );

  const pool = createOlympusPool(olympusMigratorUrl(superuserUrl, passwords.olympus_migrator), 1);
  try {
    const applied = await migrateOlympusDatabase(pool);
    console.log(
      `olympus-migrate: olympus database ${applied.length > 0 ? `migrated (applied ${applied.join(", ")})` : "already up to date"}`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`olympus-migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
