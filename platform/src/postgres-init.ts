import { readFileSync } from "node:fs";
import path from "node:path";
import { PLATFORM_DIR } from "./paths";

/** The roles init.sql creates; each owns the database of the same name. */
export const DATABASE_ROLES = ["ciam_kratos", "ciam_hydra", "iam_kratos", "iam_hydra", "olympus"] as const;
export type DatabaseRole = (typeof DATABASE_ROLES)[number];

export type RolePasswords = Record<DatabaseRole, string>;

export const INIT_SQL_PATH = path.join(PLATFORM_DIR, "postgres", "init.sql");

/**
 * Fills init.sql's psql variables (`:'ciam_kratos_password'`) with quoted
 * literals, so the very file Compose runs through psql can be applied over a
 * plain driver connection by the embedded stack and the tests.
 */
export function renderInitSql(passwords: RolePasswords, sql = readFileSync(INIT_SQL_PATH, "utf8")): string {
  return sql.replace(/:'([a-z_]+)_password'/g, (_match, role: string) => {
    if (!(DATABASE_ROLES as readonly string[]).includes(role)) throw new Error(`init.sql refers to an unknown role password: ${role}`);
    return quoteLiteral(passwords[role as DatabaseRole]);
  });
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * init.sql as separate statements: CREATE DATABASE may not share a
 * multi-statement query (an implicit transaction) with anything else.
 */
export function renderInitStatements(passwords: RolePasswords, sql?: string): string[] {
  return renderInitSql(passwords, sql)
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
