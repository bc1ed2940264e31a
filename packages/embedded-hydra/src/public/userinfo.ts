import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { readAccessTokenFromRequest } from "../fosite-access-token";
import { fositeDescription } from "../fosite-errors";
import { rawQueryOf } from "../http";
import { findToken, obfuscatedSubject } from "../admin/introspect";
import { ID_TOKEN_KEY_SET } from "../keys/repository";
import { CLAIMS_FOSITE_OWNS } from "../provider/id-token-claims";
import { TokenLookup } from "../storage/token-lookup";
import { expiredAccessTokenDescription, TOKEN_EXPIRED } from "../tokens/expired-access-token";
import { unknownUnderOpaqueStrategy } from "../tokens/jwt-access-tokens";
import { signJws } from "../tokens/jws";
import { assertionSubject } from "../trust/assertion-subject";
import type { Mapping } from "./mapping";

const lookups = new WeakMap<Deps, TokenLookup>();

function lookupOf(deps: Deps): TokenLookup {
  let lookup = lookups.get(deps);
  if (!lookup) {
    lookup = new TokenLookup(deps.db);
    lookups.set(deps, lookup);
  }
  return lookup;
}

/** herodot's WriteErrorCode Content-Type (json.go), with getOidcUserInfo's WWW-Authenticate. */
function refusal(body: { error: string; error_description: string }, error: string, description: string): Mapping {
  return {
    kind: "json",
    status: 401,
    body,
    headers: { "content-type": "application/json", "www-authenticate": `Bearer error="${error}",error_description="${description}"` },
  };
}

/**
 * fosite's IntrospectToken failing for a token its CoreValidator cannot find
 * as an access or a refresh token: introspectAccessToken's
 * ErrRequestUnauthorized with its default hint.
 */
function unauthorized(): Mapping {
  const description = fositeDescription("request_unauthorized");
  return refusal({ error: "request_unauthorized", error_description: description }, "request_unauthorized", description);
}

/** fosite's ErrTokenExpired with ValidateAccessToken's hint (tokens/expired-access-token.ts). */
function expired(description: string): Mapping {
  return refusal({ error: TOKEN_EXPIRED.error, error_description: description }, TOKEN_EXPIRED.error, description);
}

/**
 * A refresh token: getOidcUserInfo writes a bare errors.New with status 401,
 * which Hydra's ErrorEnhancer turns into fosite's unrecognizable error.
 */
function notAnAccessToken(): Mapping {
  return refusal(
    { error: "error", error_description: "The error is unrecognizable" },
    "invalid_token",
    "Only access tokens are allowed in the authorization header.",
  );
}

/** Bytes compared as Go compares strings (UTF-8), which sorts a map's keys when encoding/json writes it. */
function byGoStringOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** A value as encoding/json writes a map[string]interface{} decoded from JSON: every object's keys sorted. */
function inGoMapOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inGoMapOrder);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(byGoStringOrder)) sorted[key] = inGoMapOrder(Reflect.get(value, key));
  return sorted;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * GET/POST /userinfo, oauth2/handler.go getOidcUserInfo: the access token
 * (fosite AccessTokenFromRequest: a Bearer header, else the form's
 * `access_token`) introspected as fosite's CoreValidator does; the answer is
 * the token session's ID token claims (IDTokenClaims.ToMap, as
 * updateSessionWithRequest built them when the consent verifier was
 * redeemed) without nonce, at_hash, c_hash, exp, sid and jti, `aud` naming
 * the client — herodot's JSON of a Go map, or for a client with
 * `userinfo_signed_response_alg: RS256` that map with a new `jti` and `iat`
 * signed by the ID token key.
 */
export async function answerUserinfo(deps: Deps, req: IncomingMessage): Promise<Mapping> {
  const { token: value } = await readAccessTokenFromRequest(req, rawQueryOf(req));
  // A JWT of a client now on the opaque strategy: Hydra's 500 answered as a token it cannot find (jwt-access-tokens.ts).
  const found = value === "" ? undefined : await findToken(deps, lookupOf(deps), value).catch(unknownUnderOpaqueStrategy);
  const consent = found?.token.grantId ? await deps.sessions.consentByGrant(found.token.grantId) : undefined;
  // A token of a deleted client or a revoked consent is gone in Hydra (its rows are deleted with them).
  if (!found) {
    const description = value === "" ? undefined : await expiredAccessTokenDescription(deps, value);
    return description === undefined ? unauthorized() : expired(description);
  }
  if (!found.stored.clientExists || (found.token.grantId && !consent)) return unauthorized();
  const { token } = found;
  if (token.use !== "access_token") return notAnAccessToken();

  const claims: Record<string, unknown> = {};
  for (const [claim, claimValue] of Object.entries(consent?.session.id_token ?? {})) {
    if (!CLAIMS_FOSITE_OWNS.has(claim)) claims[claim] = claimValue;
  }
  // A code-flow token's subject is the ID token's (pairwise where the client asks for it); a client_credentials token
  // has none in its ID token claims, a JWT-bearer token the assertion's (oauth2TokenExchange, rfc7523 handler).
  const subject = consent
    ? ((await obfuscatedSubject(deps, token)) ?? token.subject)
    : (assertionSubject(found.stored.payload.extra) ?? "");
  if (subject !== "") claims.sub = subject;
  claims.iss = deps.issuer;
  claims.aud = [token.clientId];
  // IssuedAt: the second the consent verifier was redeemed (the consent session is written then); other grants: the token's.
  claims.iat = consent ? seconds(consent.handledAt) : token.iat;
  if (consent?.loginRequestedAt) claims.rat = seconds(consent.loginRequestedAt);
  if (consent?.loginAuthenticatedAt) claims.auth_time = seconds(consent.loginAuthenticatedAt);
  const acr = consent?.consentRequest.acr;
  if (typeof acr === "string" && acr !== "") claims.acr = acr;
  const amr = consent?.consentRequest.amr;
  if (Array.isArray(amr) && amr.length > 0) claims.amr = amr;

  const client = await deps.clients.get(token.clientId);
  if (client?.data.userinfo_signed_response_alg !== "RS256") return { kind: "json", status: 200, body: inGoMapOrder(claims) };
  const signer = (await deps.keys.list(ID_TOKEN_KEY_SET))[0];
  if (!signer) throw new HydraError(500, "server_error", "No ID token signing key is available");
  const signed = signJws(
    { alg: signer.alg, kid: signer.kid, typ: "JWT" },
    inGoMapOrder({ ...claims, jti: randomUUID(), iat: Math.floor(Date.now() / 1000) }) as Record<string, unknown>,
    signer,
  );
  return { kind: "text", status: 200, contentType: "application/jwt", body: signed };
}
