import type { FlowDeps } from "../flow-deps";
import type { HttpContext } from "../../../http/context";
import { errors } from "../../../http/errors";
import { publicSessionJson } from "../../../session/json";
import { sessionAal } from "../../../session/aal";
import type { Session } from "../../../session/session";
import { configuredHooks, runAfterHooks } from "../../hook/registry";
import type { LoginResult } from "../../strategy/strategy";
import { aal2LoginUrl } from "../aal2-login";
import { flowErrors } from "../flow-errors";
import { maybeRedirectApiCodeFlow } from "../token-exchange";
import { duplicateCredentialsOf, maybeLinkCredentials } from "./link-credentials";
import { continueLinkingAtHigherAal } from "./link-at-higher-aal";
import { acceptOAuth2Login } from "../oauth2-login";
import type { Flow } from "../flow";
import { carryOAuth2LoginChallenge } from "../verification/oauth2-login";
import { startVerificationForIdentity } from "../verification/start";
import type { Identity } from "../../../identity/identity";

/** Where a browser goes after logging in with `method`: flow return_to, per-method, flow-wide, then global default. */
export function loginReturnUrl(deps: FlowDeps, method: string | undefined, flow?: Flow): string {
  const after = deps.config.selfservice.flows.login.after as Record<string, { default_browser_return_url?: string } | string | undefined>;
  const perMethod = method ? after[method] : undefined;
  return (
    deps.returnTo.target(flow?.returnTo) ??
    (typeof perMethod === "object" ? perMethod.default_browser_return_url : undefined) ??
    deps.config.selfservice.flows.login.after.default_browser_return_url ??
    deps.config.selfservice.default_browser_return_url
  );
}

/**
 * login.HookExecutor.PostLoginHook: the identity must be active
 * (ActivateSession's 401 "identity is disabled"); a refresh or an AAL
 * upgrade adds the method to the current session of the same identity,
 * anything else gets a new session; the configured hooks run; then the
 * answer, which depends on whether the session now satisfies
 * `session.whoami.required_aal`:
 *
 * - native apps get the session token either way, but the session's
 *   `identity` is null until it does (Kratos withholds it so a phished
 *   password alone reveals nothing);
 * - browsers get the session cookie either way; until it does, AJAX gets
 *   422 browser_location_change_required and form posts a 303, both
 *   pointing at the `aal=aal2` login (with the flow's return_to and
 *   login_challenge).
 */
export async function completeLogin(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: Flow,
  result: LoginResult,
  current: Session | undefined,
): Promise<void> {
  const { identity, method } = result;
  if (identity.state !== "active") throw flowErrors.identityDisabled(identity.id);

  await runAfterHooks(deps, "login", flow.active ?? method.method, "pre", { ctx, flow, identity });
  const upgrading = current !== undefined && current.identityId === identity.id;
  // checkAAL on the session as it will be: the current one plus this method when it is upgraded, else this method alone.
  const completedAal = sessionAal([...(upgrading ? current.authenticationMethods : []), method]);
  const completedSatisfies = deps.aal.satisfies(
    completedAal,
    { ...identity, availableAal: deps.aal.availableFor(identity) },
    deps.config.session.whoami.required_aal,
  );
  // An account-linking login (a sign-up found the address taken) adds the waiting credentials now that the account is proven.
  const linked = await maybeLinkCredentials(deps, flow, identity, completedSatisfies);
  const methods = linked ? [method, linked] : [method];

  const pending = upgrading
    ? { ...deps.sessions.prepareActivation(ctx, current, methods), token: deps.sessions.tokenFrom(ctx) }
    : deps.sessions.prepareIssue(ctx, identity, methods);
  const session: Session = upgrading ? { ...pending.session, identity } : pending.session;
  const { token } = pending;
  // PostLoginHook runs ExecuteLoginPostHook before UpsertSession: a hook that stops the login stores nothing.
  await runAfterHooks(deps, "login", flow.active ?? method.method, "post", { ctx, flow, identity, session });
  await pending.persist();
  await maybeStartVerification(deps, ctx, flow, identity, session, token, flow.active ?? method.method);
  flow.state = "passed_challenge";
  await deps.flows.save(flow);

  // RefreshAvailableAAL: what the identity could reach is computed from its credentials now, not from a cached value.
  const available = deps.aal.availableFor(identity);
  const satisfied = deps.aal.satisfies(session.aal, { ...identity, availableAal: available }, deps.config.session.whoami.required_aal);
  // Answers show the identity's traits and metadata as jsonb's text, as Kratos marshals the json.RawMessage it read.
  const sessionJson = publicSessionJson(deps, session, true);

  // MaybeRedirectAPICodeFlow: a native flow a social sign-in finished in the system browser returns to the app with its code.
  if (await maybeRedirectApiCodeFlow(deps, ctx, flow, { id: session.id, token }, flow.active ?? method.method)) return;
  if (flow.type === "api") {
    ctx.json(200, {
      session: satisfied ? sessionJson : { ...sessionJson, identity: null },
      ...(token ? { session_token: token } : {}),
      continue_with: null,
    });
    return;
  }
  if (token) await deps.sessions.issueCookie(ctx, deps.csrf, token, session, current ?? null);
  const stepUp = satisfied ? undefined : aal2LoginUrl(deps, { passFrom: flow.requestUrl });
  // A linking login short of the required AAL continues in a new aal2 login flow that carries the waiting credential.
  if (stepUp && flow.kind === "login" && duplicateCredentialsOf(flow)) return continueLinkingAtHigherAal(deps, ctx, flow, stepUp, session);
  const returnTo = loginReturnUrl(deps, method.method, flow);
  // Kratos as Hydra's login provider: once the session suffices, Hydra's login request is accepted and the browser goes back to Hydra.
  const challenge = flow.kind === "login" ? flow.oauth2LoginChallenge : undefined;
  const toHydra = !stepUp && challenge ? await acceptOAuth2Login(deps, challenge, session) : undefined;
  if (ctx.isJsonRequest) {
    if (stepUp ?? toHydra) {
      ctx.error(errors.browserLocationChangeRequired(stepUp ?? toHydra ?? ""));
      return;
    }
    ctx.json(200, { session: sessionJson, continue_with: [{ action: "redirect_browser_to", redirect_browser_to: returnTo }] });
    return;
  }
  ctx.redirect(stepUp ?? toHydra ?? returnTo);
}

/**
 * hook.Verifier.ExecuteLoginPostHook (the `verification` login hook, aal1
 * logins only): a verification flow for the account's first unverified
 * address, mailed at once, which carries the flow's login challenge and the
 * session on (as after a sign-up). The login's answer does not mention it
 * (no `continue_with`, as without Kratos' legacy flag).
 */
async function maybeStartVerification(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: Flow,
  identity: Identity,
  session: Session,
  token: string | undefined,
  method: string,
): Promise<void> {
  if (flow.kind !== "login" || (flow.requestedAal ?? "aal1") !== "aal1") return;
  if (!configuredHooks(deps.config, "login", method).includes("verification")) return;
  const challenge = flow.oauth2LoginChallenge;
  await startVerificationForIdentity(deps, ctx, identity, flow, (v) =>
    carryOAuth2LoginChallenge(deps.config, v, challenge, session, token),
  );
}
