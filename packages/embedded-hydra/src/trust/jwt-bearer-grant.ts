import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { AUDIENCE_METADATA } from "../clients/model";
import { audienceWhitelisted, requestedAudiences } from "../clients/audience";
import type { HydraConfig } from "../config/load";
import { FositeProviderError } from "../fosite-errors";
import { GRANTED_AUDIENCE_EXTRA } from "../tokens/jwt-access-tokens";
import { parseJws, verifyJwsWith, type ParsedJws } from "./assertion-jws";
import { ASSERTION_SUBJECT_EXTRA } from "./assertion-subject";
import type { TrustRepository } from "./repository";
import type { TrustedIssuer } from "./grant";

/** RFC 7523's grant type (fosite/handler/rfc7523/handler.go grantTypeJWTBearer). */
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** The registered claims go-jose decodes (jwt.Claims); undefined when one has the wrong JSON type. */
interface AssertionClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti: string;
}

function optionalString(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : null;
}

function numericDate(value: unknown): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** jwt.Claims as go-jose unmarshals it: `aud` a string or an array of strings, dates numbers. */
function decodeClaims(payload: Record<string, unknown> | undefined): AssertionClaims | undefined {
  if (!payload) return undefined;
  const iss = optionalString(payload.iss);
  const sub = optionalString(payload.sub);
  const jti = optionalString(payload.jti);
  const exp = numericDate(payload.exp);
  const nbf = numericDate(payload.nbf);
  const iat = numericDate(payload.iat);
  const rawAud = payload.aud;
  const aud =
    rawAud === undefined || rawAud === null
      ? []
      : typeof rawAud === "string"
        ? [rawAud]
        : Array.isArray(rawAud) && rawAud.every((item) => typeof item === "string")
          ? rawAud
          : null;
  if (iss === null || sub === null || jti === null || exp === null || nbf === null || iat === null || aud === null) return undefined;
  return {
    iss: iss ?? "",
    sub: sub ?? "",
    aud,
    jti: jti ?? "",
    ...(exp !== undefined ? { exp } : {}),
    ...(nbf !== undefined ? { nbf } : {}),
    ...(iat !== undefined ? { iat } : {}),
  };
}

/** Go's time.Format(time.RFC3339) of a NumericDate (UTC here). */
function rfc3339(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const invalidGrant = (hint: string) => new FositeProviderError("invalid_grant", hint);

/** The JWT-bearer settings of Hydra's configuration (oauth2.grant.jwt.*). */
export type JwtBearerConfig = HydraConfig["oauth2"]["grant"]["jwt"];

export interface JwtBearerOptions {
  trust: TrustRepository;
  config: JwtBearerConfig;
  /** The token endpoint URLs an assertion's `aud` must name (fositex GetTokenURLs). */
  tokenUrls: string[];
}

/** The extra claims of the token a JWT-bearer request is about to save, by request. */
const tokenExtras = new WeakMap<object, Record<string, unknown>>();

/** What oidc-provider's extraTokenClaims must give the token this request mints, if it is a JWT-bearer request. */
export function jwtBearerTokenExtra(ctx: KoaContextWithOIDC | undefined): Record<string, unknown> | undefined {
  return ctx ? tokenExtras.get(ctx) : undefined;
}

/** findPublicKeyForToken: by the header's kid, else the first unexpired trusted key that verifies. */
async function findTrustedKey(
  trust: TrustRepository,
  jws: ParsedJws,
  claims: AssertionClaims,
): Promise<{ grant: TrustedIssuer; jwk: Record<string, unknown> }> {
  const notFound = invalidGrant(
    `No public JWK was registered for issuer "${claims.iss}" and subject "${claims.sub}", and public key is required to check signature of JWT in "assertion" request parameter.`,
  );
  const kid = typeof jws.header.kid === "string" ? jws.header.kid : "";
  if (kid !== "") {
    const found = await trust.findByKeyId(claims.iss, claims.sub, kid);
    // GetPublicKey fails as well when the grant's key was deleted from its set.
    if (!found?.jwk) throw notFound;
    return { grant: found, jwk: found.jwk };
  }
  for (const candidate of await trust.findUnexpired(claims.iss, claims.sub)) {
    if (candidate.jwk && verifyJwsWith(jws, candidate.jwk)) return { grant: candidate, jwk: candidate.jwk };
  }
  throw notFound;
}

/** validateTokenClaims, in fosite's order and words. */
async function validateClaims(options: JwtBearerOptions, claims: AssertionClaims): Promise<void> {
  const { config, tokenUrls, trust } = options;
  const now = Date.now() / 1000;
  if (claims.aud.length === 0) throw invalidGrant('The JWT in "assertion" request parameter MUST contain an "aud" (audience) claim.');
  if (!tokenUrls.some((url) => claims.aud.includes(url))) {
    throw invalidGrant(
      `The JWT in "assertion" request parameter MUST contain an "aud" (audience) claim containing a value "${tokenUrls.join('" or "')}" that identifies the authorization server as an intended audience.`,
    );
  }
  if (claims.exp === undefined)
    throw invalidGrant('The JWT in "assertion" request parameter MUST contain an "exp" (expiration time) claim.');
  if (claims.exp < now) throw invalidGrant('The JWT in "assertion" request parameter expired.');
  if (claims.nbf !== undefined && !(claims.nbf < now)) {
    throw invalidGrant(
      `The JWT in "assertion" request parameter contains an "nbf" (not before) claim, that identifies the time '${rfc3339(claims.nbf)}' before which the token MUST NOT be accepted.`,
    );
  }
  if (!config.iat_optional && claims.iat === undefined)
    throw invalidGrant('The JWT in "assertion" request parameter MUST contain an "iat" (issued at) claim.');
  const issued = claims.iat ?? now;
  if (claims.exp - issued > config.max_ttl) {
    throw invalidGrant(
      `The JWT in "assertion" request parameter contains an "exp" (expiration time) claim with value "${rfc3339(claims.exp)}" that is unreasonably far in the future, considering token issued at "${rfc3339(issued)}".`,
    );
  }
  if (!config.jti_optional && claims.jti === "")
    throw invalidGrant('The JWT in "assertion" request parameter MUST contain an "jti" (JWT ID) claim.');
  if (claims.jti !== "" && (await trust.isJtiUsed(claims.jti))) throw new FositeProviderError("jti_known", null);
}

/**
 * The token endpoint's JWT-bearer grant (fosite rfc7523 Handler
 * HandleTokenEndpointRequest and Hydra's oauth2TokenExchange): oidc-provider
 * has authenticated the client and checked it may use the grant; the
 * assertion must be signed by a trusted key of its issuer for its subject,
 * and every requested scope must be one the trust relationship allows. The
 * token is an oidc-provider ClientCredentials token whose `sub` is the
 * assertion's subject (trust/assertion-subject.ts).
 */
export function installJwtBearerGrant(provider: Provider, options: JwtBearerOptions): void {
  const handler = async (ctx: KoaContextWithOIDC): Promise<void> => {
    const { client } = ctx.oidc;
    if (!client) throw new FositeProviderError("invalid_client", null);
    const assertion = ctx.oidc.params?.assertion;
    if (typeof assertion !== "string" || assertion === "") {
      throw new FositeProviderError(
        "invalid_request",
        `The assertion request parameter must be set when using grant_type of '${JWT_BEARER_GRANT}'.`,
      );
    }
    const jws = parseJws(assertion);
    if (!jws) throw invalidGrant('Unable to parse JSON Web Token passed in "assertion" request parameter.');
    // validateTokenPreRequisites
    const claims = decodeClaims(jws.claims);
    if (!claims) throw invalidGrant('Looks like there are no claims in JWT in "assertion" request parameter.');
    if (claims.iss === "") throw invalidGrant('The JWT in "assertion" request parameter MUST contain an "iss" (issuer) claim.');
    if (claims.sub === "") throw invalidGrant('The JWT in "assertion" request parameter MUST contain a "sub" (subject) claim.');

    const { grant: trusted, jwk } = await findTrustedKey(options.trust, jws, claims);
    if (!verifyJwsWith(jws, jwk)) throw invalidGrant("Unable to verify the integrity of the 'assertion' value.");
    await validateClaims(options, claims);

    const scopeParam = ctx.oidc.params?.scope;
    const requestedScopes = (typeof scopeParam === "string" ? scopeParam : "").split(" ").filter(Boolean);
    // Hydra's "exact" scope strategy against the scopes of the trust relationship.
    for (const scope of requestedScopes) {
      if (!trusted.scope.includes(scope)) {
        throw new FositeProviderError(
          "invalid_scope",
          `The public key registered for issuer "${claims.iss}" and subject "${claims.sub}" is not allowed to request scope "${scope}".`,
        );
      }
    }
    if (claims.jti !== "" && claims.exp !== undefined) {
      // A concurrent request with the same jti got there first.
      if (!(await options.trust.markJtiUsed(claims.jti, new Date(claims.exp * 1000)))) throw new FositeProviderError("jti_known", null);
    }

    // rfc7523 grants the assertion's audience; oauth2TokenExchange adds each requested audience the client whitelisted.
    const whitelist = client.metadata()[AUDIENCE_METADATA];
    const clientAudience = Array.isArray(whitelist) ? whitelist.filter((item): item is string => typeof item === "string") : [];
    const audience = [...claims.aud];
    for (const requested of requestedAudiences(ctx.oidc.body?.audience)) {
      if (audienceWhitelisted(clientAudience, requested) && !audience.includes(requested)) audience.push(requested);
    }

    tokenExtras.set(ctx, { [GRANTED_AUDIENCE_EXTRA]: audience, [ASSERTION_SUBJECT_EXTRA]: claims.sub });
    const token = new provider.ClientCredentials({ client, ...(requestedScopes.length ? { scope: requestedScopes.join(" ") } : {}) });
    ctx.oidc.entity("ClientCredentials", token);
    const value = await token.save();
    // fosite's access response: token_type "bearer", the granted scopes (joined, possibly empty).
    ctx.body = { access_token: value, expires_in: token.expiration, scope: requestedScopes.join(" "), token_type: "bearer" };
  };
  provider.registerGrantType(JWT_BEARER_GRANT, handler, ["assertion", "scope", "audience"], ["audience"]);
}
