import type { AuthenticationMethod } from "../../../session/session";
import type { OidcProvider } from "./config";
import { now as timeNow } from "../../../clock/clock";

/**
 * The session's entry for a social sign-in, as Kratos v26.2 records it
 * (strategy_login.go → session.go CompletedLoginForWithProvider, and
 * strategy_settings.go for a link): method `oidc` at aal1 with the provider
 * id. v26.2 has no way to count a provider's own second factor: its provider
 * configuration has no `aal2_acr_values`/`aal2_amr_values` and its
 * AuthenticationMethod no `upstream_acr`/`upstream_amr` (both arrived after
 * v26.2). Providers of an organization are never offered here, so
 * `organization` stays empty and is omitted (`omitempty`).
 */
export function oidcAuthenticationMethod(provider: OidcProvider): AuthenticationMethod {
  return { method: "oidc", aal: "aal1", completed_at: timeNow().toISOString(), provider: provider.id };
}
