import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { createAddressFlow, requireConfiguredStrategy, submitAddressFlow } from "../address-flow";
import { disabledError, fetchFlowHandler, respondWithNewFlow, returnToFromQuery } from "../engine";
import type { FlowDeps } from "../flow-deps";
import { BeforeHookError } from "../../hook/before-hooks";
import type { FlowType } from "../flow";
import { verificationFlow } from "./definition";

export function registerVerificationRoutes(router: Router, deps: FlowDeps): void {
  router.get("/self-service/verification/browser", (ctx) => initVerification(deps, ctx, "browser"));
  router.get("/self-service/verification/api", (ctx) => initVerification(deps, ctx, "api"));
  router.get("/self-service/verification/flows", (ctx) => fetchFlowHandler(deps, verificationFlow, ctx));
  router.on(["POST", "GET"], "/self-service/verification", (ctx) => submitAddressFlow(deps, verificationFlow, ctx));
}

/**
 * verification.Handler.createVerificationFlow: no session check; the flow
 * must be enabled, `use` must name an enabled strategy, and return_to must
 * be allowed — a bad one is answered with JSON even to a browser navigation.
 */
async function initVerification(deps: FlowDeps, ctx: HttpContext, type: FlowType): Promise<void> {
  if (!verificationFlow.enabled(deps.config)) {
    await deps.errors.forward(ctx, disabledError(verificationFlow));
    return;
  }
  requireConfiguredStrategy(deps, "verification");
  let returnTo: string | undefined;
  try {
    returnTo = returnToFromQuery(deps, ctx);
  } catch (error) {
    if (error instanceof KratosError) {
      ctx.error(error);
      return;
    }
    throw error;
  }
  let flow;
  try {
    flow = await createAddressFlow(deps, verificationFlow, ctx, type, returnTo);
  } catch (error) {
    // NewVerificationFlow's errors, PreVerificationHook's among them, are written as they are (Writer().WriteError).
    if (!(error instanceof BeforeHookError)) throw error;
    ctx.error(error);
    return;
  }
  await respondWithNewFlow(deps, verificationFlow, ctx, flow);
}
