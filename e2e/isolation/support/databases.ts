import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createOlympusPool } from "@olympus/athena-store/olympus-db";
import { EMBEDDED_OLYMPUS_DATABASE_URLS } from "@olympus/devstack/defaults";

const PLATFORM_DEV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "platform", "dev");

/** The databases init.sql creates, each named by (and reached as) the role that uses it. */
export const ROLES = ["ciam_kratos", "ciam_hydra", "iam_kratos", "iam_hydra", "olympus"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Each role's DSN as the running stack uses it: the Ory servers' from their
 * platform/dev config files (what the devstack reads); for `olympus`, the
 * olympus database as Athena CIAM reaches it (its own role, olympus_ciam; the
 * two Athena roles are held apart inside that database by settings.spec.ts).
 */
export function devDsn(role: Role): string {
  if (role === "olympus") return EMBEDDED_OLYMPUS_DATABASE_URLS.ciam;
  const [domain, service] = role.split("_");
  const file = path.join(PLATFORM_DEV, `${domain}-${service}`, `${service}.yml`);
  const dsn = /^dsn:\s*(\S+)\s*$/m.exec(readFileSync(file, "utf8"))?.[1];
  if (!dsn) throw new Error(`no dsn in ${file}`);
  return dsn;
}

/** The same server and credentials, another database. */
export function onDatabase(dsn: string, database: string): string {
  const url = new URL(dsn);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on one connection; a refused connection or query comes back as Postgres' error code. */
export async function attempt(dsn: string, work: (query: (sql: string) => Promise<unknown>) => Promise<void>): Promise<"ok" | string> {
  // The SDK's pool factory is a plain pg pool; one connection is all a probe needs.
  const pool = createOlympusPool(dsn, 1);
  try {
    await work((sql) => pool.query(sql));
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await pool.end();
  }
}

export interface Access {
  role: Role;
  database: Role;
  /** "ok", or the error code (42501: permission denied for database). */
  outcome: string;
}

/** Tries every role on every database. */
export async function accessMatrix(dsns: Readonly<Record<Role, string>>): Promise<Access[]> {
  const matrix: Access[] = [];
  for (const role of ROLES) {
    for (const database of ROLES) {
      matrix.push({
        role,
        database,
        outcome: await attempt(onDatabase(dsns[role], database), async (query) => void (await query("select 1"))),
      });
    }
  }
  return matrix;
}

/** What breaks the boundary in a matrix: a role reaching another database, or failing to reach its own. */
export function boundaryViolations(matrix: readonly Access[]): string[] {
  return matrix.flatMap(({ role, database, outcome }) => {
    if (role === database) return outcome === "ok" ? [] : [`${role} cannot reach its own database (${outcome})`];
    return outcome === "ok" ? [`${role} can connect to ${database}`] : [];
  });
}

/** The tables of `database` that `dsn`'s role can SELECT from (empty when it cannot even connect). */
export async function readableTables(dsn: string, database: string, tables: readonly string[]): Promise<string[]> {
  const readable: string[] = [];
  for (const table of tables) {
    const outcome = await attempt(
      onDatabase(dsn, database),
      async (query) => void (await query(`SELECT 1 FROM "${table.replace(/"/g, '""')}" LIMIT 1`)),
    );
    if (outcome === "ok") readable.push(table);
  }
  return readable;
}

/** The public tables of a database, as its superuser sees them. */
export async function tablesOf(superuserUrl: string, database: string): Promise<string[]> {
  const pool = createOlympusPool(onDatabase(superuserUrl, database), 1);
  try {
    const { rows } = await pool.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    return rows.map((row) => row.name);
  } finally {
    await pool.end();
  }
}

/** Runs statements as the superuser on one database (the companions' deliberate grants and their undoing). */
export async function asSuperuser(superuserUrl: string, database: string, statements: readonly string[]): Promise<void> {
  const pool = createOlympusPool(onDatabase(superuserUrl, database), 1);
  try {
    for (const statement of statements) await pool.query(statement);
  } finally {
    await pool.end();
  }
}
