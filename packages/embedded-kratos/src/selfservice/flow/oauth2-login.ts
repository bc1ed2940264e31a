import type { HttpContext } from "../../http/context";
import { errors } from "../../http/errors";
import { acceptLoginRequest, getLoginRequest, loginChallengeOf, oauth2ProviderConfig, type OAuth2LoginRequest } from "../../hydra/hydra";
import type { Session } from "../../session/session";
import type { FlowDeps } from "./flow-deps";
import type { FlowType } from "./flow";

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
 * `oauth2_login_request` of a browser flow's JSON: fetched from Hydra each time
 * the flow is rendered (Kratos never stores it); a failure is the answer instead.
 * Native flows go without it (Kratos adds it to them only when fetched or re-rendered).
 */
export async function oauth2LoginRequestJson(
  deps: Pick<FlowDeps, "config">,
  flow: { type: FlowType; oauth2LoginChallenge: string | undefined },
): Promise<{ oauth2_login_request?: OAuth2LoginRequest }> {
  if (!flow.oauth2LoginChallenge || flow.type !== "browser") return {};
  return { oauth2_login_request: await getLoginRequest(deps.config, flow.oauth2LoginChallenge) };
}

/** hydra.AcceptLoginRequest for a session: Hydra's URL to send the browser back to. */
export function acceptOAuth2Login(deps: FlowDeps, challenge: string, session: Session): Promise<string> {
  return acceptLoginRequest(deps.config, {
    loginChallenge: challenge,
    identityId: session.identityId,
    sessionId: session.id,
    authenticationMethods: session.authenticationMethods,
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
