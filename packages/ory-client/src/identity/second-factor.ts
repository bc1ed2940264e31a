import { z } from "zod";

/**
 * Second factors, as Kratos' admin API shows them. The identity JSON of
 * `GET /admin/identities/{id}` carries a `credentials` map keyed by type
 * (`password`, `totp`, `webauthn`, `lookup_secret`, …), each
 * `{type, identifiers, version, created_at, updated_at}` — the `config`
 * (secrets, keys) only with `include_credential`, which is never needed here.
 * Kratos removes a type from the map when its last device is unlinked.
 */

/**
 * What counts as having a second factor: an authenticator app (TOTP) or a
 * security key (WebAuthn, a second factor in IAM Kratos' `passwordless: false`
 * configuration). Backup codes (`lookup_secret`) only stand in for a lost
 * device and do not count on their own.
 */
export const SECOND_FACTOR_CREDENTIALS = ["totp", "webauthn"] as const;

const credentialsMap = z.record(z.string(), z.unknown());

/** Whether the identity (admin API JSON) has a TOTP device or a security key. */
export function hasSecondFactor(identity: { credentials?: unknown }): boolean {
  const parsed = credentialsMap.safeParse(identity.credentials ?? {});
  if (!parsed.success) return false;
  return SECOND_FACTOR_CREDENTIALS.some((type) => parsed.data[type] !== undefined && parsed.data[type] !== null);
}

/**
 * When an identity's grace period without a second factor ends (ms since the
 * epoch): its creation plus `graceDays`. An unreadable creation time has no
 * grace at all.
 */
export function secondFactorGraceEndsAt(createdAt: string | undefined, graceDays: number): number {
  const created = createdAt ? Date.parse(createdAt) : Number.NaN;
  if (Number.isNaN(created)) return 0;
  return created + graceDays * 24 * 60 * 60 * 1000;
}

/**
 * The ID token claim (unix seconds) with which Hera IAM vouches that it
 * accepted a sign-in without a second factor because the identity is still
 * within its grace period, and until when. Hera passes it from the login
 * accept (Hydra's login `context`, set only through Hydra's admin API) to
 * the consent, which puts it into the ID token; Athena admits an `acr` below
 * aal2 only while it lies in the future.
 */
export const MFA_GRACE_UNTIL_CLAIM = "olympus_mfa_grace_until";

const graceContext = z.object({ [MFA_GRACE_UNTIL_CLAIM]: z.number().int().positive() });

/** The grace end (unix seconds) Hera's login accept put into Hydra's login `context`, if any. */
export function mfaGraceUntilOf(context: unknown): number | undefined {
  const parsed = graceContext.safeParse(context);
  return parsed.success ? parsed.data[MFA_GRACE_UNTIL_CLAIM] : undefined;
}
