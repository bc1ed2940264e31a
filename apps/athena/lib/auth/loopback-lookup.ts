import dns from "node:dns";
import type { LookupFunction } from "node:net";

/**
 * Resolves `localhost` and every `*.localhost` name to 127.0.0.1, as browsers
 * do (RFC 6761). Node asks the system resolver, which usually does not know
 * `iam.localhost`; the embedded stack's IAM Hydra advertises its endpoints on
 * that name, so Athena's server-side OIDC calls (discovery, token, JWKS)
 * need this. Every other name goes to the system resolver.
 */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  const name = hostname.toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) {
    if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
    return;
  }
  dns.lookup(hostname, options, callback);
};
