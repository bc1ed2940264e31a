import { z } from "zod";
import { parseDuration } from "../../../config/duration";
import type { Deps } from "../../../deps";
import { readJson } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors, KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { isUuid } from "../../../identity/repository";
import { renderUi } from "../../flow/engine";
import { newFlow, urlWithFlow, type Flow, type FlowType } from "../../flow/flow";
import { recoveryFlow } from "../../flow/recovery/definition";
import { inputNode } from "../../../ui/node";
import { codeMessages } from "./messages";
import { methodSubmitNode } from "./nodes";
import { codeMethodConfig } from "./config";
import { CODE_LENGTH, generateCode, hashSecret } from "./secrets";
import { secretsFor } from "./tokens";

/** Flows created by the admin API are opened in a browser that never saw them: Kratos' DangerousSkipCSRFCheck. */
export const SKIP_CSRF = "dangerous_skip_csrf_check";

const body = z.object({
  identity_id: z.string(),
  expires_in: z.string().optional(),
  flow_type: z.string().optional(),
});

export type AdminRecoveryStrategy = "code" | "link";

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
  if (!parsed.success) throw errors.badRequest(`The request body is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
  let expiresInMs = defaultLifespanMs;
  const raw = parsed.data.expires_in ?? "";
  if (raw !== "") {
    const ms = parseDuration(raw);
    if (ms === undefined) throw errors.badRequest(`Unable to parse "expires_in" whose format should match "[0-9]+(ns|us|ms|s|m|h)" but did not: ${raw}`);
    expiresInMs = ms;
  }
  if (expiresInMs <= 0) {
    throw errors.badRequest(
      strategy === "code" ? `Value from "expires_in" must result to a future time: ${goDuration(expiresInMs)}` : `Value from "expires_in" must be result to a future time: ${raw}`,
    );
  }
  const flowType = parsed.data.flow_type ?? "browser";
  if (strategy === "code" && flowType !== "browser" && flowType !== "api") throw errors.badRequest(`Value from "flow_type" is not valid: ${JSON.stringify(flowType)}`);
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
export async function newAdminRecoveryFlow(deps: Deps, ctx: HttpContext, type: FlowType, expiresInMs: number, strategy: AdminRecoveryStrategy): Promise<Flow> {
  const flow = newFlow({
    kind: "recovery",
    type,
    state: "choose_method",
    publicBaseUrl: deps.config.publicBaseUrl,
    requestUrl: ctx.requestUrl,
    lifespanMs: expiresInMs,
    csrfToken: "",
  });
  flow.internal[SKIP_CSRF] = true;
  flow.active = strategy;
  await renderUi(deps, recoveryFlow, flow, { deps, http: ctx });
  return flow;
}

/**
 * POST /admin/recovery/code (code.Strategy.createRecoveryCodeForIdentity) →
 * 201 {recovery_link, recovery_code, expires_at}: a flow already in
 * `sent_email` whose only nodes are the code input and the submit button,
 * and an admin code for the identity (404 "could not find identity").
 */
export function registerAdminRecoveryCodeRoute(admin: Router, deps: Deps): void {
  admin.post("/admin/recovery/code", async (ctx) => {
    const input = await parseAdminRecoveryBody(ctx, codeMethodConfig(deps.config).config.lifespan, "code");
    const flow = await newAdminRecoveryFlow(deps, ctx, input.flowType, input.expiresInMs, "code");
    const identity = isUuid(input.identityId) ? await deps.identityRepository.get(input.identityId) : undefined;
    if (!identity) throw new KratosError(404, { message: "Unable to locate the resource", reason: "could not find identity" });

    flow.state = "sent_email";
    flow.ui.nodes = [
      inputNode("code", "code", "text", { required: true, pattern: "[0-9]+", maxlength: CODE_LENGTH, label: codeMessages.labelRecoveryCode() }),
      methodSubmitNode("code", "code"),
    ];
    const code = generateCode();
    await deps.db.transaction(async (tx) => {
      // The flow row must exist before the code that references it.
      await deps.flows.save(flow, tx);
      await secretsFor(deps.db).createRecoveryToken(tx, {
        strategy: "code",
        hash: hashSecret(deps.config, code),
        identityId: identity.id,
        flowId: flow.id,
        tokenType: "admin",
        expiresAt: flow.expiresAt,
      });
    });
    const uiUrl = deps.config.selfservice.flows.recovery.ui_url;
    ctx.json(201, {
      recovery_link: uiUrl ? urlWithFlow(uiUrl, flow.id) : `${deps.config.publicBaseUrl}self-service/recovery/flows?id=${flow.id}`,
      recovery_code: code,
      expires_at: flow.expiresAt.toISOString(),
    });
  });
}
