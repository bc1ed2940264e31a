import pg from "pg";
import { DATABASE_ROLES, renderInitStatements, type RolePasswords } from "@olympus/platform/postgres-init";
import { DevstackError, messageOf } from "../errors";

export interface LayoutResult {
  createdRoles: string[];
  createdDatabases: string[];
}

/**
 * Applies platform/postgres/init.sql — the file Compose runs on a fresh
 * volume — to a server that may already hold some of it. init.sql is not
 * idempotent (CREATE ROLE/DATABASE fail when the object exists), so each
 * CREATE runs only for what is missing; an existing role gets its password
 * reset to the one its config's DSN carries; REVOKE/GRANT always run, so the
 * isolation is re-asserted on every start.
 */
export async function applyDatabaseLayout(superuserUrl: string, passwords: RolePasswords): Promise<LayoutResult> {
  const client = new pg.Client({ connectionString: superuserUrl });
  client.on("error", () => {});
  try {
    await client.connect();
    const roles = new Set((await client.query<{ rolname: string }>("select rolname from pg_roles")).rows.map((r) => r.rolname));
    const databases = new Set((await client.query<{ datname: string }>("select datname from pg_database")).rows.map((r) => r.datname));
    const result: LayoutResult = { createdRoles: [], createdDatabases: [] };

    for (const statement of renderInitStatements(passwords)) {
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
  } catch (error) {
    throw new DevstackError("postgres", `Postgres: applying platform/postgres/init.sql failed: ${messageOf(error)}`, { cause: error });
  } finally {
    await client.end().catch(() => {});
  }
}

export { DATABASE_ROLES, type RolePasswords };
