import type { HttpContext } from "../../http/context";
import { errors } from "../../http/errors";
import { acceptLoginRequest, getLoginRequest, loginChallengeOf, oauth2ProviderConfig, type OAuth2LoginRequest } from "../../hydra/hydra";
import type { Session } from "../../session/session";
import type { FlowDeps } from "./flow-deps";
import type { Flow, FlowType } from "./flow";

/**
 * What login and registration do with Hydra's `login_challenge` (Kratos as
 * Hydra's login provider, with `oauth2_provider.url` set).
 */

/** A browser flow's challenge and the login request Hydra answered for it. */
export interface OAuth2Challenge {
  challenge: string;
  request: OAuth2LoginRequest | undefined;
}

/**
 * The challenge of a flow being created (login.NewFlow / registration.NewFlow
 * run hydra.GetLoginChallengeID for every type); browser flows also fetch the
 * login request (createBrowserLoginFlow / createBrowserRegistrationFlow), so an
 * unknown, used or expired challenge is refused before any flow exists.
 */
export async function challengeForNewFlow(deps: FlowDeps, ctx: HttpContext, type: FlowType): Promise<OAuth2Challenge | undefined> {
  const challenge = loginChallengeOf(deps.config, ctx.query);
  if (challenge === undefined) return undefined;
  return { challenge, request: type === "browser" ? await getLoginRequest(deps.config, challenge) : undefined };
}

/** `return_to` replaced by Hydra's request URL when `oauth2_provider.override_return_to` is on (and Hydra gave one). */
export function overriddenReturnTo(deps: FlowDeps, oauth2: OAuth2Challenge | undefined): string | undefined {
  const requestUrl = oauth2?.request?.request_url;
  if (typeof requestUrl !== "string" || requestUrl === "" || !oauth2ProviderConfig(deps.config).override_return_to) return undefined;
  deps.returnTo.check(requestUrl);
  return requestUrl;
}

/** Hydra asks for a fresh login unless it may skip it (createBrowserLoginFlow forces `refresh=true` then). */
export function hydraRequiresLogin(oauth2: OAuth2Challenge | undefined): boolean {
  return oauth2?.request !== undefined && oauth2.request.skip !== true;
}

/**
 * `oauth2_login_request` of a flow's JSON: present only in the answers that
 * looked it up (Kratos' HydraLoginRequest is never stored) — creating a
 * browser login flow (createBrowserLoginFlow), fetching a login or
 * registration flow of either type (getLoginFlow, getRegistrationFlow), and
 * re-rendering one with an error (the ErrorHandlers' WriteFlowError).
 */
export function oauth2LoginRequestJson(flow: Flow): { oauth2_login_request?: OAuth2LoginRequest } {
  const request = flow.kind === "login" || flow.kind === "registration" ? flow.oauth2LoginRequest : undefined;
  return request ? { oauth2_login_request: request } : {};
}

/** Looks Hydra's login request up for the answer about to be written (a failure is thrown: the caller forwards it). */
export async function hydrateOAuth2LoginRequest(deps: Pick<FlowDeps, "config">, flow: Flow): Promise<void> {
  if (flow.kind !== "login" && flow.kind !== "registration") return;
  if (flow.oauth2LoginChallenge) flow.oauth2LoginRequest = await getLoginRequest(deps.config, flow.oauth2LoginChallenge);
}

/** hydra.AcceptLoginRequest for a session: Hydra's URL to send the browser back to. */
export function acceptOAuth2Login(deps: Pick<FlowDeps, "config">, challenge: string, session: Session): Promise<string> {
  return acceptOAuth2LoginFor(deps, challenge, {
    identityId: session.identityId,
    sessionId: session.id,
    authenticationMethods: session.authenticationMethods,
  });
}

/** hydra.AcceptLoginRequest for what a flow recorded of a session (the verification flow a sign-up started). */
export function acceptOAuth2LoginFor(
  deps: Pick<FlowDeps, "config">,
  challenge: string,
  who: { identityId: string; sessionId: string; authenticationMethods: readonly { method: string }[] },
): Promise<string> {
  return acceptLoginRequest(deps.config, {
    loginChallenge: challenge,
    ...who,
    remember: deps.config.session.cookie.persistent === true,
    sessionLifespanMs: deps.config.session.lifespan,
  });
}

/**
 * A signed-in browser starting a flow for a challenge Hydra lets it skip: the
 * login request is accepted with the current session and the browser goes back
 * to Hydra (x.SendFlowCompletedAsRedirectOrJSON: JSON clients get the
 * "already logged in" error instead). Hydra asking for a fresh login here is a 403.
 */
export async function skipToHydra(
  deps: FlowDeps,
  ctx: HttpContext,
  oauth2: OAuth2Challenge,
  session: Session,
  alreadyLoggedIn: () => Error,
): Promise<void> {
  if (oauth2.request?.skip !== true)
    throw errors.forbidden("ErrAlreadyLoggedIn indicated we can skip login, but Hydra asked us to refresh");
  const redirectTo = await acceptOAuth2Login(deps, oauth2.challenge, session);
  if (ctx.acceptsJson) throw alreadyLoggedIn();
  ctx.redirect(redirectTo);
}
