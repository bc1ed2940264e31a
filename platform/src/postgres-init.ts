import { readFileSync } from "node:fs";
import path from "node:path";
import { PLATFORM_DIR } from "./paths";

/** The Ory roles init.sql creates; each owns the database of the same name. */
export const ORY_DATABASE_ROLES = ["ciam_kratos", "ciam_hydra", "iam_kratos", "iam_hydra"] as const;
/**
 * The `olympus` database's roles: the migrator owns it (the migration step
 * only), each Athena logs in as its own domain's role, which owns nothing.
 */
export const OLYMPUS_DATABASE_ROLES = ["olympus_migrator", "olympus_ciam", "olympus_iam"] as const;
/** Every login role init.sql creates. */
export const DATABASE_ROLES = [...ORY_DATABASE_ROLES, ...OLYMPUS_DATABASE_ROLES] as const;
export type DatabaseRole = (typeof DATABASE_ROLES)[number];

/** The databases init.sql creates. */
export const DATABASES = [...ORY_DATABASE_ROLES, "olympus"] as const;
export type Database = (typeof DATABASES)[number];

/** The one database each role may connect to. */
export function databaseOf(role: DatabaseRole): Database {
  return (OLYMPUS_DATABASE_ROLES as readonly string[]).includes(role) ? "olympus" : (role as Database);
}

export type RolePasswords = Record<DatabaseRole, string>;

/** Where Compose keeps each role's password (init.sh, the olympus-migrate one-shot, olympus.env). */
export const ROLE_PASSWORD_VARIABLES: Readonly<Record<DatabaseRole, string>> = {
  ciam_kratos: "CIAM_KRATOS_DB_PASSWORD",
  ciam_hydra: "CIAM_HYDRA_DB_PASSWORD",
  iam_kratos: "IAM_KRATOS_DB_PASSWORD",
  iam_hydra: "IAM_HYDRA_DB_PASSWORD",
  olympus_migrator: "OLYMPUS_MIGRATOR_DB_PASSWORD",
  olympus_ciam: "CIAM_OLYMPUS_DB_PASSWORD",
  olympus_iam: "IAM_OLYMPUS_DB_PASSWORD",
};

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
