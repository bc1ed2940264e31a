import type { Deps } from "../../../deps";
import { readSubmission } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors, KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import type { Identity } from "../../../identity/identity";
import { DuplicateIdentifierError } from "../../../identity/repository";
import { messages } from "../../../ui/messages";
import { sessionAal } from "../../../session/aal";
import type { Session } from "../../../session/session";
import { runAfterHooks } from "../../hook/registry";
import { FlowValidationError, type StrategyContext } from "../../strategy/strategy";
import {
  checkCsrf,
  createFlow,
  fetchFlowHandler,
  handleExpired,
  loadFlowForSubmit,
  renderUi,
  respondWithFlow,
  respondWithNewFlow,
  respondWithValidationError,
  returnToFromQuery,
  submittedMethod,
} from "../engine";
import { isExpired, urlWithFlow, type ContinueWith, type Flow, type FlowType } from "../flow";
import { startVerificationForIdentity } from "../verification/start";
import { settingsFlow } from "./definition";

export function registerSettingsRoutes(router: Router, deps: Deps): void {
  router.get("/self-service/settings/browser", (ctx) => initSettings(deps, ctx, "browser"));
  router.get("/self-service/settings/api", (ctx) => initSettings(deps, ctx, "api"));
  router.get("/self-service/settings/flows", async (ctx) => {
    const session = await requireSettingsSession(deps, ctx, "api");
    await fetchFlowHandler(deps, settingsFlow, ctx, async (flow) => {
      assertSameIdentity(flow, session);
      // Kratos checks the AAL when the UI fetches the flow too (a flow opened
      // by recovery, say); the step-up then returns to this flow's page.
      if (session) requireAal(deps, session, settingsUiReturn(deps, flow));
    });
  });
  router.on(["POST", "GET"], "/self-service/settings", (ctx) => submitSettings(deps, ctx));
  router.get("/.well-known/change-password", (ctx) => ctx.redirect(`${deps.config.publicBaseUrl}self-service/settings/browser`, 302));
}

async function initSettings(deps: Deps, ctx: HttpContext, type: FlowType): Promise<void> {
  const returnTo = returnToFromQuery(deps, ctx);
  const session = await requireSettingsSession(deps, ctx, type);
  if (!session) return;
  // As Kratos: the step-up comes back to this very request only when it asked to go somewhere afterwards.
  const initReturn = returnTo ? `${deps.config.publicBaseUrl}self-service/settings/${type}?return_to=${encodeURIComponent(returnTo)}` : undefined;
  if (!enforceAal(deps, ctx, session, type, initReturn)) return;
  const identity = await loadIdentity(deps, session);
  const flow = await createFlow(deps, settingsFlow, ctx, type, {
    returnTo,
    strategy: { session, identity },
    prepare: (f) => {
      f.identityId = identity.id;
      f.sessionId = session.id;
      f.extra.__schema_keys = deps.identities.schemaOf(identity.schemaId).paths.map((p) => p.name);
    },
  });
  await respondWithNewFlow(deps, settingsFlow, ctx, flow);
}

/** The session for settings; browsers without one are sent to login (undefined returned), others get 401. */
async function requireSettingsSession(deps: Deps, ctx: HttpContext, type: FlowType): Promise<Session | undefined> {
  const session = await deps.sessions.fromRequest(ctx);
  if (session) return session;
  if (type === "browser" && !ctx.acceptsJson) {
    const login = new URL(`${deps.config.publicBaseUrl}self-service/login/browser`);
    ctx.redirect(login.toString());
    return undefined;
  }
  throw errors.noActiveSession();
}

/**
 * [mfa] false when the browser was redirected (303) to the aal2 login, as
 * Kratos' settings error handler does for non-JSON browsers. `returnTo` is
 * where that login sends the browser afterwards (Kratos' session.WithRequestURL).
 */
function enforceAal(deps: Deps, ctx: HttpContext, session: Session, type: FlowType, returnTo: string | undefined): boolean {
  if (satisfiesSettingsAal(deps, session)) return true;
  if (type === "browser" && !ctx.isJsonRequest) {
    ctx.redirect(aal2LoginUrl(deps, returnTo));
    return false;
  }
  throw errors.aal2Required(aal2LoginUrl(deps, returnTo));
}

/** Throws 403 session_aal2_required (redirect_browser_to: the aal2 login carrying `returnTo`) when the session is below settings' required AAL. */
function requireAal(deps: Deps, session: Session, returnTo: string | undefined): void {
  if (!satisfiesSettingsAal(deps, session)) throw errors.aal2Required(aal2LoginUrl(deps, returnTo));
}

function satisfiesSettingsAal(deps: Deps, session: Session): boolean {
  const identity = session.identity;
  return !identity || deps.aal.satisfies(session.aal, identity, deps.config.selfservice.flows.settings.required_aal);
}

function aal2LoginUrl(deps: Deps, returnTo: string | undefined): string {
  const login = new URL(`${deps.config.publicBaseUrl}self-service/login/browser`);
  login.searchParams.set("aal", "aal2");
  if (returnTo) login.searchParams.set("return_to", returnTo);
  return login.toString();
}

/**
 * Where a step-up from an existing flow returns: the settings page showing
 * that flow. (Kratos' fetch does the same; its submit names the POST URL,
 * which a browser can only GET back into a "no strategy" error, so the page
 * is the useful target.)
 */
function settingsUiReturn(deps: Deps, flow: Flow): string {
  const settingsUi = deps.config.selfservice.flows.settings.ui_url;
  return settingsUi ? urlWithFlow(settingsUi, flow.id) : flow.requestUrl;
}

function assertSameIdentity(flow: Flow, session: Session | undefined): void {
  if (!session || flow.identityId !== session.identityId) {
    throw new KratosError(403, {
      id: "security_identity_mismatch",
      message: "The requested action was forbidden",
      reason: "The request was initiated by someone else and has been blocked for security reasons. Please go back and try again.",
    });
  }
}

async function loadIdentity(deps: Deps, session: Session): Promise<Identity> {
  const identity = await deps.identityRepository.get(session.identityId, { withCredentials: true });
  if (!identity) throw errors.noActiveSession();
  return identity;
}

async function submitSettings(deps: Deps, ctx: HttpContext): Promise<void> {
  const flow = await loadFlowForSubmit(deps, settingsFlow, ctx);
  const body = await readSubmission(ctx);
  const session = await deps.sessions.fromRequest(ctx);
  if (!session) throw errors.noActiveSession();
  assertSameIdentity(flow, session);
  const identity = await loadIdentity(deps, session);
  const sctx: StrategyContext = { deps, http: ctx, session, identity };
  if (isExpired(flow)) return handleExpired(deps, settingsFlow, ctx, flow, { session, identity });
  checkCsrf(deps, ctx, flow, body);
  if (!enforceAal(deps, ctx, session, flow.type, settingsUiReturn(deps, flow))) return;

  // [mfa] Kratos' totp/lookup_secret/webauthn settings also accept their own buttons without `method`.
  const method = submittedMethod(body, ctx) || methodOfButton(body);
  const strategy = deps.strategies.for("settings").find((s) => s.id === method);
  try {
    if (!strategy) throw FlowValidationError.flow(settingsFlow.noStrategyMessage());
    // Strategies change the identity in place: remember which addresses it had.
    const knownAddresses = new Set(identity.verifiableAddresses.map((a) => a.value));
    const result = await strategy.settings.submit(flow, body, sctx);
    if (result.privileged && !isPrivileged(deps, session)) {
      const settingsUi = deps.config.selfservice.flows.settings.ui_url;
      const login = new URL(`${deps.config.publicBaseUrl}self-service/login/browser`);
      login.searchParams.set("refresh", "true");
      login.searchParams.set("return_to", settingsUi ? urlWithFlow(settingsUi, flow.id) : flow.requestUrl);
      if (flow.type === "browser" && !ctx.isJsonRequest) {
        ctx.redirect(login.toString());
        return;
      }
      throw errors.refreshRequired(login.toString());
    }
    flow.active = method;
    if (result.returnToUi) {
      // [mfa] The strategy only changed what the flow shows (lookup codes revealed/regenerated).
      await renderUi(deps, settingsFlow, flow, sctx);
      await deps.flows.save(flow);
      await respondWithFlow(deps, settingsFlow, ctx, flow);
      return;
    }
    try {
      result.identity.availableAal = deps.aal.availableFor(result.identity);
      result.identity.updatedAt = new Date();
      await deps.identityRepository.update(result.identity);
    } catch (error) {
      if (error instanceof DuplicateIdentifierError) throw FlowValidationError.flow(messages.duplicateCredentials());
      throw error;
    }
    if (result.authenticationMethod) {
      // [mfa] Enrolling a factor proves it: add it to the session (Kratos' SessionAddAuthenticationMethods).
      session.authenticationMethods = [...session.authenticationMethods, result.authenticationMethod];
      session.aal = sessionAal(session.authenticationMethods);
      await deps.sessions.repository.updateAuthentication(session);
    }
    // Kratos' post-persist hooks for this method (e.g. revoke_active_sessions after a new password).
    await runAfterHooks(deps, "settings", method, "post", { ctx, flow, identity: result.identity, session });
    flow.state = "success";
    await renderUi(deps, settingsFlow, flow, { ...sctx, identity: result.identity });
    flow.ui.addMessage(messages.settingsSaved());
    const continueWith = await verifyChangedAddress(deps, ctx, flow, knownAddresses, result.identity);
    if (flow.type === "browser" && ctx.isJsonRequest && flow.returnTo) {
      continueWith.push({ action: "redirect_browser_to", redirect_browser_to: flow.returnTo });
    }
    if (continueWith.length > 0) flow.extra.continue_with = continueWith;
    await deps.flows.save(flow);
    if (flow.type === "browser" && !ctx.isJsonRequest && flow.returnTo) {
      ctx.redirect(flow.returnTo);
      return;
    }
    await respondWithFlow(deps, settingsFlow, ctx, flow);
  } catch (error) {
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, settingsFlow, ctx, flow, body, error, sctx);
      return;
    }
    throw error;
  }
}

/**
 * A new verifiable address (an email changed in the profile) is unverified:
 * as Kratos does, mail it a verification message and point the client at
 * that verification flow.
 */
async function verifyChangedAddress(deps: Deps, ctx: HttpContext, flow: Flow, known: Set<string>, after: Identity): Promise<ContinueWith[]> {
  const added = after.verifiableAddresses.find((a) => !a.verified && !known.has(a.value));
  if (!added) return [];
  const started = await startVerificationForIdentity(deps, ctx, { ...after, verifiableAddresses: [added] }, flow);
  if (!started) return [];
  const uiUrl = deps.config.selfservice.flows.verification.ui_url;
  return [
    {
      action: "show_verification_ui",
      flow: { id: started.flow.id, verifiable_address: started.address, ...(uiUrl ? { url: urlWithFlow(uiUrl, started.flow.id) } : {}) },
    },
  ];
}

/** [mfa] The strategy a settings button belongs to when a form posts it without `method` (as Kratos' strategies detect). */
function methodOfButton(body: Record<string, unknown>): string {
  const set = (key: string) => body[key] !== undefined && body[key] !== "" && body[key] !== false && body[key] !== "false";
  if (set("totp_unlink")) return "totp";
  if (["lookup_secret_confirm", "lookup_secret_reveal", "lookup_secret_regenerate", "lookup_secret_disable"].some(set)) return "lookup_secret";
  if (set("webauthn_register") || set("webauthn_remove")) return "webauthn";
  return "";
}

function isPrivileged(deps: Deps, session: Session): boolean {
  return Date.now() - session.authenticatedAt.getTime() < deps.config.selfservice.flows.settings.privileged_session_max_age;
}
