import type { FlowDeps } from "../flow-deps";
import { readSubmission } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { DuplicateIdentifierError } from "../../../identity/repository";
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
import { acceptOAuth2Login, challengeForNewFlow, type OAuth2Challenge } from "../oauth2-login";
import type { Session } from "../../../session/session";
import { selfServiceFlowIdentitySchema } from "../identity-schema";
import { isExpired, type FlowType } from "../flow";
import { createSessionTokenExchanger } from "../token-exchange";
import { registrationFlow } from "./definition";
import { DuplicateSignUpError, duplicateCredentialsMessage, storedNodeValues } from "./duplicate-credentials";
import { completeRegistration } from "./hooks";
import { runAfterHooks } from "../../hook/registry";
import { ShowRegistrationScreen } from "./profile-first";
import { showRegistrationScreen } from "./profile-first-step";
import { decodeSubmission } from "../transient-payload";

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
  if (schemaParam) selfServiceFlowIdentitySchema(deps.config, schemaParam);
  const oauth2 = await challengeForNewFlow(deps, ctx, type);
  const challenge = oauth2?.challenge;
  const flow = await createFlow(deps, registrationFlow, ctx, type, {
    returnTo,
    prepare: (f) => {
      if (schemaParam) f.identitySchema = schemaParam;
      if (challenge) f.oauth2LoginChallenge = challenge;
    },
  });
  if (type === "api") {
    const exchangeCode =
      ctx.query.get("return_session_token_exchange_code") === "true" ? await createSessionTokenExchanger(deps, flow.id) : undefined;
    ctx.json(200, {
      ...(await registrationFlow.toJson(flow, deps)),
      ...(exchangeCode ? { session_token_exchange_code: exchangeCode } : {}),
    });
    return;
  }
  const current = await deps.sessions.fromRequest(ctx);
  if (current) {
    if (oauth2?.request) return signedInWithChallenge(deps, ctx, oauth2, current);
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
  const storedValues = storedNodeValues(flow);
  const { fields: body, decodeError } = await readSubmission(ctx);
  const sctx: StrategyContext = { deps, http: ctx };

  if (await deps.sessions.fromRequest(ctx)) {
    if (flow.type === "browser") {
      ctx.redirect(deps.config.selfservice.default_browser_return_url);
      return;
    }
    throw flowErrors.alreadyLoggedIn("registration");
  }
  if (isExpired(flow)) return handleExpired(deps, registrationFlow, ctx, flow);

  const submission = { flow, body, method: submittedMethod(body) };
  const strategy = deps.strategies.responsibleFor("registration", submission, sctx);
  try {
    // The strategies decode the body first (decoderx.Decode): its refusal is the first answer, through the flow's error handler.
    if (decodeError) throw decodeError;
    if (flow.state === "passed_challenge") {
      throw FlowValidationError.flow({
        id: 4040002,
        text: "The request was already completed successfully and can not be retried.",
        type: "error",
      });
    }
    // updateRegistrationFlow asks every strategy in order: those before the responsible one may refuse the body first.
    await deps.strategies.screenBefore("registration", submission, sctx, strategy);
    deps.strategies.refuseIfDisabled("registration", strategy, "first");
    if (!strategy) throw FlowValidationError.flow(registrationFlow.noStrategyMessage());
    // The strategy's schema refusals, traits included, come before EnsureCSRF (registration.DecodeBody).
    await decodeSubmission(strategy.id, "registration", strategy.registration, flow, body, sctx);
    deps.strategies.refuseIfDisabled("registration", strategy, "after-decode");
    if (!strategy.registration.skipsCsrfCheck?.(submission)) checkCsrf(deps, ctx, flow, body);
    const result = await strategy.registration.submit(flow, body, sctx);
    flow.active = strategy.id;
    // PostRegistrationHook's pre-persist hooks (web_hook with can_interrupt / response.parse) may stop or change the sign-up.
    await runAfterHooks(deps, "registration", flow.active, "pre", { ctx, flow, identity: result.identity });
    deps.identities.deriveFromTraits(result.identity);
    result.identity.availableAal = deps.aal.availableFor(result.identity);
    try {
      await deps.identityRepository.create(result.identity);
    } catch (error) {
      // Kratos learns of a taken identifier from the insert (IdentityManager.Create), whichever strategy signed up.
      if (error instanceof DuplicateIdentifierError)
        throw new DuplicateSignUpError(await duplicateCredentialsMessage(deps, result.identity), storedValues);
      throw error;
    }
    await completeRegistration(deps, ctx, flow, result);
  } catch (error) {
    if (error instanceof CompletedByStrategy) return;
    if (error instanceof ShowRegistrationScreen) {
      await showRegistrationScreen(deps, ctx, flow, error, sctx);
      return;
    }
    if (error instanceof FlowValidationError) {
      const echoed = error instanceof DuplicateSignUpError ? {} : body;
      await respondWithValidationError(deps, registrationFlow, ctx, flow, echoed, error, sctx);
      return;
    }
    if (error instanceof KratosError) {
      await writeFlowError(deps, registrationFlow, ctx, flow, error, body, sctx);
      return;
    }
    throw error;
  }
}

/**
 * createBrowserRegistrationFlow for a signed-in browser with a Hydra challenge:
 * a login Hydra may skip is accepted with the current session (a 303 back to
 * Hydra; JSON clients get Kratos' empty 200 answer), otherwise the browser is
 * sent (302) to the login flow with the same query.
 */
async function signedInWithChallenge(deps: FlowDeps, ctx: HttpContext, oauth2: OAuth2Challenge, session: Session): Promise<void> {
  if (oauth2.request?.skip === true) {
    const redirectTo = await acceptOAuth2Login(deps, oauth2.challenge, session);
    if (ctx.acceptsJson) ctx.json(200, null);
    else ctx.redirect(redirectTo);
    return;
  }
  ctx.redirect(`${deps.config.publicBaseUrl}self-service/login/browser${ctx.search}`, 302);
}
