import "server-only";
import { isOryError } from "@olympus/ory-client/kratos";
import { z } from "zod";
import { currentSession, type Admin } from "@/shared/auth/session";
import { roleAllows, type AdminRole } from "@/shared/auth/roles";
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
  /** The change was not (all) made, e.g. Kratos declined to; shown as a warning rather than a success. */
  warning?: boolean;
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

type Actor = { id: string; email: string | null; role: AdminRole };

type Authorized<T> = { ok: true; admin: Admin; actor: Actor; input: T } | { ok: false; result: ActionResult<never> };

/**
 * Everything a write checks before it acts, shared by single and batch
 * actions: the session (its server-side row, re-validated with IAM Hydra
 * when the window has passed; a session IAM could not re-validate may read
 * but never write), the role (a viewer is refused and the refusal audited,
 * once per target), the input against its schema, and that the audit log
 * is reachable.
 */
async function authorize<S extends z.ZodType>(
  action: string,
  needed: AdminRole,
  schema: S,
  raw: unknown,
  targetsOf: (input: z.infer<S>) => (string | null)[],
): Promise<Authorized<z.infer<S>>> {
  const session = await currentSession();
  if (session.status === "none") {
    return session.reason === "unavailable"
      ? {
          ok: false,
          result: {
            ok: false,
            error: {
              code: "unavailable",
              message: "Your session could not be checked right now, so no change was made. Try again shortly.",
            },
          },
        }
      : { ok: false, result: { ok: false, error: { code: "unauthenticated", message: "Your session has ended. Sign in again." } } };
  }
  const { admin } = session;
  const actor: Actor = { id: admin.id, email: admin.email, role: admin.role };

  const parsed = schema.safeParse(raw);
  const targets = parsed.success ? targetsOf(parsed.data) : [null];
  const deny = async (reason: string) => {
    for (const target of targets) await recordAudit({ actor, action, target, outcome: "denied", details: { reason } });
  };
  if (session.status !== "active") {
    // Fail closed: IAM might have revoked this employee since it last vouched for them.
    await deny("session not re-validated (IAM Hydra unreachable)");
    return {
      ok: false,
      result: {
        ok: false,
        error: {
          code: "unavailable",
          message: "Olympus Workforce (IAM) cannot be reached to re-check your session, so no change was made. Try again shortly.",
        },
      },
    };
  }
  if (!roleAllows(admin.role, needed)) {
    await deny(`requires ${needed}`);
    return {
      ok: false,
      result: { ok: false, error: { code: "forbidden", message: `Only an ${needed} may do this; you are signed in as ${admin.role}.` } },
    };
  }
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join(".") || "_"] ??= issue.message;
    return { ok: false, result: { ok: false, error: { code: "invalid_input", message: "Some values are not valid.", fields } } };
  }

  try {
    await auditLog();
  } catch {
    return {
      ok: false,
      result: {
        ok: false,
        error: { code: "unavailable", message: "The audit log is unavailable, so no change was made. Try again shortly." },
      },
    };
  }
  return { ok: true, admin, actor, input: parsed.data };
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
    const checked = await authorize(spec.action, needed, spec.input, raw, (input) => [spec.target?.(input) ?? null]);
    if (!checked.ok) return checked.result;
    const { admin, actor, input } = checked;
    const target = spec.target?.(input) ?? null;
    try {
      const outcome = await run(input, { admin });
      await recordAudit({ actor, action: spec.action, target: outcome.target ?? target, outcome: "success", details: outcome.details });
      return outcome.warning
        ? { ok: true, data: outcome.data, message: outcome.message, warning: true }
        : { ok: true, data: outcome.data, message: outcome.message };
    } catch (error) {
      const failure = describeFailure(error);
      await recordAudit({ actor, action: spec.action, target, outcome: "failure", details: { error: failure.code } });
      return { ok: false, error: failure };
    }
  };
}

export interface BatchSpec<S extends z.ZodType> {
  /** Audit action name of each item, e.g. `identity.set_state`: a batch is audited item by item. */
  action: string;
  /** Writes need `admin`; the default. */
  role?: AdminRole;
  input: S;
  /** The items to act on, each an audit target (e.g. identity ids). */
  targets: (input: z.infer<S>) => string[];
  /** Items run at once; Ory's admin APIs are not to be flooded. */
  concurrency?: number;
  /** The summary for the browser, e.g. "3 identities deactivated". */
  summary: (done: number, input: z.infer<S>) => string;
}

export interface BatchResult {
  done: string[];
  failed: { target: string; message: string }[];
}

/**
 * A write over several items (bulk actions on selected rows), with
 * adminAction's checks done once for the whole batch and the outcome
 * audited once per item, as if each had been acted on alone. One item
 * failing does not stop the others; the result says which failed and why.
 */
export function adminBatchAction<S extends z.ZodType>(
  spec: BatchSpec<S>,
  /** Acts on one item; `target` names it in the audit log when the item's own key says less (e.g. a hash). */
  runOne: (
    target: string,
    input: z.infer<S>,
    context: ActionContext,
  ) => Promise<{ details?: Record<string, unknown>; target?: string } | void>,
): (input: z.input<S>) => Promise<ActionResult<BatchResult>> {
  const needed = spec.role ?? "admin";
  return async (raw) => {
    const checked = await authorize(spec.action, needed, spec.input, raw, (input) => spec.targets(input));
    if (!checked.ok) return checked.result;
    const { admin, actor, input } = checked;
    const targets = [...new Set(spec.targets(input))];
    const result: BatchResult = { done: [], failed: [] };
    let next = 0;
    const worker = async () => {
      while (next < targets.length) {
        const target = targets[next++];
        if (target === undefined) break;
        try {
          const outcome = await runOne(target, input, { admin });
          await recordAudit({
            actor,
            action: spec.action,
            target: outcome?.target ?? target,
            outcome: "success",
            details: { ...(outcome?.details ?? {}), batch: targets.length },
          });
          result.done.push(target);
        } catch (error) {
          const failure = describeFailure(error);
          await recordAudit({
            actor,
            action: spec.action,
            target,
            outcome: "failure",
            details: { error: failure.code, batch: targets.length },
          });
          result.failed.push({ target, message: failure.message });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(spec.concurrency ?? 4, targets.length) }, worker));
    // Back in the order asked, whatever order the workers finished in.
    result.done.sort((a, b) => targets.indexOf(a) - targets.indexOf(b));
    result.failed.sort((a, b) => targets.indexOf(a.target) - targets.indexOf(b.target));
    if (result.done.length === 0 && result.failed.length > 0) {
      const first = result.failed[0];
      return {
        ok: false,
        error: {
          code: "rejected",
          message: `None of them could be done: ${first?.message ?? "every item failed"}${result.failed.length > 1 ? ` (and ${result.failed.length - 1} more)` : ""}`,
        },
      };
    }
    const summary = spec.summary(result.done.length, input);
    if (result.failed.length === 0) return { ok: true, data: result, message: summary };
    return {
      ok: true,
      warning: true,
      data: result,
      message: `${summary}; ${result.failed.length} could not be: ${result.failed[0]?.message ?? ""}`,
    };
  };
}

function describeFailure(error: unknown): { code: "rejected" | "upstream" | "internal"; message: string; fields?: Record<string, string> } {
  if (error instanceof AdminActionError)
    return error.fields ? { code: "rejected", message: error.message, fields: error.fields } : { code: "rejected", message: error.message };
  if (isOryError(error)) {
    return {
      code: "upstream",
      message: `${error.service === "kratos" ? "Kratos" : "Hydra"} did not accept the change (${error.upstreamStatus ?? "unreachable"}).`,
    };
  }
  console.error(
    JSON.stringify({ level: "error", msg: "admin action failed", error: error instanceof Error ? error.message : String(error) }),
  );
  return { code: "internal", message: "Something went wrong; nothing was reported to the browser. See the server log." };
}
