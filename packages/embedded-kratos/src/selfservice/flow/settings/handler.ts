import type { FlowDeps } from "../flow-deps";
import { readSubmission } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors, KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import type { Identity } from "../../../identity/identity";
import { DuplicateIdentifierError } from "../../../identity/repository";
import { messages } from "../../../ui/messages";
import { sessionAal } from "../../../session/aal";
import type { Session } from "../../../session/session";
import type { HookArgs } from "../../hook/hook";
import { runAfterHooks } from "../../hook/registry";
import { CompletedByStrategy } from "../completed-by-strategy";
import { FlowValidationError } from "../validation-error";
import type { StrategyContext } from "../../strategy/strategy";
import {
  checkCsrf,
  createFlow,
  flowIdOf,
  handleExpired,
  loadFlowForSubmit,
  renderUi,
  respondWithFlow,
  respondWithNewFlow,
  respondWithValidationError,
  returnToFromQuery,
  submittedMethod,
  writeFlowError,
} from "../engine";
import { aal2LoginUrl } from "../aal2-login";
import { flowErrors } from "../flow-errors";
import { isExpired, urlWithFlow, type Flow, type FlowType } from "../flow";
import { startVerificationForIdentity } from "../verification/start";
import { settingsFlow } from "./definition";
import { nowMicroseconds } from "../../../clock/clock";
import { decodeSubmission } from "../transient-payload";

export function registerSettingsRoutes(router: Router, deps: FlowDeps): void {
  router.get("/self-service/settings/browser", (ctx) => initSettings(deps, ctx, "browser"));
  router.get("/self-service/settings/api", (ctx) => initSettings(deps, ctx, "api"));
  router.get("/self-service/settings/flows", (ctx) => fetchSettingsFlow(deps, ctx));
  router.on(["POST", "GET"], "/self-service/settings", (ctx) => submitSettings(deps, ctx));
  router.get("/.well-known/change-password", (ctx) => ctx.redirect(`${deps.config.publicBaseUrl}self-service/settings/browser`, 302));
}

/**
 * settings.Handler.createBrowserSettingsFlow / createNativeSettingsFlow
 * behind session.Handler.IsAuthenticated: without a session browsers go to
 * the login (keeping return_to), AJAX gets 401 session_inactive and native
 * apps the same with "This endpoint can only be accessed with a valid
 * session"; a session below `required_aal` is sent to the aal2 login, which
 * returns to this very request only when it named a return_to.
 */
async function initSettings(deps: FlowDeps, ctx: HttpContext, type: FlowType): Promise<void> {
  const session = await deps.sessions.fromRequest(ctx);
  if (!session) {
    if (type === "api") throw flowErrors.sessionRequired();
    if (ctx.isJsonRequest) throw errors.noActiveSession();
    const login = new URL(`${deps.config.publicBaseUrl}self-service/login/browser`);
    const returnTo = ctx.query.get("return_to");
    if (returnTo) login.searchParams.set("return_to", returnTo);
    ctx.redirect(login.toString());
    return;
  }
  const stepUpReturn = type === "browser" && ctx.query.get("return_to") ? ctx.requestUrl : undefined;
  if (!satisfiesSettingsAal(deps, session)) {
    const stepUp = aal2LoginUrl(deps, { returnTo: stepUpReturn });
    if (type === "browser" && !ctx.isJsonRequest) {
      ctx.redirect(stepUp);
      return;
    }
    throw errors.aal2Required(stepUp);
  }
  const returnTo = returnToFromQuery(deps, ctx);
  const identity = await loadIdentity(deps, session);
  const flow = await createFlow(deps, settingsFlow, ctx, type, {
    returnTo,
    strategy: { session, identity },
    prepare: (f) => {
      f.identityId = identity.id;
      f.sessionId = session.id;
      f.schemaKeys = deps.schemas.keysInOrder(identity.schemaId);
    },
  });
  await respondWithNewFlow(deps, settingsFlow, ctx, flow);
}

/**
 * settings.Handler.getSettingsFlow: a session first (settings.OnUnauthenticated:
 * 401 for AJAX, a 302 to the login UI for browsers), then the flow (404),
 * its identity (403), the AAL (403, the step-up returning to this flow's
 * page) and expiry (410). No CSRF check: the session is the credential.
 */
async function fetchSettingsFlow(deps: FlowDeps, ctx: HttpContext): Promise<void> {
  const session = await deps.sessions.fromRequest(ctx);
  if (!session) return onUnauthenticated(deps, ctx);
  const flow = await deps.flows.get("settings", flowIdOf(ctx, "id"));
  if (!flow) throw new KratosError(404, { message: "Unable to locate the resource" });
  if (flow.identityId !== session.identityId) throw flowErrors.identityMismatch();
  if (!satisfiesSettingsAal(deps, session)) throw errors.aal2Required(aal2LoginUrl(deps, { returnTo: settingsUiUrl(deps, flow) }));
  if (isExpired(flow)) throw flowErrors.expiredOnFetch(deps, "settings", flow.type, flow.returnTo, flow.expiresAt);
  ctx.json(200, await settingsFlow.toJson(flow, deps));
}

/** settings.OnUnauthenticated: JSON clients get 401, browsers a 302 to the login UI. */
function onUnauthenticated(deps: FlowDeps, ctx: HttpContext): void {
  const loginUi = deps.config.selfservice.flows.login.ui_url;
  if (ctx.isJsonRequest || !loginUi) throw flowErrors.settingsUnauthenticated();
  ctx.redirect(loginUi, 302);
}

function satisfiesSettingsAal(deps: FlowDeps, session: Session): boolean {
  const identity = session.identity;
  return !identity || deps.aal.satisfies(session.aal, identity, deps.config.selfservice.flows.settings.required_aal);
}

/** The settings UI showing `flow` (Kratos' `flow.AppendTo(SelfServiceFlowSettingsUI)`). */
function settingsUiUrl(deps: FlowDeps, flow: Flow): string {
  const settingsUi = deps.config.selfservice.flows.settings.ui_url;
  return settingsUi ? urlWithFlow(settingsUi, flow.id) : flow.requestUrl;
}

async function loadIdentity(deps: FlowDeps, session: Session): Promise<Identity> {
  const identity = await deps.identityRepository.get(session.identityId, { withCredentials: true });
  if (!identity) throw errors.noActiveSession();
  return identity;
}

/**
 * settings.Handler.updateSettingsFlow: session (as for get), flow (400
 * malformed id, 404 unknown), AAL (the step-up returns to this submission
 * URL, as Kratos' session.WithRequestURL names it), expiry and identity,
 * then the strategy named by `method` (CSRF, privileged session), then
 * settings.HookExecutor.PostSettingsHook: persist, hooks, and the answer —
 * the flow for native apps, the flow plus `redirect_browser_to` for AJAX,
 * a 303 to return_to (by default the settings UI) for browsers.
 */
async function submitSettings(deps: FlowDeps, ctx: HttpContext): Promise<void> {
  if (!(await deps.sessions.fromRequest(ctx))) return onUnauthenticated(deps, ctx);
  const flow = await loadFlowForSubmit(deps, settingsFlow, ctx);
  if (!flow) return;
  const { fields: body, decodeError } = await readSubmission(ctx);
  const session = await deps.sessions.fromRequest(ctx);
  if (!session) return onUnauthenticated(deps, ctx);
  const json = flow.type === "api" || ctx.isJsonRequest;
  if (!satisfiesSettingsAal(deps, session)) {
    const stepUp = aal2LoginUrl(deps, { returnTo: ctx.requestUrl });
    if (json) throw errors.aal2Required(stepUp);
    ctx.redirect(stepUp);
    return;
  }
  const identity = await loadIdentity(deps, session);
  const sctx: StrategyContext = { deps, http: ctx, session, identity };
  if (isExpired(flow)) return handleExpired(deps, settingsFlow, ctx, flow, { session, identity });
  if (flow.identityId !== session.identityId) {
    const mismatch = new KratosError(403, {
      id: "security_identity_mismatch",
      reason: "The request was initiated by someone else and has been blocked for security reasons. Please go back and try again.",
    });
    if (json) ctx.error(mismatch);
    else await deps.errors.forward(ctx, mismatch);
    return;
  }

  const submission = { flow, body, method: submittedMethod(body) };
  const strategy = deps.strategies.responsibleFor("settings", submission, sctx);
  try {
    // The strategies decode the body first (decoderx.Decode): its refusal is the first answer, through the flow's error handler.
    if (decodeError) throw decodeError;
    // updateSettingsFlow asks every strategy in order: those before the responsible one may refuse the body first.
    await deps.strategies.screenBefore("settings", submission, sctx, strategy);
    deps.strategies.refuseIfDisabled("settings", strategy, "first");
    if (!strategy) throw FlowValidationError.flow(settingsFlow.noStrategyMessage());
    const method = strategy.id;
    // The strategy's schema refusals come before continueSettingsFlow's EnsureCSRF (password/settings.go Strategy.Settings).
    await decodeSubmission(strategy.id, "settings", strategy.settings, flow, body, sctx);
    deps.strategies.refuseIfDisabled("settings", strategy, "after-decode");
    checkCsrf(deps, ctx, flow, body);
    // Strategies change the identity in place: remember which addresses it had.
    const knownAddresses = new Set(identity.verifiableAddresses.map((a) => a.value));
    const result = await strategy.settings.submit(flow, body, sctx);
    if (result.privileged && !isPrivileged(deps, session)) {
      // settings.ErrorHandler.reauthenticate: the refresh login returns to this submission URL.
      const login = new URL(`${deps.config.publicBaseUrl}self-service/login/browser`);
      login.searchParams.set("refresh", "true");
      login.searchParams.set("return_to", ctx.requestUrl);
      if (json) throw flowErrors.needsReAuth(login.toString());
      ctx.redirect(login.toString());
      return;
    }
    flow.active = method;
    if (result.returnToUi) {
      // The strategy only changed what the flow shows (lookup codes revealed/regenerated), in place and unsorted.
      await deps.flows.save(flow);
      await respondWithFlow(deps, settingsFlow, ctx, flow);
      return;
    }
    // settings.HookExecutor.PostSettingsHook: pre-persist hooks (web_hook with can_interrupt / response.parse) may stop or change the update.
    await runAfterHooks(deps, "settings", method, "pre", { ctx, flow, identity: result.identity, session });
    try {
      // Kratos stores settings through IdentityManager.Update, whose validation runs the schema extensions again.
      deps.identities.deriveFromTraits(result.identity);
      result.identity.availableAal = deps.aal.availableFor(result.identity);
      result.identity.updatedAt = nowMicroseconds();
      await deps.identityRepository.update(result.identity);
    } catch (error) {
      if (error instanceof DuplicateIdentifierError) throw FlowValidationError.flow(messages.duplicateCredentials());
      throw error;
    }
    if (result.authenticationMethod) {
      // Enrolling a factor proves it: add it to the session (Kratos' SessionAddAuthenticationMethods).
      session.authenticationMethods = [...session.authenticationMethods, result.authenticationMethod];
      session.aal = sessionAal(session.authenticationMethods);
      await deps.sessions.repository.updateAuthentication(session);
    }
    flow.state = "success";
    await renderUi(deps, settingsFlow, flow, { ...sctx, identity: result.identity });
    flow.ui.addMessage(messages.settingsSaved());
    // Kratos' Verifier runs first among the post-persist hooks: a new address is mailed a verification message.
    const args: HookArgs = { ctx, flow, identity: result.identity, session, continueWith: [] };
    args.verificationFlow = await verifyChangedAddress(deps, ctx, flow, knownAddresses, result.identity);
    // The configured post-persist hooks for this method (e.g. revoke_active_sessions after a new password).
    await runAfterHooks(deps, "settings", method, "post", args);
    const continueWith = args.continueWith ?? [];
    const returnTo = settingsReturnUrl(deps, method, flow);
    if (flow.type === "browser" && ctx.isJsonRequest) continueWith.push({ action: "redirect_browser_to", redirect_browser_to: returnTo });
    if (continueWith.length > 0) flow.continueWith = continueWith;
    await deps.flows.save(flow);
    if (flow.type === "browser" && !ctx.isJsonRequest) {
      ctx.redirect(returnTo);
      return;
    }
    await respondWithFlow(deps, settingsFlow, ctx, flow);
  } catch (error) {
    if (error instanceof CompletedByStrategy) return;
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, settingsFlow, ctx, flow, body, error, sctx);
      return;
    }
    if (error instanceof KratosError) {
      await writeFlowError(deps, settingsFlow, ctx, flow, error, body, sctx);
      return;
    }
    throw error;
  }
}

/** Where a browser goes after saving settings with `method`: return_to, per-method, flow-wide, else the settings UI of this flow. */
function settingsReturnUrl(deps: FlowDeps, method: string, flow: Flow): string {
  const after = deps.config.selfservice.flows.settings.after as
    Record<string, { default_browser_return_url?: string } | string | undefined> | undefined;
  const perMethod = after?.[method];
  const flowWide = after?.default_browser_return_url;
  return (
    deps.returnTo.target(flow.returnTo) ??
    (typeof perMethod === "object" ? perMethod.default_browser_return_url : undefined) ??
    (typeof flowWide === "string" ? flowWide : undefined) ??
    settingsUiUrl(deps, flow)
  );
}

/**
 * A new verifiable address (an email changed in the profile) is unverified:
 * as Kratos' Verifier does, mail it a verification message. Only a
 * configured `show_verification_ui` hook then points the client at it.
 */
async function verifyChangedAddress(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: Flow,
  known: Set<string>,
  after: Identity,
): Promise<HookArgs["verificationFlow"]> {
  const added = after.verifiableAddresses.find((a) => !a.verified && !known.has(a.value));
  if (!added) return undefined;
  return startVerificationForIdentity(deps, ctx, { ...after, verifiableAddresses: [added] }, flow);
}

function isPrivileged(deps: FlowDeps, session: Session): boolean {
  return Date.now() - session.authenticatedAt.getTime() < deps.config.selfservice.flows.settings.privileged_session_max_age;
}
