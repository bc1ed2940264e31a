import "server-only";
import type { AuditEvent } from "@olympus/athena-store/audit";
import { auditLog } from "@/shared/server/olympus-db";
import type { RecentSignIn } from "./stats/aggregate";

export const FEED_LENGTH = 20;

export type ActivityItem =
  | { kind: "audit"; at: string; id: string; actor: string; action: string; target: string | null; outcome: AuditEvent["outcome"] }
  | { kind: "sign-in"; at: string; id: string; who: string; identityId: string | null; methods: string[] };

/**
 * The newest FEED_LENGTH things that happened in this domain: Athena's audit
 * log (read fresh, it is this Athena's own database) and the sign-ins in the
 * cached session scan, merged by time. An unreachable audit log leaves the
 * sign-ins and says so.
 */
export async function recentActivity(signIns: readonly RecentSignIn[]): Promise<{ items: ActivityItem[]; auditUnavailable: boolean }> {
  let events: AuditEvent[] = [];
  let auditUnavailable = false;
  try {
    events = (await (await auditLog()).list({ limit: FEED_LENGTH })).events;
  } catch {
    auditUnavailable = true;
  }
  const items: ActivityItem[] = [
    ...events.map((e): ActivityItem => ({
      kind: "audit",
      at: e.occurredAt.toISOString(),
      id: `audit-${e.id}`,
      actor: e.actor.email ?? e.actor.id,
      action: e.action,
      target: e.target,
      outcome: e.outcome,
    })),
    ...signIns.map((s): ActivityItem => ({
      kind: "sign-in",
      at: s.at,
      id: `session-${s.sessionId}`,
      who: s.who ?? s.identityId ?? "unknown identity",
      identityId: s.identityId,
      methods: s.methods,
    })),
  ];
  items.sort((a, b) => b.at.localeCompare(a.at));
  return { items: items.slice(0, FEED_LENGTH), auditUnavailable };
}
