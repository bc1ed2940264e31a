import "server-only";
import { startupConfig } from "@olympus/runtime-config/config";
import { hasSecondFactor, secondFactorGraceEndsAt } from "@olympus/ory-client/identity";
import type { MfaFacts } from "../login-decision";
import { kratos } from "./ory";

/**
 * The domain's MFA policy (MFA_REQUIRED, MFA_GRACE_DAYS) for one identity:
 * its second factors and creation time come from Kratos' admin API (a
 * session's own identity JSON carries no credentials). Nothing is looked up
 * when the policy is off.
 */
export async function mfaFactsFor(identityId: string | undefined): Promise<MfaFacts> {
  const policy = startupConfig().mfa;
  if (!policy.required || !identityId) return { required: false };
  const identity = await kratos().getIdentity(identityId);
  return {
    required: true,
    enrolled: identity ? hasSecondFactor(identity) : false,
    graceEndsAt: secondFactorGraceEndsAt(identity?.created_at, policy.graceDays),
  };
}
