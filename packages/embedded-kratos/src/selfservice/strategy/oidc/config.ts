import { privateIpPolicyOf, type PrivateIpPolicy } from "@olympus/server-kit/http";
import { ConfigError, type KratosConfig } from "../../../config/load";
import type { OidcProviderConfig } from "../../../config/schema";
import { KratosError } from "../../../http/errors";

/** One configured social sign-in provider, as the strategy uses it. */
export interface OidcProvider {
  /** Appears in the callback URL and in credential identifiers (`<id>:<subject>`). */
  id: string;
  /** The button text: `label`, else the id (Kratos' cmp.Or(label, id)). */
  label: string;
  /** The `provider` type (only `generic` is served). */
  type: string;
  /** How the account-linking message names it: `label`, else the provider type (populateAccountLinkingUI). */
  linkingLabel: string;
  clientId: string;
  clientSecret: string | undefined;
  issuerUrl: string;
  /** Requested scopes; `openid` is always added, as Kratos' generic provider does. */
  scopes: string[];
  mapperUrl: string;
  claimsSource: "id_token" | "userinfo";
  pkce: "auto" | "never" | "force";
  /** `requested_claims` as the JSON string sent in the `claims` parameter. */
  requestedClaims: string | undefined;
  additionalAudiences: string[];
  /**
   * `clients.http.disallow_private_ip_ranges` and `private_ip_exception_urls`:
   * where the provider calls may connect (Kratos' RegistryDefault.HTTPClient,
   * which go-oidc and x/oauth2 run on).
   */
  privateIpPolicy: PrivateIpPolicy;
}

// Keyed by the configured list itself: a reload replaces the config's values in place, and with them this list
// (and `clients.http`, whose object is kept with the parsed list so that a change there is seen too).
const cache = new WeakMap<readonly OidcProviderConfig[], { http: object; providers: OidcProvider[] }>();

/**
 * `selfservice.methods.oidc.config.providers`, read from the config the
 * request sees (a reloaded config brings its own list). Providers of an
 * organization (SSO) are left out, as Kratos' AddProviders leaves them out of
 * the public forms. Only the `generic` provider is implemented.
 */
export function oidcProviders(config: KratosConfig): OidcProvider[] {
  const list = config.selfservice.methods.oidc?.config?.providers;
  if (!list) return [];
  const cached = cache.get(list);
  if (cached && cached.http === config.clients.http) return cached.providers;
  const policy = privateIpPolicyOf(config);
  const providers = list.flatMap((p, i) => (p.organization_id ? [] : [toProvider(p, i, policy)]));
  cache.set(list, { http: config.clients.http, providers });
  return providers;
}

function toProvider(p: OidcProviderConfig, index: number, privateIpPolicy: PrivateIpPolicy): OidcProvider {
  const key = `selfservice.methods.oidc.config.providers.${index}`;
  if (p.provider !== "generic") {
    throw new ConfigError(
      `${key}.provider: only the "generic" OpenID Connect provider is supported by embedded-kratos (got "${p.provider}")`,
    );
  }
  if (!p.issuer_url || !URL.canParse(p.issuer_url))
    throw new ConfigError(`${key}.issuer_url: the generic provider needs an absolute issuer URL`);
  const scopes = p.scope.includes("openid") ? p.scope : [...p.scope, "openid"];
  return {
    id: p.id,
    label: p.label || p.id,
    type: p.provider,
    linkingLabel: p.label || p.provider,
    clientId: p.client_id,
    clientSecret: p.client_secret || undefined,
    issuerUrl: p.issuer_url,
    scopes,
    mapperUrl: p.mapper_url,
    claimsSource: p.claims_source ?? "id_token",
    pkce: p.pkce ?? "auto",
    requestedClaims: p.requested_claims === undefined ? undefined : JSON.stringify(p.requested_claims),
    additionalAudiences: p.additional_id_token_audiences ?? [],
    privateIpPolicy,
  };
}

/** The provider with this id, or Kratos' 404 (oidc/provider_config.go ConfigurationCollection.Provider). */
export function oidcProvider(config: KratosConfig, id: string): OidcProvider {
  const found = oidcProviders(config).find((p) => p.id === id);
  if (!found) throw new KratosError(404, { reason: `OpenID Connect Provider "${id}" is unknown or has not been configured` });
  return found;
}

/** Where the provider sends the browser back: `<base_redirect_uri or public URL>self-service/methods/oidc/callback/<id>`. */
export function callbackUrl(config: KratosConfig, providerId: string): string {
  const base = config.selfservice.methods.oidc?.config?.base_redirect_uri ?? config.publicBaseUrl;
  return new URL(`self-service/methods/oidc/callback/${providerId}`, base.endsWith("/") ? base : `${base}/`).toString();
}
