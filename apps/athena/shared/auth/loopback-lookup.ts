import dns, { type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";

type LookupCallback = Parameters<LookupFunction>[2];

/**
 * `localhost` and `*.localhost` as browsers resolve them (RFC 6761:
 * loopback), unless the system resolver knows better. The embedded stack's
 * IAM Hydra advertises its endpoints as http://iam.localhost:4102, and
 * Node's resolver usually does not know that name, so Athena's server-side
 * OIDC calls (discovery, token, JWKS) need this.
 *
 * The system resolver is asked first: under docker-compose.dev.yml, Docker's
 * DNS answers `iam.localhost` with IAM Hydra's container (a network alias),
 * and 127.0.0.1 there would be Athena's own container. Only when the resolver
 * does not know the name, or answers with loopback alone (systemd-resolved
 * does for every *.localhost), is it 127.0.0.1, where the embedded stack
 * listens (IPv4 only, so never ::1). Every other name goes to the system
 * resolver unchanged.
 */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  const name = hostname.toLowerCase();
  if (name !== "localhost" && !name.endsWith(".localhost")) {
    dns.lookup(hostname, options, callback);
    return;
  }
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    const found = !error && Array.isArray(addresses) ? addresses.filter((a) => !isLoopback(a)) : [];
    const answer: LookupAddress[] = found.length > 0 ? found : [{ address: "127.0.0.1", family: 4 }];
    answerWith(answer, options.all === true, callback);
  });
};

function answerWith(addresses: LookupAddress[], all: boolean, callback: LookupCallback): void {
  if (all) callback(null, addresses);
  else callback(null, addresses[0]?.address ?? "127.0.0.1", addresses[0]?.family ?? 4);
}

function isLoopback({ address }: LookupAddress): boolean {
  return address === "::1" || address.startsWith("127.");
}
