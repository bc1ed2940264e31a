import type { HttpContext } from "../../../http/context";
import type { Router } from "../../../http/router";
import { createAddressFlow, requireConfiguredStrategy, submitAddressFlow } from "../address-flow";
import { disabledError, fetchFlowHandler, respondWithNewFlow, returnToFromQuery } from "../engine";
import type { FlowDeps } from "../flow-deps";
import { BeforeHookError } from "../../hook/before-hooks";
import { flowErrors } from "../flow-errors";
import type { FlowType } from "../flow";
import { completeRecovery } from "./complete";
import { recoveryFlow } from "./definition";

export function registerRecoveryRoutes(router: Router, deps: FlowDeps): void {
  router.get("/self-service/recovery/browser", (ctx) => initRecovery(deps, ctx, "browser"));
  router.get("/self-service/recovery/api", (ctx) => initRecovery(deps, ctx, "api"));
  router.get("/self-service/recovery/flows", (ctx) => fetchFlowHandler(deps, recoveryFlow, ctx));
  router.on(["POST", "GET"], "/self-service/recovery", (ctx) =>
    submitAddressFlow(deps, recoveryFlow, ctx, (flow, recovered) => completeRecovery(deps, ctx, flow, recovered)),
  );
}

/**
 * recovery.Handler.createRecoveryFlow: a signed-in browser is refused before
 * anything else (session.Handler.IsNotAuthenticated: 400 for AJAX and
 * native apps, a 302 to the default return URL — or a return_to under the
 * public URL's /self-service — for browsers); then the flow must be
 * enabled, `use` must name an enabled strategy, and return_to must be allowed.
 */
async function initRecovery(deps: FlowDeps, ctx: HttpContext, type: FlowType): Promise<void> {
  if (await deps.sessions.fromRequest(ctx)) {
    if (type === "api" || ctx.isJsonRequest) throw flowErrors.alreadyLoggedIn("recovery");
    ctx.redirect(redirectOnAuthenticated(deps, ctx), 302);
    return;
  }
  if (!recoveryFlow.enabled(deps.config)) {
    await deps.errors.forward(ctx, disabledError(recoveryFlow));
    return;
  }
  requireConfiguredStrategy(deps, "recovery");
  const returnTo = returnToFromQuery(deps, ctx);
  let flow;
  try {
    flow = await createAddressFlow(deps, recoveryFlow, ctx, type, returnTo);
  } catch (error) {
    // PreRecoveryHook's error is written as it is (Writer().WriteError), to browsers too.
    if (!(error instanceof BeforeHookError)) throw error;
    ctx.error(error);
    return;
  }
  await respondWithNewFlow(deps, recoveryFlow, ctx, flow);
}

/** session.RedirectOnAuthenticated: return_to only when it points into the public URL's /self-service, else the default. */
function redirectOnAuthenticated(deps: FlowDeps, ctx: HttpContext): string {
  const fallback = deps.config.selfservice.default_browser_return_url;
  const raw = ctx.query.get("return_to");
  if (!raw || !URL.canParse(raw, fallback)) return fallback;
  const target = new URL(raw, fallback);
  const selfService = new URL(`${deps.config.publicBaseUrl}self-service`);
  const allowed =
    target.protocol === selfService.protocol &&
    target.host.toLowerCase() === selfService.host.toLowerCase() &&
    target.pathname.startsWith(selfService.pathname);
  return allowed ? target.toString() : fallback;
}
