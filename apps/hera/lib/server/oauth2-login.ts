import "server-only";
import { redirect } from "next/navigation";
import { startupConfig } from "@olympus/runtime-config/config";
import { MFA_GRACE_UNTIL_CLAIM } from "@olympus/ory-client/identity";
import { assuranceLevelOf, authenticationMethodsOf, type Session } from "@olympus/ory-client/kratos";
import { decideLogin, type SessionFacts } from "../login-decision";
import { browserCookie } from "./cookies";
import { startFlowPath } from "./flows";
import { hydra, kratos } from "./ory";
import { issueReauthProof, readReauthProof } from "./reauth-proof";
import { mfaFactsFor } from "./second-factor";

/** What the login page shows when a challenge cannot go back to its client. */
export type LoginChallengeOutcome = { status: "unknown_challenge" };

/** Seconds the Kratos session has left: Hydra remembers the login no longer than that. */
function rememberFor(session: Session): number {
  const expires = session.expires_at ? Date.parse(session.expires_at) : Number.NaN;
  if (Number.isNaN(expires)) return 3600;
  return Math.max(60, Math.floor((expires - Date.now()) / 1000));
}

function sessionFacts(session: Session | undefined): SessionFacts | undefined {
  if (!session?.identity) return undefined;
  const authenticatedAt = session.authenticated_at ? Date.parse(session.authenticated_at) : Number.NaN;
  return {
    identityId: session.identity.id,
    identityActive: session.identity.state === undefined || session.identity.state === "active",
    // An unreadable sign-in time is never fresh.
    authenticatedAt: Number.isNaN(authenticatedAt) ? 0 : authenticatedAt,
    aal: assuranceLevelOf(session),
    methods: authenticationMethodsOf(session),
  };
}

/** Ends the Hydra login session this browser's remembered login belongs to. */
async function forgetRememberedLogin(request: { session_id?: string | undefined; subject: string }): Promise<void> {
  await hydra().revokeLoginSessions(request.session_id ? { sid: request.session_id } : { subject: request.subject });
}

/** Whether Kratos still has the remembered subject as an active identity. */
async function isActiveIdentity(subject: string): Promise<boolean> {
  if (!subject) return false;
  const identity = await kratos().getIdentity(subject);
  return identity?.state === "active";
}

/**
 * `/login?login_challenge=`: Hydra asks who this is. The decision
 * (lib/login-decision.ts) rests on Hydra's request, the browser's Kratos
 * session, the identity's state and Hera's own sealed re-authentication proof
 * — never on a value the browser can edit. Accepting uses the identity id as
 * subject and the session's AAL and methods as acr/amr; signing in runs the
 * Kratos login flow, which returns here afterwards. Where the domain requires
 * a second factor (Athena's `mfa.*` settings, else MFA_REQUIRED), someone without an allowed one enrols it in settings
 * first (which also returns here), and a grace-period acceptance without it
 * is passed to the consent in Hydra's login `context`.
 * Never returns unless the challenge is unknown to this domain's Hydra.
 */
export async function handleLoginChallenge(
  challenge: string,
  params: { reauthProof?: string | undefined },
): Promise<LoginChallengeOutcome> {
  const { publicUrl, secrets } = startupConfig();
  const result = await hydra().getLoginRequest(challenge);
  if (result.status === "handled") redirect(result.redirectTo);
  if (result.status === "not_found") return { status: "unknown_challenge" };
  const request = result.request;

  const sessionResult = await kratos().toSession(await browserCookie());
  const session = sessionResult.status === "active" ? sessionResult.session : undefined;
  const here = `${publicUrl}/login?login_challenge=${encodeURIComponent(challenge)}`;
  const now = Date.now();

  const facts = sessionFacts(session);
  const decision = decideLogin({
    request: { skip: request.skip, subject: request.subject, requestUrl: request.request_url },
    session: facts,
    aal2Required: sessionResult.status === "aal2_required",
    subjectActive: request.skip ? await isActiveIdentity(request.subject) : undefined,
    reauthSince: readReauthProof(secrets.cookieSecret, challenge, params.reauthProof, now)?.since,
    mfa: await mfaFactsFor(facts?.identityActive ? facts.identityId : undefined),
    now,
  });

  if (decision.kind === "login_required") {
    if (decision.forgetRememberedLogin) await forgetRememberedLogin(request);
    redirect(
      await hydra().rejectLogin(challenge, {
        error: "login_required",
        error_description: "The authorization request says prompt=none, and the person must sign in first.",
      }),
    );
  }
  if (decision.kind === "forget_remembered_login") {
    // Hydra would keep answering `skip` for this browser: end its login session, then let
    // the client's authorization request start over (Hydra now asks for a real sign-in).
    await forgetRememberedLogin(request);
    redirect(request.request_url);
  }
  // A second factor or its enrolment is no new sign-in: a proof already issued for this challenge still holds.
  const hereKeepingProof = params.reauthProof ? `${here}&reauth=${encodeURIComponent(params.reauthProof)}` : here;
  if (decision.kind === "step_up")
    redirect(startFlowPath("login", { aal: "aal2", return_to: hereKeepingProof, ...(decision.refresh ? { refresh: "true" } : {}) }));
  if (decision.kind === "enrol_second_factor") {
    // Kratos' settings let an identity without a second factor in at aal1 (required_aal:
    // highest_available) and, once a device is saved, send the browser back here; enrolling
    // adds the factor to the session (aal2), or else the next pass steps up to it.
    redirect(startFlowPath("settings", { return_to: hereKeepingProof }));
  }
  if (decision.kind === "sign_in") {
    // Sign-ins from now on count as fresh for prompt=login / max_age; the proof says so, sealed.
    const proof = issueReauthProof(secrets.cookieSecret, challenge, Math.floor(now / 1000) * 1000 - 1000);
    const returnTo = `${here}&reauth=${encodeURIComponent(proof)}`;
    redirect(startFlowPath("login", { return_to: returnTo, ...(decision.refresh ? { refresh: "true" } : {}) }));
  }
  if (!session?.identity) throw new Error("login accepted without a Kratos session");
  redirect(
    await hydra().acceptLogin(challenge, {
      subject: session.identity.id,
      acr: assuranceLevelOf(session),
      amr: authenticationMethodsOf(session),
      identity_provider_session_id: session.id,
      remember: true,
      remember_for: rememberFor(session),
      // Read back by the consent (oauth2-consent.ts), which vouches for it in the ID token.
      ...(decision.mfaGraceEndsAt !== undefined
        ? { context: { [MFA_GRACE_UNTIL_CLAIM]: Math.floor(decision.mfaGraceEndsAt / 1000) } }
        : {}),
    }),
  );
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
