import type { Deps } from "../../../deps";
import { readSubmission, type JsonObject } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors, KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import type { Session } from "../../../session/session";
import { FlowValidationError, type StrategyContext } from "../../strategy/strategy";
import {
  checkCsrf,
  createFlow,
  fetchFlowHandler,
  handleExpired,
  loadFlowForSubmit,
  respondWithNewFlow,
  respondWithValidationError,
  returnToFromQuery,
  submittedMethod,
} from "../engine";
import { isExpired, type FlowType } from "../flow";
import { loginFlow } from "./definition";
import { completeLogin, loginReturnUrl } from "./hooks";

export function registerLoginRoutes(router: Router, deps: Deps): void {
  router.get("/self-service/login/browser", (ctx) => initLogin(deps, ctx, "browser"));
  router.get("/self-service/login/api", (ctx) => initLogin(deps, ctx, "api"));
  router.get("/self-service/login/flows", (ctx) => fetchFlowHandler(deps, loginFlow, ctx));
  router.on(["POST", "GET"], "/self-service/login", (ctx) => submitLogin(deps, ctx));
}

async function initLogin(deps: Deps, ctx: HttpContext, type: FlowType): Promise<void> {
  const refresh = ctx.query.get("refresh") === "true";
  const aalParam = ctx.query.get("aal") ?? "";
  if (aalParam !== "" && aalParam !== "aal1" && aalParam !== "aal2") throw errors.badRequest(`Unable to parse AuthenticationMethod Assurance Level (AAL): ${aalParam}`);
  const requestedAal = aalParam === "aal2" ? "aal2" : "aal1";
  const returnTo = returnToFromQuery(deps, ctx);
  const session = type === "api" ? await sessionFromToken(deps, ctx) : await deps.sessions.fromRequest(ctx);

  // [mfa] An aal2 request from a session that already has aal2 is "already logged in" too (Kratos: requested AAL <= session AAL).
  if (session && !refresh && (requestedAal !== "aal2" || session.aal === "aal2")) {
    if (type === "browser" && !ctx.acceptsJson) {
      ctx.redirect(returnTo ?? loginReturnUrl(deps, undefined));
      return;
    }
    throw errors.alreadyLoggedIn();
  }
  if (requestedAal === "aal2" && !session) throw aal1Required();

  const challenge = ctx.query.get("login_challenge");
  const flow = await createFlow(deps, loginFlow, ctx, type, {
    returnTo,
    strategy: { session },
    prepare: (f) => {
      f.refresh = refresh;
      f.requestedAal = requestedAal;
      if (session && (refresh || requestedAal === "aal2")) {
        f.sessionId = session.id;
        f.identityId = session.identityId;
      }
      if (challenge) f.extra.oauth2_login_challenge = challenge;
    },
  });
  await respondWithNewFlow(deps, loginFlow, ctx, flow);
}

async function submitLogin(deps: Deps, ctx: HttpContext): Promise<void> {
  const flow = await loadFlowForSubmit(deps, loginFlow, ctx);
  const body = await readSubmission(ctx);
  const session = flow.type === "api" ? await sessionFromToken(deps, ctx) : await deps.sessions.fromRequest(ctx);
  const sctx: StrategyContext = { deps, http: ctx, session };

  if (isExpired(flow)) return handleExpired(deps, loginFlow, ctx, flow, { session });
  checkCsrf(deps, ctx, flow, body);

  // [mfa] Same rule on submit; an aal2 flow without a session is 401 session_aal1_required.
  if (session && !flow.refresh && (flow.requestedAal !== "aal2" || session.aal === "aal2")) {
    if (flow.type === "browser" && !ctx.isJsonRequest) {
      ctx.redirect(flow.returnTo ?? loginReturnUrl(deps, undefined));
      return;
    }
    throw errors.alreadyLoggedIn();
  }
  if (!session && flow.requestedAal === "aal2") throw aal1Required();

  // [mfa] Kratos' webauthn.js submits the form without `method`; a filled `webauthn_login` selects webauthn.
  const method = submittedMethod(body, ctx) || (typeof body.webauthn_login === "string" && body.webauthn_login !== "" ? "webauthn" : "");
  const strategy = deps.strategies.for("login").find((s) => s.id === method);
  try {
    if (!strategy) throw FlowValidationError.flow(loginFlow.noStrategyMessage(), echoIdentifier(body));
    const result = await strategy.login.submit(flow, body, sctx);
    flow.active = method;
    await completeLogin(deps, ctx, flow, result, session);
  } catch (error) {
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, loginFlow, ctx, flow, body, error, sctx);
      return;
    }
    throw error;
  }
}

function aal1Required(): KratosError {
  return new KratosError(401, {
    id: "session_aal1_required",
    message: "aal2 and aal3 can only be requested if a session exists already",
    reason: "You can not requested a higher AAL (AAL2/AAL3) without an active session.",
  });
}

function echoIdentifier(body: JsonObject): Record<string, unknown> {
  return typeof body.identifier === "string" ? { identifier: body.identifier } : {};
}

/** Native apps identify with X-Session-Token / Authorization only (never cookies). */
async function sessionFromToken(deps: Deps, ctx: HttpContext): Promise<Session | undefined> {
  const token = deps.sessions.tokenFrom(ctx, { cookie: false });
  return token ? deps.sessions.fromToken(token) : undefined;
}
