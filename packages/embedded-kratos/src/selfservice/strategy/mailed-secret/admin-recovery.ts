import { z } from "zod";
import { parseDuration } from "../../../config/duration";
import type { Deps } from "../../../deps";
import { readJson } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors } from "../../../http/errors";
import { sortNodes } from "../../../ui/sort";
import { hashSecret } from "./secrets";
import { secretsFor } from "./tokens";
import { newFlowFields, type FlowType, type RecoveryFlow } from "../../flow/flow";
import type { AddressFlowStrategy } from "../strategy";

const body = z.object({
  identity_id: z.string(),
  expires_in: z.string().optional(),
  flow_type: z.string().optional(),
});

export type AdminRecoveryStrategy = "code" | "link";

/** A recovery flow the admin API made for one strategy, which `active` names. */
export type AdminRecoveryFlow = RecoveryFlow & { active: AdminRecoveryStrategy };

/**
 * Parses `{identity_id, expires_in?, flow_type?}` of the admin recovery
 * endpoints and refuses what Kratos' two handlers refuse, in their words
 * (which differ slightly between strategy/code and strategy/link).
 */
export async function parseAdminRecoveryBody(
  ctx: HttpContext,
  defaultLifespanMs: number,
  strategy: AdminRecoveryStrategy,
): Promise<{ identityId: string; expiresInMs: number; flowType: FlowType }> {
  const parsed = body.safeParse(await readJson(ctx));
  if (!parsed.success)
    throw errors.badRequest(
      `The request body is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
    );
  let expiresInMs = defaultLifespanMs;
  const raw = parsed.data.expires_in ?? "";
  if (raw !== "") {
    const ms = parseDuration(raw);
    if (ms === undefined)
      throw errors.badRequest(`Unable to parse "expires_in" whose format should match "[0-9]+(ns|us|ms|s|m|h)" but did not: ${raw}`);
    expiresInMs = ms;
  }
  if (expiresInMs <= 0) {
    throw errors.badRequest(
      strategy === "code"
        ? `Value from "expires_in" must result to a future time: ${goDuration(expiresInMs)}`
        : `Value from "expires_in" must be result to a future time: ${raw}`,
    );
  }
  const flowType = parsed.data.flow_type ?? "browser";
  if (strategy === "code" && flowType !== "browser" && flowType !== "api")
    throw errors.badRequest(`Value from "flow_type" is not valid: ${JSON.stringify(flowType)}`);
  return { identityId: parsed.data.identity_id, expiresInMs, flowType: flowType === "api" ? "api" : "browser" };
}

/** Go's time.Duration String() for the whole-second values an admin can send ("0s", "-1h0m0s"). */
function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  let seconds = Math.abs(ms) / 1000;
  const h = Math.floor(seconds / 3600);
  seconds -= h * 3600;
  const m = Math.floor(seconds / 60);
  seconds -= m * 60;
  if (h > 0) return `${sign}${h}h${m}m${seconds}s`;
  if (m > 0) return `${sign}${m}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/**
 * A recovery flow made by the admin API for one strategy (recovery.NewFlow
 * with only that strategy: `active` names it), with no CSRF binding —
 * Kratos' DangerousSkipCSRFCheck — and the requested lifespan.
 */
export async function newAdminRecoveryFlow(
  deps: Deps,
  ctx: HttpContext,
  type: FlowType,
  expiresInMs: number,
  strategy: { id: AdminRecoveryStrategy; populate: AddressFlowStrategy["populate"] },
): Promise<AdminRecoveryFlow> {
  const fields = newFlowFields({
    kind: "recovery",
    type,
    state: "choose_method",
    publicBaseUrl: deps.config.publicBaseUrl,
    requestUrl: ctx.requestUrl,
    lifespanMs: expiresInMs,
    csrfToken: "",
  });
  const flow: AdminRecoveryFlow = { ...fields, kind: "recovery", skipCsrfCheck: true, active: strategy.id };
  // Only this strategy's nodes, as recovery.NewFlow with a single strategy renders them.
  await strategy.populate(flow, { deps, http: ctx });
  flow.ui.setCsrf(flow.csrfToken);
  sortNodes(flow.ui, { groups: ["default", strategy.id], keys: ["csrf_token", "email", "code"] });
  return flow;
}

/**
 * Stores an admin recovery flow and its secret (the strategy's code or link
 * token, kept as its HMAC) in one transaction, as both strategies'
 * createRecovery*ForIdentity handlers do: the token, of type `admin`,
 * belongs to the identity and expires with the flow.
 */
export async function storeAdminRecoveryFlow(deps: Deps, flow: AdminRecoveryFlow, identityId: string, secret: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    // The flow row must exist before the token that references it.
    await deps.flows.save(flow, tx);
    await secretsFor(deps.db).createRecoveryToken(tx, {
      strategy: flow.active,
      hash: hashSecret(deps.config, secret),
      identityId,
      flowId: flow.id,
      tokenType: "admin",
      expiresAt: flow.expiresAt,
    });
  });
}
