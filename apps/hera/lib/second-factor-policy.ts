import { SECOND_FACTOR_METHODS, type EffectiveMfaPolicy } from "@olympus/athena-store/settings";
import { secondFactorGraceEndsAt } from "@olympus/ory-client/identity";
import type { MfaFacts } from "./login-decision";

/** The parts of an identity (Kratos admin API JSON) the policy reads. */
export interface PolicyIdentity {
  created_at?: string | undefined;
  /** Kratos' credentials map, keyed by method (`password`, `totp`, `webauthn`, `lookup_secret`, …). */
  credentials?: unknown;
}

/**
 * The credential types whose config the policy reads (`include_credential`):
 * Kratos gives every identity whose schema names a webauthn identifier a
 * `webauthn` credential, keys or not (identity/extension_credentials.go), so
 * only its keys tell whether one is a second factor.
 */
export const POLICY_CREDENTIAL_CONFIGS = ["webauthn"] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * Whether the identity holds a second factor of one of the allowed methods:
 * a TOTP device or backup codes (their credentials exist only once set up),
 * or a security key that is not passwordless — Kratos' webauthn strategy
 * counts only those as multi-factor (strategy.go CountActiveMultiFactorCredentials).
 */
export function hasAllowedSecondFactor(identity: PolicyIdentity | undefined, allowed: readonly string[]): boolean {
  const credentials = identity?.credentials;
  if (!isRecord(credentials)) return false;
  return allowed.some((method) => {
    const credential = credentials[method];
    if (!isRecord(credential)) return false;
    if (method !== "webauthn") return true;
    const keys = isRecord(credential.config) && Array.isArray(credential.config.credentials) ? credential.config.credentials : [];
    return keys.some((key) => isRecord(key) && key.is_passwordless !== true);
  });
}

/**
 * The policy applied to one identity. An identity Kratos no longer knows has
 * no second factor and no grace: whatever asks is refused rather than let in.
 */
export function mfaFactsOf(policy: EffectiveMfaPolicy, identity: PolicyIdentity | undefined): MfaFacts {
  if (!policy.required) return { required: false };
  return {
    required: true,
    enrolled: hasAllowedSecondFactor(identity, policy.allowedMethods),
    graceEndsAt: secondFactorGraceEndsAt(identity?.created_at, policy.graceDays),
    allowedMethods: policy.allowedMethods,
  };
}

/**
 * The second-factor methods Hera does not offer for enrolment: those the
 * policy does not offer (all are offered while `mfa.allowed_methods` is unset). (Kratos still shows an existing device of such a
 * method so it can be removed; only the enrolment nodes go.)
 */
export function methodsNotOffered(policy: EffectiveMfaPolicy): string[] {
  const offered = policy.offeredMethods ?? policy.allowedMethods;
  return SECOND_FACTOR_METHODS.filter((method) => !offered.includes(method));
}

/** What a person may still do with a device of a method no longer allowed: remove it. */
const REMOVAL_NODES = new Set(["totp_unlink", "webauthn_remove", "lookup_secret_disable"]);

interface NodeLike {
  group: string;
  attributes: object;
}

/**
 * A settings flow without the enrolment nodes of the given methods (Kratos
 * names a node's group after its method). Applied to the settings page and
 * to every settings flow the edge relays, so Ory Elements never re-renders
 * an enrolment Hera does not offer.
 */
export function withoutEnrolmentOf<F extends { ui: { nodes: NodeLike[] } }>(flow: F, methods: readonly string[]): F {
  if (methods.length === 0) return flow;
  const nodes = flow.ui.nodes.filter((node) => {
    if (!methods.includes(node.group)) return true;
    const name = "name" in node.attributes ? node.attributes.name : undefined;
    return typeof name === "string" && REMOVAL_NODES.has(name);
  });
  return nodes.length === flow.ui.nodes.length ? flow : { ...flow, ui: { ...flow.ui, nodes } };
}
