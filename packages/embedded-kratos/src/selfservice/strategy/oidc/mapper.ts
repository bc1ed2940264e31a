import { ORY_HTTP_CLIENT, privateIpPolicyOf } from "@olympus/server-kit/http";
import { z } from "zod";
import type { KratosConfig } from "../../../config/load";
import { PerInstanceFetchCache, JSONNET_CACHE_TTL_MS } from "../../../fetcher/cache";
import { fetchText, FetcherError } from "../../../fetcher/fetcher";
import { KratosError } from "../../../http/errors";
import { evaluateJsonnet, jsonnetsecureErrorText } from "../../../jsonnet/index";
import type { Claims } from "./claims";
import type { OidcProvider } from "./config";

/** What a claims mapper gives the sign-up (newIdentityFromClaims): traits, metadata and addresses it vouches for. */
export interface MappedIdentity {
  traits: Record<string, unknown>;
  metadataPublic: Record<string, unknown> | undefined;
  metadataAdmin: Record<string, unknown> | undefined;
  /** `identity.verified_addresses`: marked verified on the new identity when the schema has the same address. */
  verifiedAddresses: { via: string; value: string }[];
}

const verifiedAddressesSchema = z.array(z.object({ via: z.string(), value: z.string() }));

/** strategy_registration.go's package-level jsonnetCache: ristretto with MaxCost 100 MB (one per instance here). */
const jsonnetCache = new PerInstanceFetchCache(100 << 20);

/**
 * newIdentityFromClaims: fetcher.NewFetcher(WithClient(s.d.HTTPClient(ctx)),
 * WithCache(jsonnetCache, 60*time.Minute)).FetchContext of the mapper URL;
 * its error is returned as it is (a 500 with the text as `message`).
 */
async function mapperSource(config: Pick<KratosConfig, "source" | "clients">, url: string): Promise<string> {
  try {
    return await fetchText(url, {
      client: { ...ORY_HTTP_CLIENT, ...privateIpPolicyOf(config) },
      configSource: config.source,
      cache: { store: jsonnetCache.of(config), ttlMs: JSONNET_CACHE_TTL_MS },
    });
  } catch (error) {
    if (error instanceof FetcherError) throw new KratosError(500, { message: error.message });
    throw error;
  }
}

export async function runMapper(
  config: Pick<KratosConfig, "source" | "clients">,
  provider: Pick<OidcProvider, "mapperUrl">,
  claims: Claims,
): Promise<MappedIdentity> {
  const source = await mapperSource(config, provider.mapperUrl);
  let evaluated: unknown;
  try {
    evaluated = evaluateJsonnet(source, { extVars: { claims }, filename: provider.mapperUrl });
  } catch (error) {
    // strategy_registration.go createIdentity returns the VM's error as is: herodot makes it a 500 whose message is
    // the jsonnetsecure text.
    throw new KratosError(500, { message: jsonnetsecureErrorText(error) });
  }
  const identity = isObject(evaluated) ? evaluated.identity : undefined;
  const traits = isObject(identity) ? identity.traits : undefined;
  if (!isObject(traits)) {
    throw new KratosError(500, {
      reason: "OpenID Connect Jsonnet mapper did not return an object for key identity.traits. Please check your Jsonnet code!",
    });
  }
  const metadata = (key: "metadata_public" | "metadata_admin") => {
    const value = isObject(identity) ? identity[key] : undefined;
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) {
      throw new KratosError(500, {
        reason: `OpenID Connect Jsonnet mapper did not return an object for key identity.${key}. Please check your Jsonnet code!`,
      });
    }
    return value;
  };
  return {
    traits,
    metadataPublic: metadata("metadata_public"),
    metadataAdmin: metadata("metadata_admin"),
    verifiedAddresses: verifiedAddresses(isObject(identity) ? identity.verified_addresses : undefined),
  };
}

function verifiedAddresses(value: unknown): { via: string; value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new KratosError(400, {
      reason: "OpenID Connect Jsonnet mapper did not return an array for key identity.verified_addresses. Please check your Jsonnet code!",
    });
  }
  const parsed = verifiedAddressesSchema.safeParse(value);
  if (!parsed.success) {
    throw new KratosError(400, {
      reason: "Failed to unmarshal value for key identity.verified_addresses. Please check your Jsonnet code!",
    });
  }
  return parsed.data.map((a) => (a.via === "email" ? { via: a.via, value: a.value.trim().toLowerCase() } : a));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
