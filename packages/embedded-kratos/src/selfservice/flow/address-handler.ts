import type { Deps } from "../../deps";
import { readSubmission, type JsonObject } from "../../http/body";
import type { HttpContext } from "../../http/context";
import { KratosError } from "../../http/errors";
import type { Router } from "../../http/router";
import { FlowValidationError, type FlowStrategy, type FlowUpdatedResult, type StrategyContext } from "../strategy/strategy";
import { configuredStrategy, flowStrategy } from "./address-flow";
import type { FlowDefinition } from "./definition";
import {
  checkCsrf,
  createFlow,
  disabledError,
  fetchFlowHandler,
  handleExpired,
  loadFlowForSubmit,
  respondWithFlow,
  respondWithNewFlow,
  respondWithValidationError,
  returnToFromQuery,
  submittedMethod,
  writeFlowError,
} from "./engine";
import { flowErrors } from "./flow-errors";
import { isExpired, type Flow, type FlowType } from "./flow";

/**
 * Routes of recovery and verification (recovery.Handler, verification.Handler).
 * A flow is created for the strategy named by `use` and remembers it in
 * `active`; submissions go to the strategy the flow is for, except that a
 * recovery link (`token`) is always the link strategy's — so a link made by
 * `POST /admin/recovery/link` works while `use` names `code`.
 */
export function registerAddressFlowRoutes(router: Router, deps: Deps, def: FlowDefinition): void {
  const kind = def.kind as "recovery" | "verification";
  router.get(`/self-service/${kind}/browser`, (ctx) => initAddressFlow(deps, def, ctx, "browser"));
  router.get(`/self-service/${kind}/api`, (ctx) => initAddressFlow(deps, def, ctx, "api"));
  router.get(`/self-service/${kind}/flows`, (ctx) => fetchFlowHandler(deps, def, ctx));
  router.on(["POST", "GET"], `/self-service/${kind}`, (ctx) => submitAddressFlow(deps, def, ctx));
}

/**
 * Recovery refuses a signed-in browser before anything else
 * (session.Handler.IsNotAuthenticated: 400 for AJAX and native apps, a 302
 * to the default return URL — or a return_to under the public URL's
 * /self-service — for browsers); verification does not look at sessions.
 * Then: the flow must be enabled, `use` must name an enabled strategy, and
 * return_to must be allowed.
 */
async function initAddressFlow(deps: Deps, def: FlowDefinition, ctx: HttpContext, type: FlowType): Promise<void> {
  const kind = def.kind as "recovery" | "verification";
  if (kind === "recovery" && (await deps.sessions.fromRequest(ctx))) {
    if (type === "api" || ctx.isJsonRequest) throw flowErrors.alreadyLoggedIn("recovery");
    ctx.redirect(redirectOnAuthenticated(deps, ctx), 302);
    return;
  }
  if (!def.enabled(deps.config)) {
    await deps.errors.forward(ctx, disabledError(def));
    return;
  }
  const use = deps.config.selfservice.flows[kind].use;
  // GetActive<Kind>Strategies: `use` must name an enabled method. (A server built without that strategy — some tests — still shows the form.)
  if (!configuredStrategy(deps, kind) && deps.config.selfservice.methods[use]?.enabled !== true) {
    throw new KratosError(400, {
      reason: `You attempted ${kind} using ${use}, which is not enabled or does not exist. An administrator needs to enable this ${kind} method.`,
    });
  }
  let returnTo: string | undefined;
  try {
    returnTo = returnToFromQuery(deps, ctx);
  } catch (error) {
    // verification.Handler answers a bad return_to with JSON even to a browser navigation.
    if (kind === "verification" && error instanceof KratosError) {
      ctx.error(error);
      return;
    }
    throw error;
  }
  const session = await deps.sessions.fromRequest(ctx);
  const flow = await createFlow(deps, def, ctx, type, { returnTo, strategy: { session }, prepare: (f) => (f.active = use) });
  await respondWithNewFlow(deps, def, ctx, flow);
}

/** session.RedirectOnAuthenticated: return_to only when it points into the public URL's /self-service, else the default. */
function redirectOnAuthenticated(deps: Deps, ctx: HttpContext): string {
  const fallback = deps.config.selfservice.default_browser_return_url;
  const raw = ctx.query.get("return_to");
  if (!raw || !URL.canParse(raw, fallback)) return fallback;
  const target = new URL(raw, fallback);
  const selfService = new URL(`${deps.config.publicBaseUrl}self-service`);
  const allowed = target.protocol === selfService.protocol && target.host.toLowerCase() === selfService.host.toLowerCase() && target.pathname.startsWith(selfService.pathname);
  return allowed ? target.toString() : fallback;
}

/**
 * recovery.Handler.updateRecoveryFlow / verification.Handler.updateVerificationFlow:
 * flow (400 malformed, 404 unknown), expiry (a replacement), then the
 * responsible strategy, which checks CSRF itself (mailed links carry none);
 * then the flow — 303 to the UI for browsers, JSON otherwise.
 */
async function submitAddressFlow(deps: Deps, def: FlowDefinition, ctx: HttpContext): Promise<void> {
  const kind = def.kind as "recovery" | "verification";
  const flow = await loadFlowForSubmit(deps, def, ctx);
  if (!flow) return;
  const body = ctx.method === "GET" ? Object.fromEntries(ctx.query) : await readSubmission(ctx);
  const session = await deps.sessions.fromRequest(ctx);
  const sctx: StrategyContext = { deps, http: ctx, session };
  if (isExpired(flow)) return handleExpired(deps, def, ctx, flow, { session });

  const responsible = responsibleStrategy(deps, kind, flow, body, ctx);
  try {
    if (!responsible) throw FlowValidationError.flow(def.noStrategyMessage());
    // Each strategy checks CSRF where Kratos' does: not for a mailed secret (a link's token, a verification code), nor for GETs.
    const secret = (typeof body.token === "string" && body.token !== "") || (kind === "verification" && typeof body.code === "string" && body.code !== "");
    if (ctx.method !== "GET" && !secret) checkCsrf(deps, ctx, flow, body);
    const result = await responsible.strategy.submit(flow, body, sctx);
    if (result.kind === "responded") return;
    flow.active = responsible.id;
    await deps.flows.save(flow);
    await respondWithFlow(deps, def, ctx, flow);
  } catch (error) {
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, def, ctx, flow, body, error, sctx);
      return;
    }
    if (error instanceof KratosError) {
      await writeFlowError(deps, def, ctx, flow, error, body, sctx);
      return;
    }
    throw error;
  }
}

/**
 * Kratos asks its strategies in order (code, then link). Recovery: code
 * answers for flows it made (`active: code`); link for anything carrying a
 * `token` or `method: link`. Verification: the strategy the flow was made
 * for, provided the submitted `method` (if any) names it.
 */
function responsibleStrategy(
  deps: Deps,
  kind: "recovery" | "verification",
  flow: Flow,
  body: JsonObject,
  ctx: HttpContext,
): { id: string; strategy: FlowStrategy<FlowUpdatedResult> } | undefined {
  const method = submittedMethod(body, ctx);
  const active = flow.active ?? deps.config.selfservice.flows[kind].use;
  if (kind === "recovery") {
    for (const s of deps.strategies.for("recovery")) {
      if (s.id === "code" && active === "code") return { id: s.id, strategy: s.recovery };
      if (s.id === "link" && ((typeof body.token === "string" && body.token !== "") || method === "link")) return { id: s.id, strategy: s.recovery };
    }
    return undefined;
  }
  const strategy = flowStrategy(deps, kind, flow);
  return strategy && (method === "" || method === active) ? { id: active, strategy } : undefined;
}
