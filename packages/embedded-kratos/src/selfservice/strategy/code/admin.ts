import { z } from "zod";
import { parseDuration } from "../../../config/duration";
import type { Deps } from "../../../deps";
import { readJson } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { isUuid } from "../../../identity/repository";
import { renderUi } from "../../flow/engine";
import { newFlow, urlWithFlow, type Flow, type FlowType } from "../../flow/flow";
import { recoveryFlow } from "../../flow/recovery/definition";
import { codeMethodConfig } from "./config";
import { generateCode, hashSecret } from "./secrets";
import { secretsFor } from "./tokens";

/** Flows created by the admin API are opened in a browser that never saw them: Kratos' DangerousSkipCSRFCheck. */
export const SKIP_CSRF = "dangerous_skip_csrf_check";

const body = z.object({
  identity_id: z.string(),
  expires_in: z.string().optional(),
  flow_type: z.enum(["browser", "api"]).optional(),
});

/** Parses `{identity_id, expires_in?, flow_type?}` of the admin recovery endpoints (400 in Kratos' words when wrong). */
export async function parseAdminRecoveryBody(ctx: HttpContext, defaultLifespanMs: number): Promise<z.infer<typeof body> & { expiresInMs: number }> {
  const parsed = body.safeParse(await readJson(ctx));
  if (!parsed.success) throw errors.badRequest(`The request body is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
  let expiresInMs = defaultLifespanMs;
  if (parsed.data.expires_in !== undefined && parsed.data.expires_in !== "") {
    const ms = parseDuration(parsed.data.expires_in);
    if (ms === undefined) throw errors.badRequest(`Unable to parse "expires_in" as a duration string (e.g. "1h", "1m30s", "500ms"): ${parsed.data.expires_in}`);
    expiresInMs = ms;
  }
  if (expiresInMs <= 0) throw errors.badRequest(`Value from "expires_in" must result to a future time: ${parsed.data.expires_in ?? ""}`);
  return { ...parsed.data, expiresInMs };
}

/** A recovery flow made by the admin API (no CSRF binding, custom lifespan), populated and stored. */
export async function newAdminRecoveryFlow(deps: Deps, ctx: HttpContext, type: FlowType, expiresInMs: number, state: string): Promise<Flow> {
  const flow = newFlow({
    kind: "recovery",
    type,
    state,
    publicBaseUrl: deps.config.publicBaseUrl,
    requestUrl: ctx.requestUrl,
    lifespanMs: expiresInMs,
    csrfToken: "",
  });
  flow.internal[SKIP_CSRF] = true;
  await renderUi(deps, recoveryFlow, flow, { deps, http: ctx });
  return flow;
}

/** POST /admin/recovery/code → 201 {recovery_link, recovery_code, expires_at}. */
export function registerAdminRecoveryCodeRoute(admin: Router, deps: Deps): void {
  admin.post("/admin/recovery/code", async (ctx) => {
    if (!deps.config.selfservice.flows.recovery.enabled) throw errors.flowDisabled("recovery");
    const input = await parseAdminRecoveryBody(ctx, codeMethodConfig(deps.config).config.lifespan);
    const identity = isUuid(input.identity_id) ? await deps.identityRepository.get(input.identity_id) : undefined;
    if (!identity) throw errors.notFound("could not find identity");

    const flow = await newAdminRecoveryFlow(deps, ctx, input.flow_type ?? "browser", input.expiresInMs, "sent_email");
    flow.active = "code";
    const code = generateCode();
    // The flow row must exist before the token that references it.
    await deps.flows.save(flow);
    await secretsFor(deps.db).createRecoveryToken(deps.db, {
      strategy: "code",
      hash: hashSecret(deps.config, code),
      identityId: identity.id,
      flowId: flow.id,
      tokenType: "admin",
      expiresAt: flow.expiresAt,
    });
    const uiUrl = deps.config.selfservice.flows.recovery.ui_url;
    ctx.json(201, {
      recovery_link: uiUrl ? urlWithFlow(uiUrl, flow.id) : `${deps.config.publicBaseUrl}self-service/recovery/flows?id=${flow.id}`,
      recovery_code: code,
      expires_at: flow.expiresAt.toISOString(),
    });
  });
}
