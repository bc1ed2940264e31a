import type { Configuration } from "oidc-provider";
import { refusesInternalAddresses, type PrivateIpPolicy } from "../clients/private-ip-policy";

type Fetch = NonNullable<Configuration["fetch"]>;

/**
 * oidc-provider's `fetch` (used for back-channel logout tokens). oidc-provider
 * passes an SSRF-guarding dispatcher that refuses loopback and private
 * addresses; Hydra only does so with `clients.http.disallow_private_ip_ranges`
 * (default false) and then not for `clients.http.private_ip_exception_urls`;
 * in development every relying party is on *.localhost, so the guard is
 * dropped unless that key is set.
 */
export function outboundFetch(policy: PrivateIpPolicy): Fetch {
  return async (url, init) => {
    const target = typeof url === "string" ? url : url instanceof URL ? url.href : url.url;
    if (refusesInternalAddresses(target, policy)) return globalThis.fetch(url, init);
    const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return globalThis.fetch(url, rest);
  };
}
