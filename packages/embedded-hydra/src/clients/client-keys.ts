import type { StoredClientData } from "./model";
import type { FositeErrorName } from "../fosite-errors";
import { fetchText } from "./outbound-http";
import type { PrivateIpPolicy } from "./private-ip-policy";

/** A failure to find a client's signing key, as fosite names it (the caller wraps it in its own context). */
export class ClientKeyError extends Error {
  constructor(
    readonly errorName: FositeErrorName,
    readonly hint: string | null,
  ) {
    super(errorName);
  }
}

const refuse = (name: FositeErrorName, hint: string | null) => new ClientKeyError(name, hint);

export type KeyFamily = "RSA" | "ECDSA";

export function familyOf(alg: string): KeyFamily | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return "RSA";
  if (/^ES(256|384|512)$/.test(alg)) return "ECDSA";
  return undefined;
}

/** fosite findPublicKey: by kid when the header has one, then the first `use: sig` key of the family. */
function findPublicKey(keys: Record<string, unknown>[], kid: string | undefined, family: KeyFamily): Record<string, unknown> {
  if (keys.length === 0) throw refuse("invalid_request", "The retrieved JSON Web Key Set does not contain any key.");
  const candidates = kid === undefined ? keys : keys.filter((key) => key.kid === kid);
  if (candidates.length === 0)
    throw refuse("invalid_request", `The JSON Web Token uses signing key with kid '${kid ?? ""}', which could not be found.`);
  const kty = family === "RSA" ? "RSA" : "EC";
  const found = candidates.find((key) => key.use === "sig" && key.kty === kty);
  if (found) return found;
  throw refuse("invalid_request", `Unable to find ${family} public key with use='sig' for kid '${kid ?? ""}' in JSON Web Key Set.`);
}

function keysOf(set: unknown): Record<string, unknown>[] {
  const keys: unknown = typeof set === "object" && set !== null ? Reflect.get(set, "keys") : undefined;
  return Array.isArray(keys) ? keys.filter((key): key is Record<string, unknown> => typeof key === "object" && key !== null) : [];
}

/** fosite's DefaultJWKSFetcherStrategy keeps a fetched key set for an hour. */
const JWKS_TTL_MS = 3600_000;

/**
 * fosite decodes a `jwks_uri` answer without any limit; here it is read up
 * to the 10 MiB fosite allows a `request_uri` (a security hardening: a
 * client's key server cannot make the server buffer an endless answer). A
 * longer answer is cut, so it fails as undecodable JSON.
 */
export const JWKS_BODY_LIMIT = 10 * 1024 * 1024;

/**
 * DefaultJWKSFetcherStrategy.Resolve: a `jwks_uri` key set, from the cache
 * unless `ignoreCache`; fetched with Hydra's HTTP client (any 2xx/3xx
 * status; at most JWKS_BODY_LIMIT read). One cache per server, as fosite's
 * per configuration.
 */
export class JwksFetcher {
  private readonly cache = new Map<string, { keys: unknown; expires: number }>();

  constructor(private readonly policy: PrivateIpPolicy) {}

  async resolve(location: string, ignoreCache: boolean): Promise<unknown> {
    const cached = this.cache.get(location);
    if (cached && !ignoreCache && cached.expires > Date.now()) return cached.keys;
    let fetched: { status: number; body: string };
    try {
      fetched = await fetchText(location, { ...this.policy, limit: JWKS_BODY_LIMIT });
    } catch {
      throw refuse("server_error", `Unable to fetch JSON Web Keys from location '${location}'. Check for typos or other network issues.`);
    }
    if (fetched.status < 200 || fetched.status >= 400) {
      throw refuse(
        "server_error",
        `Expected successful status code in range of 200 - 399 from location '${location}' but received code ${fetched.status}.`,
      );
    }
    let set: unknown;
    try {
      set = JSON.parse(fetched.body);
    } catch {
      throw refuse(
        "server_error",
        `Unable to decode JSON Web Keys from location '${location}'. Please check for typos and if the URL returns valid JSON.`,
      );
    }
    this.cache.set(location, { keys: set, expires: Date.now() + JWKS_TTL_MS });
    return set;
  }
}

/**
 * findClientPublicJWK: the client's own key set, else its `jwks_uri` — the
 * cached set first, fetched anew once when no key fits (fosite refreshes
 * its cache so).
 */
export async function clientKey(
  client: StoredClientData,
  kid: string | undefined,
  family: KeyFamily,
  fetcher: JwksFetcher,
): Promise<Record<string, unknown>> {
  if (client.jwks) return findPublicKey(keysOf(client.jwks), kid, family);
  const cached = await fetcher.resolve(client.jwks_uri, false);
  try {
    return findPublicKey(keysOf(cached), kid, family);
  } catch (error) {
    if (!(error instanceof ClientKeyError)) throw error;
    return findPublicKey(keysOf(await fetcher.resolve(client.jwks_uri, true)), kid, family);
  }
}

const fetchers = new WeakMap<object, JwksFetcher>();

/** The key-set fetcher of one server (keyed by its dependencies object). */
export function jwksFetcherOf(owner: object, policy: PrivateIpPolicy): JwksFetcher {
  let fetcher = fetchers.get(owner);
  if (!fetcher) {
    fetcher = new JwksFetcher(policy);
    fetchers.set(owner, fetcher);
  }
  return fetcher;
}
