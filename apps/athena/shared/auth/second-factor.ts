import { MFA_GRACE_UNTIL_CLAIM } from "@olympus/ory-client/identity";

/**
 * Whether an IAM sign-in met IAM's second-factor policy, read from the ID
 * token IAM Hydra signed. Hera IAM sets `acr` to the Kratos session's
 * assurance level when it accepts the login (aal2: password plus TOTP or a
 * security key). It accepts less only within an identity's grace period,
 * and then says so in `olympus_mfa_grace_until` (unix seconds; Hera's
 * consent writes it through Hydra's admin API). Athena checks both itself,
 * so a sign-in that slipped past Hera's policy still does not get in.
 */
export type SecondFactorVerdict =
  { ok: true; via: "aal2" } | { ok: true; via: "grace"; graceUntil: number } | { ok: false; reason: string };

export function secondFactorVerdict(claims: Record<string, unknown>, nowSeconds: number): SecondFactorVerdict {
  const acr = claims.acr;
  if (acr === "aal2" || acr === "aal3") return { ok: true, via: "aal2" };
  const graceUntil = claims[MFA_GRACE_UNTIL_CLAIM];
  if (typeof graceUntil === "number" && Number.isInteger(graceUntil) && graceUntil > nowSeconds)
    return { ok: true, via: "grace", graceUntil };
  const level = typeof acr === "string" && acr !== "" ? acr : "none";
  return {
    ok: false,
    reason:
      typeof graceUntil === "number"
        ? `signed in without a second factor (acr ${level}) after the grace period ended`
        : `signed in without a second factor (acr ${level}) and no grace period from Hera IAM`,
  };
}
