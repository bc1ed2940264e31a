import type { ResilientOptions } from "@olympus/server-kit/http";
import { fetchText, FetcherError } from "../../fetcher/fetcher";
import { KratosError } from "../../http/errors";

/**
 * ory/x jwksx.FetcherNext (jwksx/fetcher_v2.go), the registry's JWKSFetcher:
 * ResolveKey reads the set through the fetcher (http(s) with the caller's
 * client, file://, base64://), keeps the parsed set per location for the
 * caller's TTL (WithCacheEnabled + WithCacheTTL; the set is cached even
 * when empty), and without a forced kid answers the set's first key —
 * undefined where jwksx answers ErrUnableToFindKeyID.
 */
export class JwksFetcher {
  private readonly sets = new Map<string, { keys: Jwk[]; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async resolveKey(
    location: string,
    options: { client: ResilientOptions; configSource: string; cacheTtlMs: number },
  ): Promise<Jwk | undefined> {
    const cached = this.sets.get(location);
    if (cached && cached.until > this.now()) return cached.keys[0];
    let text: string;
    try {
      text = await fetchText(location, { client: options.client, configSource: options.configSource });
    } catch (error) {
      // The fetcher's error is returned as it is: a plain Go error, which Kratos' error writer answers with 500.
      if (error instanceof FetcherError) throw new KratosError(500, { message: error.message });
      throw error;
    }
    const keys = parseJwks(text);
    this.sets.set(location, { keys, until: this.now() + options.cacheTtlMs });
    return keys[0];
  }
}

/** One JWK as lestrrat-go/jwx parses it (the members each key type needs). */
export interface Jwk {
  kty: string;
  alg?: string;
  kid?: string;
  crv?: string;
  [member: string]: unknown;
}

const REQUIRED_MEMBERS: Record<string, string[]> = { RSA: ["n", "e"], EC: ["crv", "x", "y"], oct: ["k"], OKP: ["crv", "x"] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isJwk(value: unknown): value is Jwk {
  if (!isObject(value) || typeof value.kty !== "string") return false;
  const required = REQUIRED_MEMBERS[value.kty];
  return required !== undefined && required.every((m) => typeof value[m] === "string");
}

/** jwk.ParseReader: a set (`{"keys":[…]}`) or a single key; anything else is herodot's 400 "failed to parse JWK set". */
export function parseJwks(text: string): Jwk[] {
  const invalid = () => new KratosError(400, { reason: "failed to parse JWK set" });
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid();
  }
  const keys: unknown[] =
    isObject(document) && Array.isArray(document.keys) ? document.keys : isObject(document) && "kty" in document ? [document] : [];
  if (!isObject(document) || (!Array.isArray(document.keys) && !("kty" in document))) throw invalid();
  if (!keys.every(isJwk)) throw invalid();
  return keys;
}
