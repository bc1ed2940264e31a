import type { FlowDeps } from "../flow-deps";
import type { HttpContext } from "../../../http/context";
import { publicIdentityJson, publicSessionJson } from "../../../session/json";
import type { HookArgs } from "../../hook/hook";
import { runAfterHooks } from "../../hook/registry";
import type { RegistrationResult } from "../../strategy/strategy";
import { flowErrors } from "../flow-errors";
import type { ContinueWith, Flow } from "../flow";
import { carryOAuth2LoginChallenge } from "../verification/oauth2-login";
import { startVerificationForIdentity } from "../verification/start";
import { acceptOAuth2Login } from "../oauth2-login";
import type { Session } from "../../../session/session";
import { maybeRedirectApiCodeFlow } from "../token-exchange";
import { now as timeNow } from "../../../clock/clock";

export function registrationReturnUrl(deps: FlowDeps, method: string | undefined, flow?: Flow): string {
  const after = deps.config.selfservice.flows.registration.after as Record<
    string,
    { default_browser_return_url?: string } | string | undefined
  >;
  const perMethod = method ? after[method] : undefined;
  return (
    deps.returnTo.target(flow?.returnTo) ??
    (typeof perMethod === "object" ? perMethod.default_browser_return_url : undefined) ??
    deps.config.selfservice.flows.registration.after.default_browser_return_url ??
    deps.config.selfservice.default_browser_return_url
  );
}

/**
 * registration.HookExecutor.PostRegistrationHook once the identity is
 * stored: a session is always created (identity must be active), the
 * verification flow for the new address is started (Kratos' Verifier, which
 * runs first), the configured hooks run, and the answer is written:
 *
 * - with the `session` hook: native apps get `{session, session_token,
 *   identity, continue_with}` (continue_with ending with
 *   set_ory_session_token), browsers the cookie and — for AJAX —
 *   `{session, identity, continue_with}`;
 * - without it: `{identity, continue_with}` for native apps and AJAX;
 * - browser navigations a 303 to the verification UI when
 *   `show_verification_ui` asked for it, else to return_to.
 *
 * AJAX clients of browser flows find `redirect_browser_to` (return_to) first
 * in continue_with, as Kratos adds it before any hook runs.
 */
export async function completeRegistration(deps: FlowDeps, ctx: HttpContext, flow: Flow, result: RegistrationResult): Promise<void> {
  const method = flow.active ?? result.method.method;
  const returnTo = registrationReturnUrl(deps, method, flow);
  const continueWith: ContinueWith[] =
    flow.type === "browser" && ctx.isJsonRequest ? [{ action: "redirect_browser_to", redirect_browser_to: returnTo }] : [];
  if (result.identity.state !== "active") throw flowErrors.identityDisabled(result.identity.id);
  // PostRegistrationHook receives the strategy's AuthenticationMethod: oidc's carries its provider, AAL and upstream claims.
  const issued = await deps.sessions.issue(ctx, result.identity, [{ ...result.method, method, completed_at: timeNow().toISOString() }]);
  const args: HookArgs = { ctx, flow, identity: result.identity, continueWith, issued };
  // ExecutePostRegistrationPostPersistHook: the verification flow carries the login challenge and the new session on.
  const challenge = flow.kind === "registration" ? flow.oauth2LoginChallenge : undefined;
  args.verificationFlow = await startVerificationForIdentity(deps, ctx, result.identity, flow, (v) =>
    carryOAuth2LoginChallenge(deps.config, v, challenge, issued.session, issued.token),
  );
  await runAfterHooks(deps, "registration", method, "post", args);
  flow.state = "passed_challenge";
  await deps.flows.save(flow);

  // PostRegistrationHook answers the identity it created: traits as the text a JSON body gave (its json.RawMessage).
  const identity = publicIdentityJson(deps, result.identity, true);
  const session = publicSessionJson(deps, issued.session, true);
  if (args.sessionHookRan) {
    if (await maybeRedirectApiCodeFlow(deps, ctx, flow, { id: issued.session.id, token: issued.token }, method)) return;
    if (flow.type === "api") {
      continueWith.push({ action: "set_ory_session_token", ory_session_token: issued.token });
      ctx.json(200, { session_token: issued.token, session, identity, continue_with: continueWith });
      return;
    }
    await deps.sessions.issueCookie(ctx, deps.csrf, issued.token, issued.session);
    if (ctx.isJsonRequest) {
      ctx.json(200, { session, identity, continue_with: await withHydraRedirect(deps, flow, issued.session, continueWith) });
      return;
    }
  }
  if (flow.type === "api" || ctx.isJsonRequest) {
    ctx.json(200, { identity, continue_with: continueWith.length > 0 ? continueWith : null });
    return;
  }
  // Kratos as Hydra's login provider: back to Hydra once registered, unless the verification UI comes first (it accepts then).
  if (challenge && !args.returnToVerification) {
    ctx.redirect(await acceptOAuth2Login(deps, challenge, issued.session));
    return;
  }
  ctx.redirect(args.returnToVerification ?? returnTo);
}

/**
 * hook.SessionIssuer.acceptLoginChallenge: for an AJAX sign-up with a Hydra
 * challenge, Hydra's login request is accepted and its URL replaces every
 * `redirect_browser_to` as the last item — unless a verification UI follows.
 */
async function withHydraRedirect(deps: FlowDeps, flow: Flow, session: Session, continueWith: ContinueWith[]): Promise<ContinueWith[]> {
  const challenge = flow.kind === "registration" ? flow.oauth2LoginChallenge : undefined;
  if (!challenge || continueWith.some((item) => item.action === "show_verification_ui")) return continueWith;
  const redirectTo = await acceptOAuth2Login(deps, challenge, session);
  return [
    ...continueWith.filter((item) => item.action !== "redirect_browser_to"),
    { action: "redirect_browser_to", redirect_browser_to: redirectTo },
  ];
}
