import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "@olympus/athena-store/olympus-db";
import { reconcileLayout, type DashboardLayout } from "./widgets";

/**
 * Each employee's dashboard layout, in the `olympus` database
 * (olympus_dashboard_layouts, migration 7): one row per domain and IAM
 * subject, this domain's rows only (row-level security on the login role).
 * It lives with the dashboard rather than in @olympus/athena-store because
 * nothing but this page reads it; the store module stays free of Next.js so
 * it can be tested against a real database.
 */

/** The employee's layout, or the default when they never saved one. */
export async function loadLayout(pool: pg.Pool, domain: Domain, subject: string): Promise<{ layout: DashboardLayout; saved: boolean }> {
  const row = await inDomainTransaction(pool, domain, async (client) => {
    const result = await client.query<{ widgets: unknown }>(
      "SELECT widgets FROM olympus_dashboard_layouts WHERE domain = $1 AND subject = $2",
      [domain, subject],
    );
    return result.rows[0];
  });
  return { layout: reconcileLayout(row?.widgets), saved: row !== undefined };
}

/** Saves the employee's layout (validated by the caller), replacing any earlier one. */
export async function saveLayout(pool: pg.Pool, domain: Domain, subject: string, layout: DashboardLayout): Promise<void> {
  await inDomainTransaction(pool, domain, (client) =>
    client.query(
      `INSERT INTO olympus_dashboard_layouts (domain, subject, widgets) VALUES ($1, $2, $3)
       ON CONFLICT (domain, subject) DO UPDATE SET widgets = EXCLUDED.widgets, updated_at = now()`,
      [domain, subject, JSON.stringify(layout.map(({ id, visible }) => ({ id, visible })))],
    ),
  );
}

/** Forgets the employee's layout: the default applies again. Says whether there was one. */
export async function resetLayout(pool: pg.Pool, domain: Domain, subject: string): Promise<boolean> {
  const result = await inDomainTransaction(pool, domain, (client) =>
    client.query("DELETE FROM olympus_dashboard_layouts WHERE domain = $1 AND subject = $2", [domain, subject]),
  );
  return (result.rowCount ?? 0) > 0;
}
