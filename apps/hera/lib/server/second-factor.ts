import "server-only";
import type { MfaFacts } from "../login-decision";
import { mfaFactsOf, POLICY_CREDENTIAL_CONFIGS } from "../second-factor-policy";
import { effectiveMfaPolicy } from "./kratos-edge/instance";
import { kratos } from "./ory";

/**
 * The domain's MFA policy (Athena's settings over MFA_REQUIRED and
 * MFA_GRACE_DAYS) for one identity: its second factors and creation time
 * come from Kratos' admin API (a session's own identity JSON carries no
 * credentials). Nothing is looked up when the policy is off.
 */
export async function mfaFactsFor(identityId: string | undefined): Promise<MfaFacts> {
  const policy = await effectiveMfaPolicy();
  if (!policy.required || !identityId) return { required: false };
  return mfaFactsOf(policy, await kratos().getIdentity(identityId, POLICY_CREDENTIAL_CONFIGS));
}
