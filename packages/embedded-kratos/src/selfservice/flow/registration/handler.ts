import type { Deps } from "../../../deps";
import { readSubmission } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { DuplicateIdentifierError } from "../../../identity/repository";
import { messages } from "../../../ui/messages";
import { FlowValidationError, type StrategyContext } from "../../strategy/strategy";
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
} from "../engine";
import { isExpired, type FlowType } from "../flow";
import { registrationFlow } from "./definition";
import { completeRegistration, registrationReturnUrl } from "./hooks";

export function registerRegistrationRoutes(router: Router, deps: Deps): void {
  router.get("/self-service/registration/browser", (ctx) => initRegistration(deps, ctx, "browser"));
  router.get("/self-service/registration/api", (ctx) => initRegistration(deps, ctx, "api"));
  router.get("/self-service/registration/flows", (ctx) => fetchFlowHandler(deps, registrationFlow, ctx));
  router.on(["POST", "GET"], "/self-service/registration", (ctx) => submitRegistration(deps, ctx));
}

async function initRegistration(deps: Deps, ctx: HttpContext, type: FlowType): Promise<void> {
  requireEnabled(deps, registrationFlow);
  const returnTo = returnToFromQuery(deps, ctx);
  // Checked now, like return_to, so a forbidden target fails at the start rather than after sign-up.
  const afterVerification = ctx.query.get("after_verification_return_to");
  if (afterVerification) deps.returnTo.check(afterVerification);
  const session = type === "api" ? await tokenSession(deps, ctx) : await deps.sessions.fromRequest(ctx);
  if (session) {
    if (type === "browser" && !ctx.acceptsJson) {
      ctx.redirect(returnTo ?? registrationReturnUrl(deps, undefined));
      return;
    }
    throw errors.alreadyLoggedIn();
  }
  const schemaParam = ctx.query.get("identity_schema");
  if (schemaParam && !deps.schemas.get(schemaParam)) throw errors.badRequest(`The requested identity schema "${schemaParam}" does not exist.`);
  const challenge = ctx.query.get("login_challenge");
  const flow = await createFlow(deps, registrationFlow, ctx, type, {
    returnTo,
    prepare: (f) => {
      if (schemaParam) f.extra.identity_schema = schemaParam;
      if (challenge) f.extra.oauth2_login_challenge = challenge;
    },
  });
  await respondWithNewFlow(deps, registrationFlow, ctx, flow);
}

async function submitRegistration(deps: Deps, ctx: HttpContext): Promise<void> {
  const flow = await loadFlowForSubmit(deps, registrationFlow, ctx);
  const body = await readSubmission(ctx);
  const sctx: StrategyContext = { deps, http: ctx };
  if (!registrationFlow.enabled(deps.config)) throw errors.flowDisabled("registration");
  if (isExpired(flow)) return handleExpired(deps, registrationFlow, ctx, flow);
  checkCsrf(deps, ctx, flow, body);

  const session = flow.type === "api" ? await tokenSession(deps, ctx) : await deps.sessions.fromRequest(ctx);
  if (session) {
    if (flow.type === "browser" && !ctx.isJsonRequest) {
      ctx.redirect(flow.returnTo ?? registrationReturnUrl(deps, undefined));
      return;
    }
    throw errors.alreadyLoggedIn();
  }

  // [mfa] Kratos' webauthn.js submits the form without `method`; a filled `webauthn_register` selects webauthn.
  const method = submittedMethod(body, ctx) || (typeof body.webauthn_register === "string" && body.webauthn_register !== "" ? "webauthn" : "");
  const strategy = deps.strategies.for("registration").find((s) => s.id === method);
  try {
    if (flow.state === "passed_challenge") {
      throw FlowValidationError.flow({ id: 4040002, text: "The request was already completed successfully and can not be retried.", type: "error" });
    }
    if (!strategy) throw FlowValidationError.flow(registrationFlow.noStrategyMessage());
    let result;
    try {
      result = await strategy.registration.submit(flow, body, sctx);
      flow.active = method;
      deps.identities.deriveFromTraits(result.identity);
      result.identity.availableAal = deps.aal.availableFor(result.identity);
      await deps.identityRepository.create(result.identity);
    } catch (error) {
      if (error instanceof DuplicateIdentifierError) throw FlowValidationError.flow(messages.duplicateCredentials());
      throw error;
    }
    await completeRegistration(deps, ctx, flow, result);
  } catch (error) {
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, registrationFlow, ctx, flow, body, error, sctx);
      return;
    }
    throw error;
  }
}

async function tokenSession(deps: Deps, ctx: HttpContext) {
  const token = deps.sessions.tokenFrom(ctx, { cookie: false });
  return token ? deps.sessions.fromToken(token) : undefined;
}
