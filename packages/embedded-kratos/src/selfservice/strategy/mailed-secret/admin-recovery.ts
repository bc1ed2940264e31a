import { goQuote } from "@olympus/server-kit/go-strconv";
import { parseDuration } from "../../../config/duration";
import type { Deps } from "../../../deps";
import { decodeHttpJson } from "../../../admin/http-json";
import type { GoType } from "../../../admin/go-json";
import type { HttpContext } from "../../../http/context";
import { errors } from "../../../http/errors";
import { sortNodes } from "../../../ui/sort";
import { hashSecret } from "./secrets";
import { secretsFor } from "./tokens";
import { newFlowFields, type FlowType, type RecoveryFlow } from "../../flow/flow";
import type { AddressFlowStrategy } from "../strategy";
import { recoveryInitialState } from "../../flow/recovery/state";

/** createRecoveryCodeForIdentityBody and createRecoveryLinkForIdentityBody (strategy/code, strategy/link). */
const bodyTypes: Record<AdminRecoveryStrategy, GoType & { kind: "struct" }> = {
  code: {
    kind: "struct",
    name: "code.createRecoveryCodeForIdentityBody",
    fields: {
      identity_id: { kind: "uuid", nullable: false },
      expires_in: { kind: "string", name: "string" },
      flow_type: { kind: "string", name: "flow.Type" },
    },
  },
  link: {
    kind: "struct",
    name: "link.createRecoveryLinkForIdentityBody",
    fields: { identity_id: { kind: "uuid", nullable: false }, expires_in: { kind: "string", name: "string" } },
  },
};

export type AdminRecoveryStrategy = "code" | "link";

/** A recovery flow the admin API made for one strategy, which `active` names. */
export type AdminRecoveryFlow = RecoveryFlow & { active: AdminRecoveryStrategy };

/**
 * Parses `{identity_id, expires_in?, flow_type?}` of the admin recovery
 * endpoints as decoderx's HTTPJSONDecoder does (Go's decoder: a missing
 * identity_id is the nil UUID, which names no identity) and refuses what
 * Kratos' two handlers refuse, in their words (which differ slightly between
 * strategy/code and strategy/link).
 */
export async function parseAdminRecoveryBody(
  ctx: HttpContext,
  defaultLifespanMs: number,
  strategy: AdminRecoveryStrategy,
): Promise<{ identityId: string; expiresInMs: number; flowType: FlowType }> {
  // The decoder checked the body against the struct description above.
  const parsed = {
    data: (await decodeHttpJson(ctx, bodyTypes[strategy])) as { identity_id?: string; expires_in?: string; flow_type?: string },
  };
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
    throw errors.badRequest(`Value from "flow_type" is not valid: ${goQuote(flowType)}`);
  return { identityId: parsed.data.identity_id ?? "", expiresInMs, flowType: flowType === "api" ? "api" : "browser" };
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
    // recovery.NewFlow's state (the code strategy then moves its flow to sent_email).
    state: recoveryInitialState(deps.config),
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
