import type { FlowDeps } from "../flow-deps";
import { readSubmission } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { DuplicateIdentifierError } from "../../../identity/repository";
import { messages } from "../../../ui/messages";
import { CompletedByStrategy } from "../completed-by-strategy";
import { FlowValidationError } from "../validation-error";
import type { StrategyContext } from "../../strategy/strategy";
import {
  checkCsrf,
  createFlow,
  fetchFlowHandler,
  handleExpired,
  loadFlowForSubmit,
  requireEnabled,
  respondWithNewFlow,
  respondWithValidationError,
  returnToFromQuery,
  submittedMethod,
  writeFlowError,
} from "../engine";
import { flowErrors } from "../flow-errors";
import { isExpired, type FlowType } from "../flow";
import { newSessionTokenExchangeCode } from "../token-exchange";
import { registrationFlow } from "./definition";
import { completeRegistration } from "./hooks";

export function registerRegistrationRoutes(router: Router, deps: FlowDeps): void {
  router.get("/self-service/registration/browser", (ctx) => initRegistration(deps, ctx, "browser"));
  router.get("/self-service/registration/api", (ctx) => initRegistration(deps, ctx, "api"));
  router.get("/self-service/registration/flows", (ctx) => fetchFlowHandler(deps, registrationFlow, ctx));
  router.on(["POST", "GET"], "/self-service/registration", (ctx) => submitRegistration(deps, ctx));
}

/**
 * registration.Handler.NewRegistrationFlow and its callers: the flow is
 * checked (enabled, return_to, identity_schema) and created first; only the
 * browser endpoint then looks for a session — 400 session_already_available
 * for AJAX, a 303 to return_to or the default for browsers. The native
 * endpoint does not look at sessions at all.
 */
async function initRegistration(deps: FlowDeps, ctx: HttpContext, type: FlowType): Promise<void> {
  requireEnabled(deps, registrationFlow);
  const returnTo = returnToFromQuery(deps, ctx);
  // Checked now, like return_to, so a forbidden target fails at the start rather than after sign-up.
  const afterVerification = ctx.query.get("after_verification_return_to");
  if (afterVerification) deps.returnTo.check(afterVerification);
  const schemaParam = ctx.query.get("identity_schema");
  if (schemaParam && !deps.schemas.get(schemaParam))
    throw new KratosError(400, { reason: `The requested identity schema "${schemaParam}" does not exist.` });
  const challenge = ctx.query.get("login_challenge");
  const flow = await createFlow(deps, registrationFlow, ctx, type, {
    returnTo,
    prepare: (f) => {
      if (schemaParam) f.identitySchema = schemaParam;
      if (challenge) f.oauth2LoginChallenge = challenge;
    },
  });
  if (type === "api") {
    const exchangeCode = ctx.query.get("return_session_token_exchange_code") === "true" ? newSessionTokenExchangeCode() : undefined;
    ctx.json(200, {
      ...(await registrationFlow.toJson(flow, deps)),
      ...(exchangeCode ? { session_token_exchange_code: exchangeCode } : {}),
    });
    return;
  }
  if (await deps.sessions.fromRequest(ctx)) {
    if (ctx.isJsonRequest) throw flowErrors.alreadyLoggedIn("registration");
    ctx.redirect(deps.returnTo.target(returnTo) ?? deps.config.selfservice.default_browser_return_url);
    return;
  }
  await respondWithNewFlow(deps, registrationFlow, ctx, flow);
}

/**
 * registration.Handler.updateRegistrationFlow: a session refuses the
 * submission before anything else (browsers, AJAX included, are sent to the
 * default return URL; native apps get 400 session_already_available), then
 * expiry, then the strategy named by `method`, which checks CSRF itself.
 */
async function submitRegistration(deps: FlowDeps, ctx: HttpContext): Promise<void> {
  const flow = await loadFlowForSubmit(deps, registrationFlow, ctx);
  if (!flow) return;
  const body = await readSubmission(ctx);
  const sctx: StrategyContext = { deps, http: ctx };

  if (await deps.sessions.fromRequest(ctx)) {
    if (flow.type === "browser") {
      ctx.redirect(deps.config.selfservice.default_browser_return_url);
      return;
    }
    throw flowErrors.alreadyLoggedIn("registration");
  }
  if (isExpired(flow)) return handleExpired(deps, registrationFlow, ctx, flow);

  const strategy = deps.strategies.responsibleFor("registration", { flow, body, method: submittedMethod(body, ctx) }, sctx);
  try {
    if (flow.state === "passed_challenge") {
      throw FlowValidationError.flow({
        id: 4040002,
        text: "The request was already completed successfully and can not be retried.",
        type: "error",
      });
    }
    if (!strategy) throw FlowValidationError.flow(registrationFlow.noStrategyMessage());
    checkCsrf(deps, ctx, flow, body);
    let result;
    try {
      result = await strategy.registration.submit(flow, body, sctx);
      flow.active = strategy.id;
      deps.identities.deriveFromTraits(result.identity);
      result.identity.availableAal = deps.aal.availableFor(result.identity);
      await deps.identityRepository.create(result.identity);
    } catch (error) {
      if (error instanceof DuplicateIdentifierError) throw FlowValidationError.flow(messages.duplicateCredentials());
      throw error;
    }
    await completeRegistration(deps, ctx, flow, result);
  } catch (error) {
    if (error instanceof CompletedByStrategy) return;
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, registrationFlow, ctx, flow, body, error, sctx);
      return;
    }
    if (error instanceof KratosError) {
      await writeFlowError(deps, registrationFlow, ctx, flow, error, body, sctx);
      return;
    }
    throw error;
  }
}
