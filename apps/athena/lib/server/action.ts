import "server-only";
import { isOryError } from "@olympus/sdk/kratos";
import { z } from "zod";
import { currentSession, type Admin } from "@/lib/auth/session";
import { roleAllows, type AdminRole } from "@/lib/auth/roles";
import { recordAudit } from "./audit";
import { auditLog } from "./olympus-db";
import { AdminActionError, type ActionResult } from "./action-result";

export interface ActionContext {
  admin: Admin;
}

export interface ActionOutcome<T> {
  data: T;
  /** What was acted on, for the audit log (defaults to the spec's target). */
  target?: string | null;
  /** Non-secret context for the audit log. */
  details?: Record<string, unknown>;
  message?: string;
}

export interface ActionSpec<S extends z.ZodType> {
  /** Audit action name, e.g. `identity.delete`. */
  action: string;
  /** Writes need `admin`; the default. */
  role?: AdminRole;
  input: S;
  /** The audit target derived from the (valid) input. */
  target?: (input: z.infer<S>) => string | null;
}

/**
 * The only way Athena performs a write. On the server, for every call: the
 * session is checked (its server-side row, re-validated with IAM Hydra when
 * the window has passed; a session IAM could not re-validate may read but
 * never write) and the role checked (a viewer is refused and the refusal
 * audited), the input is parsed with its schema, the audit log is checked to
 * be reachable before anything changes, and the outcome is audited. Errors
 * come back typed; stack traces and upstream bodies never reach the browser.
 */
export function adminAction<S extends z.ZodType, T>(
  spec: ActionSpec<S>,
  run: (input: z.infer<S>, context: ActionContext) => Promise<ActionOutcome<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  const needed = spec.role ?? "admin";
  return async (raw) => {
    const session = await currentSession();
    if (session.status === "none") {
      return session.reason === "unavailable"
        ? { ok: false, error: { code: "unavailable", message: "Your session could not be checked right now, so no change was made. Try again shortly." } }
        : { ok: false, error: { code: "unauthenticated", message: "Your session has ended. Sign in again." } };
    }
    const { admin } = session;
    const actor = { id: admin.id, email: admin.email, role: admin.role };

    const parsed = spec.input.safeParse(raw);
    const target = parsed.success ? (spec.target?.(parsed.data) ?? null) : null;
    if (session.status !== "active") {
      // Fail closed: IAM might have revoked this employee since it last vouched for them.
      await recordAudit({ actor, action: spec.action, target, outcome: "denied", details: { reason: "session not re-validated (IAM Hydra unreachable)" } });
      return {
        ok: false,
        error: { code: "unavailable", message: "Olympus Workforce (IAM) cannot be reached to re-check your session, so no change was made. Try again shortly." },
      };
    }
    if (!roleAllows(admin.role, needed)) {
      await recordAudit({ actor, action: spec.action, target, outcome: "denied", details: { reason: `requires ${needed}` } });
      return { ok: false, error: { code: "forbidden", message: `Only an ${needed} may do this; you are signed in as ${admin.role}.` } };
    }
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join(".") || "_"] ??= issue.message;
      return { ok: false, error: { code: "invalid_input", message: "Some values are not valid.", fields } };
    }

    try {
      await auditLog();
    } catch {
      return { ok: false, error: { code: "unavailable", message: "The audit log is unavailable, so no change was made. Try again shortly." } };
    }

    try {
      const outcome = await run(parsed.data, { admin });
      await recordAudit({ actor, action: spec.action, target: outcome.target ?? target, outcome: "success", details: outcome.details });
      return { ok: true, data: outcome.data, message: outcome.message };
    } catch (error) {
      const failure = describeFailure(error);
      await recordAudit({ actor, action: spec.action, target, outcome: "failure", details: { error: failure.code } });
      return { ok: false, error: failure };
    }
  };
}

function describeFailure(error: unknown): { code: "rejected" | "upstream" | "internal"; message: string } {
  if (error instanceof AdminActionError) return { code: "rejected", message: error.message };
  if (isOryError(error)) {
    return { code: "upstream", message: `${error.service === "kratos" ? "Kratos" : "Hydra"} did not accept the change (${error.upstreamStatus ?? "unreachable"}).` };
  }
  console.error(JSON.stringify({ level: "error", msg: "admin action failed", error: error instanceof Error ? error.message : String(error) }));
  return { code: "internal", message: "Something went wrong; nothing was reported to the browser. See the server log." };
}
