import type { SessionRepository } from "../sessions/repository";

/** An accepted login as the end of verifyAuthentication needs it. */
export interface ConfirmedLogin {
  /** Hydra's login session id: the login request's `session_id`. */
  sessionId: string;
  subject: string;
  skip: boolean;
  remember: boolean;
  rememberFor: number;
  /** Seconds since the epoch. */
  authenticatedAt: number;
}

/**
 * The end of Hydra's verifyAuthentication (consent/strategy_default.go) for
 * the browser whose oidc-provider session is `browserUid`: a login that was
 * not skipped is confirmed under the login request's own id
 * (ConfirmLoginSession); remembered, the browser's session cookie names it
 * from now on; not remembered, revokeAuthenticationSession ends the login
 * session the cookie named. A skipped login leaves everything as it is.
 */
export async function confirmLoginSession(sessions: SessionRepository, browserUid: string, login: ConfirmedLogin): Promise<void> {
  if (login.skip) return;
  await sessions.rememberLogin(login.sessionId, login.subject, login.remember, login.rememberFor, login.authenticatedAt);
  if (login.remember) await sessions.setBrowserLogin(browserUid, login.sessionId);
  else await sessions.deleteLogins({ browserUid });
}
