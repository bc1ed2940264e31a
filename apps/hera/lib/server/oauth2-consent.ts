import "server-only";
import { startupConfig } from "@olympus/runtime-config/config";
import { idTokenClaims, type OAuth2ConsentRequest, type OAuth2ConsentSession } from "@olympus/ory-client/hydra";
import { MFA_GRACE_UNTIL_CLAIM, mfaGraceUntilOf } from "@olympus/ory-client/identity";
import { rememberedGrantCovers } from "../remembered-consent";
import { hydra, kratos } from "./ory";

/**
 * Accepts a consent request for the given scopes, with ID token claims per
 * granted scope taken from the identity as Kratos' admin API returns it:
 * traits for email and name, `metadata_admin` (admin-only) for the IAM role.
 * When Hera's login accepted the sign-in without the second factor the
 * domain requires, within the identity's grace period, it said so in Hydra's
 * login `context` (written only through Hydra's admin API); the ID token then
 * carries `olympus_mfa_grace_until`, so Athena can tell that from a sign-in
 * that skipped the policy. Returns where the browser goes next (back through
 * Hydra to the client).
 */
export async function grantConsent(request: OAuth2ConsentRequest, grantScope: readonly string[], remember: boolean): Promise<string> {
  const { domain } = startupConfig();
  const subject = request.subject ?? "";
  const identity = subject ? await kratos().getIdentity(subject) : undefined;
  if (!identity) {
    return hydra().rejectConsent(request.challenge, {
      error: "access_denied",
      error_description: "The account no longer exists.",
      status_code: 403,
    });
  }
  return hydra().acceptConsent(request.challenge, {
    grant_scope: [...grantScope],
    grant_access_token_audience: request.requested_access_token_audience ?? [],
    remember,
    remember_for: 0,
    session: { id_token: { ...idTokenClaims(domain, identity, grantScope), ...mfaGraceClaim(request) }, access_token: {} },
  });
}

/** `olympus_mfa_grace_until` (unix seconds) when the login was accepted within a second-factor grace period. */
function mfaGraceClaim(request: OAuth2ConsentRequest): Record<string, number> {
  const until = mfaGraceUntilOf(request.context);
  return until === undefined ? {} : { [MFA_GRACE_UNTIL_CLAIM]: until };
}

/**
 * Olympus' own applications: Hydra's `skip_consent`, or the seeds' marker
 * `metadata.first_party: true` (the Athena clients carry it).
 */
export function isFirstParty(client: OAuth2ConsentRequest["client"]): boolean {
  if (!client) return false;
  if (client.skip_consent === true) return true;
  const metadata: unknown = client.metadata;
  return typeof metadata === "object" && metadata !== null && "first_party" in metadata && metadata.first_party === true;
}

/**
 * Consent needs no question when the client is first-party, or when Hydra
 * remembers an earlier answer that holds everything asked for now (Hydra's
 * `skip` alone can be set for a device request asking for more: see
 * remembered-consent.ts).
 */
export async function consentIsImplicit(request: OAuth2ConsentRequest): Promise<boolean> {
  if (isFirstParty(request.client)) return true;
  if (request.skip !== true || !request.subject) return false;
  const sessions = await hydra().listConsentSessions(request.subject);
  const now = Date.now();
  return rememberedGrantCovers(
    sessions
      .filter((session) => session.remember === true && !rememberedGrantExpired(session, now))
      .map((session) => ({
        clientId: session.consent_request?.client?.client_id,
        grantScope: session.grant_scope ?? [],
        grantAudience: session.grant_access_token_audience ?? [],
      })),
    {
      clientId: request.client?.client_id,
      requestedScope: request.requested_scope ?? [],
      requestedAudience: request.requested_access_token_audience ?? [],
    },
  );
}

/** Hydra's remember_for: seconds after handled_at, 0 for ever (FindGrantedAndRememberedConsentRequest). */
function rememberedGrantExpired(session: OAuth2ConsentSession, now: number): boolean {
  const seconds = session.remember_for ?? 0;
  const handledAt = session.handled_at ? Date.parse(session.handled_at) : NaN;
  return seconds > 0 && Number.isFinite(handledAt) && handledAt + seconds * 1000 <= now;
}

/** The person said no: the client receives `access_denied`. */
export function denyConsent(challenge: string): Promise<string> {
  return hydra().rejectConsent(challenge, {
    error: "access_denied",
    error_description: "The user denied the request.",
    status_code: 403,
  });
}
