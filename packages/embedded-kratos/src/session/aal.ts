import type { AuthenticatorAssuranceLevel, Identity } from "../identity/identity";
import type { AuthenticationMethod } from "./session";

const ORDER: AuthenticatorAssuranceLevel[] = ["aal0", "aal1", "aal2", "aal3"];

export function aalRank(aal: AuthenticatorAssuranceLevel | null | undefined): number {
  return aal ? ORDER.indexOf(aal) : 0;
}

/**
 * The session's AAL from its completed methods (session.go
 * SetAuthenticatorAssuranceLevel): any first factor = aal1, plus a second
 * factor = aal2. An oidc or saml sign-in recorded as aal2 (the upstream
 * provider did the second factor) is both at once.
 */
export function sessionAal(methods: AuthenticationMethod[]): AuthenticatorAssuranceLevel {
  const hasFirst = methods.some((m) => m.aal === "aal1" || (m.aal === "aal2" && (m.method === "oidc" || m.method === "saml")));
  const hasSecond = methods.some((m) => m.aal === "aal2");
  if (hasFirst && hasSecond) return "aal2";
  if (hasFirst || hasSecond) return "aal1";
  return "aal0";
}

/** A credential type and the AAL an identity's credentials of that type provide, if any. */
export interface CredentialAal {
  id: string;
  credentialAal(identity: Identity): AuthenticatorAssuranceLevel | undefined;
}

export class AalPolicy {
  constructor(private readonly credentialTypes: readonly CredentialAal[]) {}

  /**
   * The highest AAL the identity's credentials allow (identity.go
   * SetAvailableAAL): aal2 with any second factor — a first factor is not
   * required for it — else aal1 with a first factor, else aal0.
   */
  availableFor(identity: Identity): AuthenticatorAssuranceLevel {
    const levels = this.credentialTypes.map((type) => type.credentialAal(identity));
    if (levels.includes("aal2")) return "aal2";
    return levels.includes("aal1") ? "aal1" : "aal0";
  }

  /** How many credential types other than `except` give the identity a first factor (aal1). */
  otherFirstFactorTypes(identity: Identity, except: string): number {
    return this.credentialTypes.filter((t) => t.id !== except && t.credentialAal(identity) === "aal1").length;
  }

  /** How many credential types other than `except` give the identity a second factor (aal2), as FastLogin2FA asks the other strategies. */
  otherSecondFactorTypes(identity: Identity, except: string): number {
    return this.credentialTypes.filter((t) => t.id !== except && t.credentialAal(identity) === "aal2").length;
  }

  /** True when a session's AAL satisfies `required` for the identity (highest_available uses the cached available_aal). */
  satisfies(sessionAal: AuthenticatorAssuranceLevel, identity: Identity, required: "aal1" | "highest_available"): boolean {
    if (required === "aal1") return aalRank(sessionAal) >= aalRank("aal1");
    const available = identity.availableAal ?? "aal1";
    return aalRank(sessionAal) >= Math.max(aalRank("aal1"), aalRank(available));
  }
}
