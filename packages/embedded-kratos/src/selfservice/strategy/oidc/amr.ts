import type { AuthenticatorAssuranceLevel } from "../../../identity/identity";
import type { AuthenticationMethod } from "../../../session/session";
import type { Claims } from "./claims";
import type { OidcProvider } from "./config";

/**
 * provider_config.go AALForClaims: aal2 when the upstream `acr` is one of
 * `aal2_acr_values` or any upstream `amr` entry is one of `aal2_amr_values`;
 * aal1 otherwise (an empty `acr` never matches).
 */
export function aalForClaims(provider: OidcProvider, claims: Claims): AuthenticatorAssuranceLevel {
  const acr = upstreamAcr(claims);
  if (acr !== "" && provider.aal2AcrValues.includes(acr)) return "aal2";
  if (upstreamAmr(claims).some((v) => provider.aal2AmrValues.includes(v))) return "aal2";
  return "aal1";
}

/**
 * The session's entry for a social sign-in, as strategy_login.go
 * (CompletedLoginForOIDC), strategy_registration.go and strategy_settings.go
 * (link) record it: method, the AAL the claims earn, the provider id and the
 * upstream `acr`/`amr` (omitted when empty, as their `omitempty` does).
 * Providers of an organization are never offered here, so `organization`
 * stays empty and is omitted too.
 */
export function oidcAuthenticationMethod(provider: OidcProvider, claims: Claims): AuthenticationMethod {
  const acr = upstreamAcr(claims);
  const amr = upstreamAmr(claims);
  return {
    method: "oidc",
    aal: aalForClaims(provider, claims),
    completed_at: new Date().toISOString(),
    provider: provider.id,
    ...(acr !== "" ? { upstream_acr: acr } : {}),
    ...(amr.length > 0 ? { upstream_amr: amr } : {}),
  };
}

const upstreamAcr = (claims: Claims): string => (typeof claims.acr === "string" ? claims.acr : "");
const upstreamAmr = (claims: Claims): string[] =>
  Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [];
