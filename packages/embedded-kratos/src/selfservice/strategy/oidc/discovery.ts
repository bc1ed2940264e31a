import { readGoNode, scanGoJson, unmarshalAs, type GoType } from "@olympus/server-kit/go-json";
import type { PrivateIpPolicy } from "@olympus/server-kit/http";
import { goQuote } from "@olympus/server-kit/go-strconv";
import { parseMediaType } from "../../../http/negotiate";
import { statusLine } from "./go-status";
import { providerGet } from "./provider-fetch";

/**
 * go-oidc's NewProvider as Kratos builds on it (go.mod replaces
 * coreos/go-oidc with ory/go-oidc v3.0.0-20250124100243-69986dfaf891,
 * oidc/oidc.go NewProvider): GET `<issuer without one trailing slash>/
 * .well-known/openid-configuration` on Kratos' http.Client (redirects
 * followed as Go follows them), at most 1 MiB of the answer read (the rest
 * is never asked for, so a body that goes on stalling past it does not
 * hold the discovery up), any status but 200 an error
 * `<status>: <body>`. A 200 answer's body is kept in a process-wide cache
 * keyed by that URL before it is decoded (ory's oidcConfigCache, with no
 * expiry), so later calls decode the kept body without asking the provider
 * again — a body that did not decode, or names another issuer, keeps
 * failing until the process restarts, as in Kratos.
 *
 * The body is decoded as encoding/json decodes it into go-oidc's
 * providerJSON (keys matched case-insensitively, Go's error texts); the
 * first decode wraps its error with the answer's Content-Type
 * (unmarshalResp), a decode of the kept body does not.
 */

/** go-oidc's error for a discovery answer it read (shown after `Unable to initialize OpenID Connect Provider: `). */
export class GoDiscoveryError extends Error {
  override name = "GoDiscoveryError";
}

/** What go-oidc's Provider keeps of the discovery document. */
export interface GoProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  jwksUri: string;
  /** id_token_signing_alg_values_supported, only those go-oidc supports (supportedAlgorithms). */
  algorithms: string[];
  /** Kratos' discoverPKCE (pkce.go): Provider.Claims decodes code_challenge_methods_supported, which must list S256. */
  pkceS256: boolean;
}

const stringField: GoType = { kind: "string", name: "string" };

/** oidc.providerJSON. */
const PROVIDER_JSON: GoType = {
  kind: "struct",
  name: "oidc.providerJSON",
  fields: {
    issuer: stringField,
    authorization_endpoint: stringField,
    token_endpoint: stringField,
    device_authorization_endpoint: stringField,
    jwks_uri: stringField,
    userinfo_endpoint: stringField,
    id_token_signing_alg_values_supported: { kind: "slice", name: "[]string", elem: stringField },
  },
};

const DISCOVERY_BODY_LIMIT = 1 << 20;

/**
 * oidcConfigCache: the 200 answers' bodies by well-known URL (their number
 * is bounded by the configured issuers, each body by the 1 MiB read).
 */
const discoveryBodies = new Map<string, Uint8Array>();

/** `policy`: the config's outbound policy the discovery GET connects under (Kratos' HTTPClient). */
export async function goDiscover(issuer: string, timeoutSeconds: number, policy: PrivateIpPolicy): Promise<GoProviderMetadata> {
  const wellKnown = `${issuer.endsWith("/") ? issuer.slice(0, -1) : issuer}/.well-known/openid-configuration`;
  const cached = discoveryBodies.get(wellKnown);
  let decoded: Record<string, unknown>;
  let body: Uint8Array;
  if (cached) {
    body = cached;
    decoded = decodeOrThrow(body, (error) => error);
  } else {
    const answer = await providerGet(wellKnown, timeoutSeconds, DISCOVERY_BODY_LIMIT, policy);
    const response = answer.response;
    body = answer.body;
    if (response.status !== 200) throw new GoDiscoveryError(`${statusLine(response)}: ${Buffer.from(body).toString("utf8")}`);
    discoveryBodies.set(wellKnown, body);
    decoded = decodeOrThrow(body, (error) => unmarshalRespText(response.headers.get("content-type") ?? "", error));
  }
  const text = (key: string) => {
    const value = decoded[key];
    return typeof value === "string" ? value : "";
  };
  if (text("issuer") !== issuer) {
    throw new GoDiscoveryError(
      `oidc: issuer did not match the issuer returned by provider, expected ${goQuote(issuer)} got ${goQuote(text("issuer"))}`,
    );
  }
  const algorithms = decoded.id_token_signing_alg_values_supported;
  return {
    issuer: text("issuer"),
    authorizationEndpoint: text("authorization_endpoint"),
    tokenEndpoint: text("token_endpoint"),
    userinfoEndpoint: text("userinfo_endpoint"),
    jwksUri: text("jwks_uri"),
    algorithms: Array.isArray(algorithms)
      ? algorithms.filter((a): a is string => typeof a === "string" && SUPPORTED_ALGORITHMS.has(a))
      : [],
    pkceS256: pkceMethods(body).includes("S256"),
  };
}

/** go-oidc's supportedAlgorithms. */
const SUPPORTED_ALGORITHMS = new Set(["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"]);

const PKCE_CLAIMS: GoType = {
  kind: "struct",
  name: "oidc.claims",
  fields: { code_challenge_methods_supported: { kind: "slice", name: "[]string", elem: stringField } },
};

/** discoverPKCE's Claims decode; an error there means no PKCE. */
function pkceMethods(body: Uint8Array): string[] {
  try {
    const value = unmarshalAs(readGoNode(body, scanGoJson(body, "unmarshal")), PKCE_CLAIMS);
    const methods = isRecord(value) ? value.code_challenge_methods_supported : undefined;
    return Array.isArray(methods) ? methods.filter((m): m is string => typeof m === "string") : [];
  } catch {
    return [];
  }
}

/** json.Unmarshal into providerJSON; a failure is go-oidc's `oidc: failed to decode provider discovery object: …`. */
function decodeOrThrow(body: Uint8Array, describe: (error: string) => string): Record<string, unknown> {
  try {
    const value = unmarshalAs(readGoNode(body, scanGoJson(body, "unmarshal")), PROVIDER_JSON);
    return isRecord(value) ? value : {};
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new GoDiscoveryError(`oidc: failed to decode provider discovery object: ${describe(text)}`);
  }
}

/** unmarshalResp: the decode error, said against the answer's Content-Type. */
function unmarshalRespText(contentType: string, error: string): string {
  if (parseMediaType(contentType) === "application/json")
    return `got Content-Type = application/json, but could not unmarshal as JSON: ${error}`;
  return `expected Content-Type = application/json, got ${goQuote(contentType)}: ${error}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
