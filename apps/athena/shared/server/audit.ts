import "server-only";
import type { AuditEventInput } from "@olympus/athena-store/audit";
import { auditLog } from "./olympus-db";

/**
 * Appends to this domain's audit log. Writes check the log is reachable
 * before they act (see adminAction), so a failure here is rare; it is then
 * reported on stderr as one structured line rather than failing a change
 * that already happened.
 */
export async function recordAudit(event: AuditEventInput): Promise<void> {
  try {
    await (await auditLog()).record(event);
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "audit log write failed",
        action: event.action,
        target: event.target ?? null,
        outcome: event.outcome,
        actor: event.actor.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
}
