import type { FlowDeps } from "../flow-deps";
import { BeforeHookError } from "../../hook/before-hooks";
import { readSubmission, type JsonObject } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { aalRank } from "../../../session/aal";
import { CompletedByStrategy } from "../completed-by-strategy";
import { FlowValidationError } from "../validation-error";
import type { StrategyContext } from "../../strategy/strategy";
import type { Session } from "../../../session/session";
import {
  checkCsrf,
  createFlow,
  fetchFlowHandler,
  forwardFlowError,
  handleExpired,
  loadFlowForSubmit,
  renderUi,
  respondWithNewFlow,
  respondWithValidationError,
  returnToFromQuery,
  submittedMethod,
  writeFlowError,
} from "../engine";
import { flowErrors } from "../flow-errors";
import { challengeForNewFlow, hydraRequiresLogin, overriddenReturnTo, skipToHydra } from "../oauth2-login";
import { selfServiceFlowIdentitySchema } from "../identity-schema";
import { isExpired, urlWithFlow, type FlowType, type LoginFlow } from "../flow";
import { createSessionTokenExchanger } from "../token-exchange";
import { loginFlow } from "./definition";
import { completeLogin } from "./hooks";
import { ShowIdentifierFirstCredentials } from "./identifier-first";
import { showIdentifierFirstCredentials } from "./identifier-first-step";
import { decodeSubmission } from "../transient-payload";

export function registerLoginRoutes(router: Router, deps: FlowDeps): void {
  router.get("/self-service/login/browser", (ctx) => initLogin(deps, ctx, "browser"));
  router.get("/self-service/login/api", (ctx) => initLogin(deps, ctx, "api"));
  router.get("/self-service/login/flows", (ctx) => fetchFlowHandler(deps, loginFlow, ctx));
  router.on(["POST", "GET"], "/self-service/login", (ctx) => submitLogin(deps, ctx));
}

/**
 * login.Handler.NewLoginFlow and its two callers: return_to and `aal` are
 * checked first, then the session decides — none (an aal2 request is 401
 * session_aal1_required), `refresh=true`, an aal2 upgrade of an aal1
 * session, or "already logged in" (400 for native apps and AJAX, a 303 to
 * return_to or the default for browsers).
 */
async function initLogin(deps: FlowDeps, ctx: HttpContext, type: FlowType): Promise<void> {
  const oauth2 = await challengeForNewFlow(deps, ctx, type);
  const returnTo = overriddenReturnTo(deps, oauth2) ?? returnToFromQuery(deps, ctx);
  const aalParam = (ctx.query.get("aal") ?? "").toLowerCase() || "aal1";
  if (aalParam !== "aal1" && aalParam !== "aal2") throw flowErrors.unknownAal(aalParam);
  const requestedAal = aalParam;
  // Only an aal1 flow takes a schema (login.Handler.NewLoginFlow); it labels the identifier.
  const schemaParam = requestedAal === "aal1" ? ctx.query.get("identity_schema") : null;
  const identitySchema = schemaParam ? selfServiceFlowIdentitySchema(deps.config, schemaParam) : undefined;
  const session = await deps.sessions.fromRequest(ctx);
  const refresh = session !== undefined && (ctx.query.get("refresh") === "true" || hydraRequiresLogin(oauth2));

  if (!session && requestedAal === "aal2") throw flowErrors.sessionRequiredForHigherAal();
  if (session && !refresh && (requestedAal === "aal1" || aalRank(requestedAal) <= aalRank(session.aal))) {
    if (oauth2?.request) return skipToHydra(deps, ctx, oauth2, session, () => flowErrors.alreadyLoggedIn("login"));
    if (type === "browser" && !ctx.acceptsJson) {
      ctx.redirect(deps.returnTo.target(returnTo) ?? deps.config.selfservice.default_browser_return_url);
      return;
    }
    throw flowErrors.alreadyLoggedIn("login");
  }

  const challenge = oauth2?.challenge;
  const wantsExchangeCode = type === "api" && !session && ctx.query.get("return_session_token_exchange_code") === "true";
  let flow;
  try {
    flow = await createFlow(deps, loginFlow, ctx, type, {
      returnTo,
      strategy: { session },
      prepare: (f) => {
        f.refresh = refresh;
        f.requestedAal = requestedAal;
        if (session && (refresh || requestedAal === "aal2")) {
          f.sessionId = session.id;
          f.identityId = session.identityId;
        }
        if (challenge) f.oauth2LoginChallenge = challenge;
        f.identitySchema = identitySchema;
      },
    });
  } catch (error) {
    if (!(error instanceof BeforeHookError)) throw error;
    await writeBeforeHookError(deps, ctx, type, error);
    return;
  }
  // createBrowserLoginFlow answers with the login request it fetched; createNativeLoginFlow fetches none.
  flow.oauth2LoginRequest = oauth2?.request;
  const exchangeCode = wantsExchangeCode ? await createSessionTokenExchanger(deps, flow.id) : undefined;
  if (exchangeCode) {
    // Only the answer to the init carries the code (Kratos does not store it on the flow).
    ctx.json(200, { ...(await loginFlow.toJson(flow, deps)), session_token_exchange_code: exchangeCode });
    return;
  }
  if (await fastLogin(deps, ctx, flow, session)) return;
  await respondWithNewFlow(deps, loginFlow, ctx, flow);
}

/**
 * NewLoginFlow's last step: the first strategy whose FastLogin2FA moves the
 * stored flow on (the code strategy sending its code at once) answers it —
 * 200 with the flow for JSON requests, else a 303 to the login UI
 * (strategy_login.go loginSendCode with successResponse).
 */
async function fastLogin(deps: FlowDeps, ctx: HttpContext, flow: LoginFlow, session: Session | undefined): Promise<boolean> {
  const sctx: StrategyContext = { deps, http: ctx, session };
  for (const strategy of deps.strategies.for("login")) {
    if (!(await strategy.login.fastLogin?.(flow, sctx))) continue;
    // loginSendCode answers the form populateEmailSentFlow built, unsorted.
    await renderUi(deps, loginFlow, flow, sctx, { asBuilt: true });
    await deps.flows.save(flow);
    const uiUrl = loginFlow.uiUrl(deps.config);
    if (ctx.isJsonRequest || !uiUrl) ctx.json(200, await loginFlow.toJson(flow, deps));
    else ctx.redirect(urlWithFlow(uiUrl, flow.id));
    return true;
  }
  return false;
}

/**
 * NewLoginFlow hands PreLoginHook's error to the flow error handler with a
 * flow never stored: the messages of a refusal cannot be saved on it
 * (UpdateLoginFlow finds no row: 404), any other error is forwarded — JSON
 * for native apps and AJAX, the error UI for browsers.
 */
async function writeBeforeHookError(deps: FlowDeps, ctx: HttpContext, type: FlowType, error: BeforeHookError): Promise<void> {
  const written = error.fromMessageList ? new KratosError(404, { message: "Unable to locate the resource" }) : error;
  if (type === "api") ctx.error(written);
  else await deps.errors.forward(ctx, written);
}

/**
 * login.Handler.updateLoginFlow: the session is looked at before anything
 * else (an existing one that needs no refresh and no higher AAL means
 * "already logged in": the flow with that message for native apps and
 * AJAX, a 303 to the default return URL for browsers), then expiry, then
 * the strategy the `method` names, which checks CSRF itself.
 */
async function submitLogin(deps: FlowDeps, ctx: HttpContext): Promise<void> {
  const flow = await loadFlowForSubmit(deps, loginFlow, ctx);
  if (!flow) return;
  const { fields: body, decodeError } = await readSubmission(ctx);
  const session = await deps.sessions.fromRequest(ctx);
  const sctx: StrategyContext = { deps, http: ctx, session };

  if (session && !flow.refresh && aalRank(flow.requestedAal ?? "aal1") <= aalRank(session.aal)) {
    if (ctx.isJsonRequest || flow.type === "api") {
      await writeFlowError(deps, loginFlow, ctx, flow, flowErrors.alreadyLoggedIn("login"), body, sctx);
      return;
    }
    ctx.redirect(deps.config.selfservice.default_browser_return_url);
    return;
  }
  if (!session && (flow.requestedAal ?? "aal1") !== "aal1") {
    await forwardFlowError(deps, ctx, flow, flowErrors.sessionRequiredForHigherAal());
    return;
  }
  if (isExpired(flow)) {
    // FromOldFlow → NewLoginFlow for someone signed in is "already logged in", reported on the expired flow.
    if (session) return writeFlowError(deps, loginFlow, ctx, flow, flowErrors.alreadyLoggedIn("login"), body, sctx);
    return handleExpired(deps, loginFlow, ctx, flow);
  }

  const submission = { flow, body, method: submittedMethod(body) };
  const strategy = deps.strategies.responsibleFor("login", submission, sctx);
  try {
    // The strategies decode the body first (decoderx.Decode): its refusal is the first answer, through the flow's error handler.
    if (decodeError) throw decodeError;
    // updateLoginFlow asks every strategy in order: those before the responsible one may refuse the body first.
    await deps.strategies.screenBefore("login", submission, sctx, strategy);
    deps.strategies.refuseIfDisabled("login", strategy, "first", submission);
    if (!strategy) throw FlowValidationError.flow(loginFlow.noStrategyMessage(), echoIdentifier(body));
    // The strategy's schema refusals come before EnsureCSRF (password/login.go Strategy.Login).
    await decodeSubmission(strategy.id, "login", strategy.login, flow, body, sctx);
    deps.strategies.refuseIfDisabled("login", strategy, "after-decode");
    checkCsrf(deps, ctx, flow, body);
    const result = await strategy.login.submit(flow, body, sctx);
    flow.active = strategy.id;
    await completeLogin(deps, ctx, flow, result, session);
  } catch (error) {
    if (error instanceof CompletedByStrategy) return;
    if (error instanceof ShowIdentifierFirstCredentials) {
      await showIdentifierFirstCredentials(deps, ctx, flow, error.identifier, body, sctx);
      return;
    }
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, loginFlow, ctx, flow, body, error, sctx);
      return;
    }
    if (error instanceof KratosError) {
      await writeFlowError(deps, loginFlow, ctx, flow, error, body, sctx);
      return;
    }
    throw error;
  }
}

function echoIdentifier(body: JsonObject): Record<string, unknown> {
  return typeof body.identifier === "string" ? { identifier: body.identifier } : {};
}
