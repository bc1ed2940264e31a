import { ServerResponse, type IncomingMessage } from "node:http";
import type { Deps } from "../deps";
import type { RememberedLogin } from "../provider/authentication-decision";
import { providerCookieOptions, PROVIDER_SESSION_TTL_SECONDS } from "../provider/create-provider";

/**
 * The device verification runs outside oidc-provider, but the browser's
 * login session is oidc-provider's (its session cookie, the Session model)
 * plus Hydra's login session its cookie names (sessions/repository.ts). These read and
 * write it the way the browser authorization flow does, so a device login
 * and a browser login share one remembered login, as in Hydra where both
 * use the same authentication session cookie.
 */

/** A cookie jar on this request; what it sets lands on `res` (a detached response when only reading). */
function cookieJar(deps: Deps, req: IncomingMessage, res: ServerResponse = new ServerResponse(req)) {
  return deps.provider().createContext(req, res).cookies;
}

/** consent/strategy_default.go authenticationSession: the browser's remembered, unexpired login, if any. */
export async function rememberedBrowserLogin(
  deps: Deps,
  req: IncomingMessage,
): Promise<{ sessionId: string; login: RememberedLogin } | undefined> {
  const id = cookieJar(deps, req).get(deps.config.serve.cookies.names.session, { signed: providerCookieOptions(deps.config).signed });
  const session = id ? await deps.provider().Session.find(id) : undefined;
  if (!session?.accountId) return undefined;
  const login = await deps.sessions.browserLogin(session.uid);
  return login?.subject === session.accountId ? { sessionId: login.id, login } : undefined;
}

export interface DeviceLogin {
  sessionId: string;
  subject: string;
  /** Seconds since the epoch. */
  authenticatedAt: number;
  acr: string;
  amr: string[];
}

/**
 * The end of verifyAuthentication for a login the UI accepted with
 * `remember: true`: the login session under the login request's
 * `session_id` becomes this browser's session (Hydra sets its session cookie
 * to that id): a new oidc-provider session whose cookie names it. Returns
 * the Set-Cookie values.
 */
export async function rememberInBrowser(deps: Deps, req: IncomingMessage, login: DeviceLogin): Promise<string[]> {
  const session = new (deps.provider().Session)();
  session.uid = login.sessionId;
  session.loginAccount({ accountId: login.subject, loginTs: login.authenticatedAt, acr: login.acr, amr: login.amr });
  await session.save(PROVIDER_SESSION_TTL_SECONDS);
  await deps.sessions.setBrowserLogin(session.uid, login.sessionId);
  const res = new ServerResponse(req);
  const options = providerCookieOptions(deps.config);
  cookieJar(deps, req, res).set(deps.config.serve.cookies.names.session, session.jti, {
    ...options,
    expires: new Date((Math.floor(Date.now() / 1000) + PROVIDER_SESSION_TTL_SECONDS) * 1000),
  });
  const header = res.getHeader("set-cookie");
  return Array.isArray(header) ? header : typeof header === "string" ? [header] : [];
}
