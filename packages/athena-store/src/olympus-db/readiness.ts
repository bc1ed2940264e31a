import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { MIGRATIONS } from "./migrations";
import { olympusDomainRole } from "./roles";
import { OlympusRoleError } from "./scoped";

/** The olympus database cannot serve this Athena yet (not migrated, or a wrong role); the message says what to run. */
export class OlympusSchemaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OlympusSchemaError";
  }
}

const RUN_MIGRATIONS = "run the migration step (the devstack does at start; in Compose, the olympus-migrate service)";

/**
 * What Athena checks instead of migrating (its role has no DDL rights): that
 * it is logged in as its own domain's role and that every migration it knows
 * has been applied by the migration step.
 */
export async function checkOlympusSchema(pool: pg.Pool, domain: Domain): Promise<void> {
  const role = (await pool.query<{ role: string }>("SELECT current_user AS role")).rows[0]?.role ?? "";
  if (role !== olympusDomainRole(domain)) throw new OlympusRoleError(domain, role);
  let applied: Set<number>;
  try {
    applied = new Set((await pool.query<{ id: number }>("SELECT id FROM olympus_migrations")).rows.map((row) => row.id));
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42P01: no schema at all; 42501: a schema from before the per-domain roles, which grants this role nothing.
    if (code === "42P01" || code === "42501")
      throw new OlympusSchemaError(`olympus database is not migrated for ${role}; ${RUN_MIGRATIONS}`, { cause: error });
    throw error;
  }
  const missing = MIGRATIONS.filter((migration) => !applied.has(migration.id)).map((migration) => `${migration.id} (${migration.name})`);
  if (missing.length > 0) throw new OlympusSchemaError(`olympus database lacks migration ${missing.join(", ")}; ${RUN_MIGRATIONS}`);
}
