// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient declaration (not a module): packages that compile this source (Athena's tests) must see it too
/// <reference path="./oidc-provider-internals.d.ts" />
import type Provider from "oidc-provider";
import instance from "oidc-provider/lib/helpers/weak_cache.js";

/**
 * oidc-provider's set of "OpenID scopes", the only scopes it lets into
 * grants and access tokens without a resource server. Hydra draws no such
 * line: every scope a client registered is requested, granted and put into
 * its tokens alike. oidc-provider copies the configured set at construction,
 * so the scopes clients register are added to its own copy as clients are
 * loaded (clients/repository.ts). Each client's own scopes are enforced
 * by the embedded server (provider/create-provider.ts).
 */
export function providerScopeSet(provider: Provider): Set<string> {
  const scopes = instance(provider)?.configuration?.scopes;
  if (!(scopes instanceof Set)) throw new Error("this oidc-provider keeps its scopes elsewhere: provider/scope-registry.ts needs updating");
  return scopes as Set<string>;
}
