import pg from "pg";
import { LEGACY_OLYMPUS_ROLE, OLYMPUS_DATABASE, OLYMPUS_MIGRATOR_ROLE } from "@olympus/athena-store/olympus-db";
import { DATABASE_ROLES, renderInitStatements, type RolePasswords } from "./postgres-init";

export interface LayoutResult {
  createdRoles: string[];
  createdDatabases: string[];
  /**
   * What happened to the legacy shared `olympus` login: renamed to the
   * migrator (it owned the tables), or, when a migrator already existed,
   * stripped of its objects and its LOGIN. Undefined when there was none.
   */
  legacyRole?: "renamed" | "disabled";
}

/**
 * Applies platform/postgres/init.sql — the file Compose runs on a fresh
 * volume — to a server that may already hold some of it: the devstack on
 * every start, the olympus-migrate one-shot on every `docker compose up`.
 * init.sql is not idempotent (CREATE ROLE/DATABASE fail when the object
 * exists), so each CREATE runs only for what is missing; an existing role
 * gets its password reset to the configured one; REVOKE/GRANT always run, so
 * the isolation is re-asserted each time. A server laid out by an earlier
 * init.sql has its shared `olympus` login retired first.
 */
export async function applyPostgresLayout(superuserUrl: string, passwords: RolePasswords, sql?: string): Promise<LayoutResult> {
  const client = new pg.Client({ connectionString: superuserUrl });
  client.on("error", () => {});
  try {
    await client.connect();
    const result: LayoutResult = { createdRoles: [], createdDatabases: [] };
    const legacyRole = await retireLegacyOlympusRole(client, superuserUrl);
    if (legacyRole) result.legacyRole = legacyRole;

    const roles = new Set((await client.query<{ rolname: string }>("select rolname from pg_roles")).rows.map((r) => r.rolname));
    const databases = new Set((await client.query<{ datname: string }>("select datname from pg_database")).rows.map((r) => r.datname));
    for (const statement of renderInitStatements(passwords, sql)) {
      const role = /^CREATE ROLE (\w+)/i.exec(statement)?.[1];
      const database = /^CREATE DATABASE (\w+)/i.exec(statement)?.[1];
      if (role && roles.has(role)) {
        await client.query(statement.replace(/^CREATE ROLE/i, "ALTER ROLE"));
        continue;
      }
      if (database && databases.has(database)) continue;
      await client.query(statement);
      if (role) result.createdRoles.push(role);
      if (database) result.createdDatabases.push(database);
    }
    return result;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Before per-domain roles, both Athenas logged in as `olympus`, which owned
 * the olympus database and its tables (so it could switch row-level security
 * and the audit log's trigger off). It becomes the migration role: renamed,
 * it keeps ownership of everything, and the name no Athena may log in as any
 * more is gone; init.sql then gives it the migrator's password. Should a
 * migrator exist already, the legacy role's objects move to it and the
 * legacy role keeps no LOGIN. Running it again finds nothing to do.
 */
async function retireLegacyOlympusRole(client: pg.Client, superuserUrl: string): Promise<LayoutResult["legacyRole"]> {
  const found = await client.query<{ rolname: string; rolcanlogin: boolean }>(
    "select rolname, rolcanlogin from pg_roles where rolname = any($1)",
    [[LEGACY_OLYMPUS_ROLE, OLYMPUS_MIGRATOR_ROLE]],
  );
  const legacy = found.rows.find((r) => r.rolname === LEGACY_OLYMPUS_ROLE);
  if (!legacy) return undefined;
  if (!found.rows.some((r) => r.rolname === OLYMPUS_MIGRATOR_ROLE)) {
    await client.query(`ALTER ROLE ${LEGACY_OLYMPUS_ROLE} RENAME TO ${OLYMPUS_MIGRATOR_ROLE}`);
    return "renamed";
  }
  const hasDatabase = (await client.query("select 1 from pg_database where datname = $1", [OLYMPUS_DATABASE])).rowCount === 1;
  if (hasDatabase) {
    // REASSIGN and DROP OWNED act on the current database (and shared objects such as the database itself).
    const olympus = new pg.Client({ connectionString: onDatabase(superuserUrl, OLYMPUS_DATABASE) });
    olympus.on("error", () => {});
    try {
      await olympus.connect();
      await olympus.query(`REASSIGN OWNED BY ${LEGACY_OLYMPUS_ROLE} TO ${OLYMPUS_MIGRATOR_ROLE}`);
      await olympus.query(`DROP OWNED BY ${LEGACY_OLYMPUS_ROLE}`);
    } finally {
      await olympus.end().catch(() => {});
    }
  }
  await client.query(`ALTER ROLE ${LEGACY_OLYMPUS_ROLE} NOLOGIN PASSWORD NULL`);
  return legacy.rolcanlogin ? "disabled" : undefined;
}

/** The same server and options, another database. */
export function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The migration role's URL on the server `superuserUrl` names (host, port and
 * TLS options kept): the migration step logs in with the password init.sql
 * was just given, so the two cannot disagree.
 */
export function olympusMigratorUrl(superuserUrl: string, password: string): string {
  const url = new URL(onDatabase(superuserUrl, OLYMPUS_DATABASE));
  url.username = OLYMPUS_MIGRATOR_ROLE;
  url.password = password;
  return url.toString();
}

export { DATABASE_ROLES, type RolePasswords };
