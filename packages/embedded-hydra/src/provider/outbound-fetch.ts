import type { Configuration } from "oidc-provider";

type Fetch = NonNullable<Configuration["fetch"]>;

/**
 * oidc-provider's `fetch` (used for back-channel logout tokens). oidc-provider
 * passes an SSRF-guarding dispatcher that refuses loopback and private
 * addresses; Hydra only does so with `clients.http.disallow_private_ip_ranges`
 * (default false), and in development every relying party is on
 * *.localhost, so the guard is dropped unless that key is set.
 */
export function outboundFetch(disallowPrivateIpRanges: boolean): Fetch {
  if (disallowPrivateIpRanges) return (url, init) => globalThis.fetch(url, init);
  return (url, init) => {
    const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return globalThis.fetch(url, rest);
  };
}
