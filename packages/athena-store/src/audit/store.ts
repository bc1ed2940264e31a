import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "../olympus-db/scoped";

export type AuditOutcome = "success" | "failure" | "denied";
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ["success", "failure", "denied"];

export interface AuditActor {
  /** The IAM subject (identity id) of the employee. */
  id: string;
  email?: string | null;
  role?: string | null;
}

export interface AuditEventInput {
  actor: AuditActor;
  /** A stable dotted verb such as `identity.delete` or `settings.update`. */
  action: string;
  /** What was acted on: an identity id, a client id, a setting key. */
  target?: string | null;
  outcome: AuditOutcome;
  /** Extra context. Never put secrets, passwords or tokens here. */
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  occurredAt: Date;
  actor: { id: string; email: string | null; role: string | null };
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  action?: string;
  /** Substring of the actor's email (case-insensitive). */
  actor?: string;
  target?: string;
  outcome?: AuditOutcome;
  since?: Date;
  until?: Date;
  /** Keyset cursor: the id of the last event of the previous page. */
  before?: string;
  limit?: number;
}

export interface AuditLog {
  readonly domain: Domain;
  record(event: AuditEventInput): Promise<void>;
  list(query?: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }>;
  /** Distinct action names seen, for filter pickers. */
  actions(): Promise<string[]>;
}

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_id: string;
  actor_email: string | null;
  actor_role: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
}

const ACTION_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** The append-only audit log of one domain (who, what, target, when, outcome). */
export function createAuditLog(options: { pool: pg.Pool; domain: Domain }): AuditLog {
  const { pool, domain } = options;
  const tx = <T>(work: (client: pg.PoolClient) => Promise<T>) => inDomainTransaction(pool, domain, work);

  return {
    domain,

    async record(event) {
      if (!ACTION_PATTERN.test(event.action)) throw new Error(`invalid audit action "${event.action}"`);
      await tx((c) =>
        c.query(
          `INSERT INTO olympus_audit_log (domain, actor_id, actor_email, actor_role, action, target, outcome, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            domain,
            event.actor.id,
            event.actor.email ?? null,
            event.actor.role ?? null,
            event.action,
            event.target ?? null,
            event.outcome,
            JSON.stringify(event.details ?? {}),
          ],
        ),
      );
    },

    async list(query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
      const where = ["domain = $1"];
      const params: unknown[] = [domain];
      const add = (clause: (placeholder: string) => string, value: unknown) => {
        params.push(value);
        where.push(clause(`$${params.length}`));
      };
      if (query.action) add((p) => `action = ${p}`, query.action);
      if (query.actor) add((p) => `actor_email ILIKE ${p}`, `%${query.actor.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      if (query.target) add((p) => `target = ${p}`, query.target);
      if (query.outcome) add((p) => `outcome = ${p}`, query.outcome);
      if (query.since) add((p) => `occurred_at >= ${p}`, query.since);
      if (query.until) add((p) => `occurred_at < ${p}`, query.until);
      if (query.before && /^\d+$/.test(query.before)) add((p) => `id < ${p}`, query.before);
      params.push(limit + 1);
      const rows = await tx(
        async (c) =>
          (
            await c.query<AuditRow>(
              `SELECT id::text AS id, occurred_at, actor_id, actor_email, actor_role, action, target, outcome, details
               FROM olympus_audit_log WHERE ${where.join(" AND ")}
               ORDER BY olympus_audit_log.id DESC LIMIT $${params.length}`,
              params,
            )
          ).rows,
      );
      const page = rows.slice(0, limit);
      return {
        events: page.map((r) => ({
          id: r.id,
          occurredAt: r.occurred_at,
          actor: { id: r.actor_id, email: r.actor_email, role: r.actor_role },
          action: r.action,
          target: r.target,
          outcome: r.outcome,
          details: r.details,
        })),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },

    async actions() {
      const rows = await tx(
        async (c) =>
          (await c.query<{ action: string }>("SELECT DISTINCT action FROM olympus_audit_log WHERE domain = $1 ORDER BY action", [domain]))
            .rows,
      );
      return rows.map((r) => r.action);
    },
  };
}
