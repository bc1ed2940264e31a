import "server-only";
import { redirect } from "next/navigation";
import { startupConfig } from "@olympus/sdk/config";
import { assuranceLevelOf, authenticationMethodsOf, type Session } from "@olympus/sdk/kratos";
import { browserCookie } from "./cookies";
import { startFlowPath } from "./flows";
import { hydra, kratos } from "./ory";

/** What the login page shows when a challenge cannot go back to its client. */
export type LoginChallengeOutcome = { status: "unknown_challenge" };

/** `prompt=login` (or max_age=0) in the authorization request: the person must sign in again. */
function requiresFreshLogin(requestUrl: string | undefined): boolean {
  if (!requestUrl) return false;
  try {
    const params = new URL(requestUrl).searchParams;
    return (params.get("prompt") ?? "").split(" ").includes("login") || params.get("max_age") === "0";
  } catch {
    return false;
  }
}

/** Seconds the Kratos session has left: Hydra remembers the login no longer than that. */
function rememberFor(session: Session): number {
  const expires = session.expires_at ? Date.parse(session.expires_at) : Number.NaN;
  if (Number.isNaN(expires)) return 3600;
  return Math.max(60, Math.floor((expires - Date.now()) / 1000));
}

/**
 * `/login?login_challenge=`: Hydra asks who this is. With a Kratos session
 * (or when Hydra already knows the subject) the login is accepted at once
 * with the identity id as subject and the session's AAL and methods as
 * acr/amr; otherwise the Kratos login flow runs and returns here afterwards.
 * Never returns unless the challenge is unknown to this domain's Hydra.
 */
export async function handleLoginChallenge(challenge: string, params: { reauthAfter?: string | undefined }): Promise<LoginChallengeOutcome> {
  const { publicUrl } = startupConfig();
  const result = await hydra().getLoginRequest(challenge);
  if (result.status === "handled") redirect(result.redirectTo);
  if (result.status === "not_found") return { status: "unknown_challenge" };
  const request = result.request;

  const sessionResult = await kratos().toSession(await browserCookie());
  const session = sessionResult.status === "active" ? sessionResult.session : undefined;
  const here = `${publicUrl}/login?login_challenge=${encodeURIComponent(challenge)}`;

  if (request.skip) {
    const matching = session?.identity?.id === request.subject ? session : undefined;
    redirect(
      await hydra().acceptLogin(challenge, {
        subject: request.subject,
        acr: matching ? assuranceLevelOf(matching) : undefined,
        amr: matching ? authenticationMethodsOf(matching) : undefined,
        identity_provider_session_id: matching?.id,
      }),
    );
  }

  if (sessionResult.status === "aal2_required") {
    redirect(startFlowPath("login", { aal: "aal2", return_to: here }));
  }

  const fresh = requiresFreshLogin(request.request_url);
  const reauthAfter = params.reauthAfter ? Number(params.reauthAfter) : Number.NaN;
  const authenticatedAt = session?.authenticated_at ? Date.parse(session.authenticated_at) : Number.NaN;
  const freshEnough = !fresh || (!Number.isNaN(reauthAfter) && authenticatedAt >= reauthAfter);

  if (session?.identity && freshEnough) {
    redirect(
      await hydra().acceptLogin(challenge, {
        subject: session.identity.id,
        acr: assuranceLevelOf(session),
        amr: authenticationMethodsOf(session),
        identity_provider_session_id: session.id,
        remember: true,
        remember_for: rememberFor(session),
      }),
    );
  }

  if (fresh && session) {
    // Re-authenticate, then come back with proof of when the request was made.
    const returnTo = `${here}&reauth_after=${Date.now() - 1000}`;
    redirect(startFlowPath("login", { refresh: "true", return_to: returnTo }));
  }
  redirect(startFlowPath("login", { return_to: here }));
}

/**
 * `/registration?login_challenge=`: Hydra sent a `prompt=registration`
 * request here (`urls.registration`). Someone already signed in, or whom
 * Hydra remembers, is handled exactly as on `/login`. Anyone else signs up;
 * the sign-up and the verification it starts both continue at
 * `/login?login_challenge=`, which then accepts the new session — so the
 * address is verified before the client gets its ID token. IAM has no
 * self-registration, so there the challenge is a plain sign-in.
 * Never returns unless the challenge is unknown to this domain's Hydra.
 */
export async function handleRegistrationChallenge(challenge: string): Promise<LoginChallengeOutcome> {
  const { publicUrl, domain } = startupConfig();
  const result = await hydra().getLoginRequest(challenge);
  if (result.status === "handled") redirect(result.redirectTo);
  if (result.status === "not_found") return { status: "unknown_challenge" };
  const login = `${publicUrl}/login?login_challenge=${encodeURIComponent(challenge)}`;
  if (domain === "iam" || result.request.skip) redirect(login);
  const session = await kratos().toSession(await browserCookie());
  if (session.status !== "none") redirect(login);
  redirect(startFlowPath("registration", { return_to: login, after_verification_return_to: login }));
}

/** The client gave up or the person declined to sign in: tell the client with an OAuth2 error. */
export async function rejectLoginChallenge(challenge: string): Promise<string> {
  return hydra().rejectLogin(challenge, { error: "access_denied", error_description: "The user did not sign in." });
}
