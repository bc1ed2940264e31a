import { createHash, randomUUID } from "node:crypto";
import type Provider from "oidc-provider";
import type { AdapterPayload } from "oidc-provider";
import { ACCESS_TOKEN_STRATEGY_METADATA } from "../clients/model";
import { HydraError } from "../errors";
import type { Deps } from "../deps";
import type { PrivateJwk } from "../keys/repository";
import { assertionSubject } from "../trust/assertion-subject";
import { expiresAtOf, FOSITE_VALID_UNTIL, jwtValidUntil, unixSeconds } from "./fosite-expiry";
import { looksLikeJws, signJws, verifiesWithKey } from "./jws";

/**
 * Hydra's JWT access tokens (`strategies.access_token: jwt`, or a client's
 * `access_token_strategy: jwt`): fosite's DefaultJWTStrategy with Hydra's
 * session claims (oauth2/session.go GetJWTClaims) — `jti`, `iss`, `sub`,
 * `aud` (the granted audience, `[]` without one), `iat`, `nbf`, `exp`,
 * `client_id`, `scp` (or `scope`, after `strategies.jwt.scope_claim`), and
 * `ext` with the consent's `session.access_token` — signed with the newest
 * key of `hydra.jwt.access-token`, header `typ: JWT`.
 *
 * oidc-provider keeps minting and storing the token as it does an opaque
 * one; the value handed out is the JWT, and the stored row's id is the
 * SHA-256 of that JWT, as Hydra keys a JWT's session by its signature: only
 * the whole token finds the row (userinfo, revocation, introspection).
 */

/** Marks a stored token that was handed out as a JWT. */
export const JWT_FORMAT_EXTRA = "olympus_jwt";
/** Key under which a token keeps the audience it was granted (client_credentials). */
export const GRANTED_AUDIENCE_EXTRA = "olympus_granted_audience";

type Strategy = "opaque" | "jwt";
type TokenModel = { prototype: object; find: (value: string, options?: unknown) => Promise<unknown> };

interface MintedToken {
  jti?: string;
  client?: { clientId: string; metadata(): Record<string, unknown> };
}

export interface JwtAccessTokenKeys {
  /** hydra.jwt.access-token, newest first: the first signs. */
  keys: PrivateJwk[];
}

/** The stored id a presented access token names: a JWT's SHA-256, any other value itself. */
export function accessTokenId(value: string): string {
  return looksLikeJws(value) ? createHash("sha256").update(value).digest("base64url") : value;
}

function strategyOf(deps: Deps, token: MintedToken): Strategy {
  const own = token.client?.metadata()[ACCESS_TOKEN_STRATEGY_METADATA];
  if (own === "jwt" || own === "opaque") return own;
  return deps.config.strategies.access_token;
}

async function claimsFor(deps: Deps, payload: AdapterPayload): Promise<Record<string, unknown>> {
  const clientId = String(payload.clientId ?? "");
  const scopes = String(payload.scope ?? "")
    .split(" ")
    .filter(Boolean);
  const extra = (payload.extra ?? {}) as Record<string, unknown>;
  const grantId = typeof payload.grantId === "string" ? payload.grantId : undefined;
  const consent = grantId ? await deps.sessions.consentByGrant(grantId) : undefined;
  const granted = extra[GRANTED_AUDIENCE_EXTRA];
  const audience = consent?.grantAudience ?? (Array.isArray(granted) ? granted : []);
  const session = consent?.session.access_token ?? {};
  const { oauth2, strategies } = deps.config;
  const topLevel: Record<string, unknown> = { client_id: clientId };
  const reserved = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scp", "ext"]);
  for (const claim of oauth2.allowed_top_level_claims) if (!reserved.has(claim) && claim in session) topLevel[claim] = session[claim];
  if (oauth2.mirror_top_level_claims) topLevel.ext = session;
  const iat = typeof payload.iat === "number" ? payload.iat : Math.floor(Date.now() / 1000);
  // fosite's JWT `exp`: the session's expiry instant in Unix seconds.
  const expiresAt = expiresAtOf(payload);
  const exp = expiresAt !== undefined ? unixSeconds(expiresAt) : typeof payload.exp === "number" ? payload.exp : undefined;
  const scopeClaims: Record<string, unknown> = {};
  if (strategies.jwt.scope_claim !== "string") scopeClaims.scp = scopes;
  if (strategies.jwt.scope_claim !== "list") scopeClaims.scope = scopes.join(" ");
  return {
    ...topLevel,
    sub: payload.accountId ?? assertionSubject(extra) ?? clientId,
    iss: deps.issuer,
    jti: randomUUID(),
    aud: audience,
    iat,
    ...(oauth2.exclude_not_before_claim ? {} : { nbf: iat }),
    ...(exp !== undefined ? { exp } : {}),
    ...scopeClaims,
  };
}

/** Replaces `getValueAndPayload` of a token model: a JWT for clients on the jwt strategy, stored under its hash. */
function mintAsJwt(deps: Deps, model: TokenModel, keys: JwtAccessTokenKeys): void {
  const original = Reflect.get(model.prototype, "getValueAndPayload") as (
    this: MintedToken,
  ) => Promise<{ value: string; payload: AdapterPayload }>;
  Reflect.set(model.prototype, "getValueAndPayload", async function jwtOrOpaque(this: MintedToken) {
    const result = await original.call(this);
    const signer = keys.keys[0];
    if (strategyOf(deps, this) !== "jwt" || !signer) return result;
    const value = signJws({ alg: signer.alg, kid: signer.kid, typ: "JWT" }, await claimsFor(deps, result.payload), signer);
    // oidc-provider saves the row under this.jti, read after this call.
    const id = accessTokenId(value);
    this.jti = id;
    const expiresAt = expiresAtOf(result.payload);
    const payload = {
      ...result.payload,
      jti: id,
      extra: { ...((result.payload.extra ?? {}) as Record<string, unknown>), [JWT_FORMAT_EXTRA]: true },
      // The row is found as long as fosite's JWT validation accepts the token.
      ...(expiresAt !== undefined ? { [FOSITE_VALID_UNTIL]: jwtValidUntil(expiresAt) } : {}),
    };
    return { value, payload };
  });
}

function findByJwt(model: TokenModel): void {
  const find = model.find.bind(model);
  Reflect.set(model, "find", (value: unknown, options?: unknown) =>
    typeof value === "string" ? find(accessTokenId(value), options) : Promise.resolve(undefined),
  );
}

/** The key each provider signs JWT access tokens with (its `hydra.jwt.access-token` set's newest signing key). */
const signers = new WeakMap<Provider, PrivateJwk | undefined>();

/**
 * fosite's ErrTokenSignatureMismatch (errors.go): 400, its description
 * and hint as GetDescription joins them (the hint's double space is
 * fosite's).
 */
export class TokenSignatureMismatchError extends HydraError {
  constructor() {
    super(400, "token_signature_mismatch", "Token signature mismatch. Check that you provided  a valid token in the right format.");
  }
}

/**
 * Whether a stored token handed out as a JWT no longer verifies: Hydra's
 * DefaultJWTSigner (jwk/jwt_strategy.go) validates with its current
 * signing key only (GetOrGenerateKeys, the set's first private key), so a
 * token signed by a key since rotated out or deleted — or by an older key
 * still in the set — fails fosite's token/jwt ParseWithClaims
 * (ValidationErrorSignatureInvalid), which strategy_jwt.go toRFCErr makes
 * ErrTokenSignatureMismatch, before its expiry is looked at.
 */
export function signedByOtherKey(provider: Provider, value: string, payload: AdapterPayload): boolean {
  const extra = (payload.extra ?? {}) as Record<string, unknown>;
  if (extra[JWT_FORMAT_EXTRA] !== true) return false;
  const signer = signers.get(provider);
  return signer === undefined || !verifiesWithKey(value, signer);
}

/**
 * Whether a stored token handed out as a JWT is now validated as an opaque
 * one. Hydra picks the strategy by the token's client as it is now, not by
 * the token's shape (fositex/token_strategy.go ValidateAccessToken →
 * gs(withRequester); persistence/sql/persister_oauth2.go toRequest reads the
 * current client; driver/config/provider.go AccessTokenStrategy: the
 * client's own, else `strategies.access_token`). The HMAC strategy then
 * checks the session's expiry and the token's HMAC
 * (strategy_hmacsha_plain.go ValidateAccessToken), not the JWT's signature.
 */
export async function validatedAsOpaque(deps: Deps, payload: AdapterPayload): Promise<boolean> {
  const extra = (payload.extra ?? {}) as Record<string, unknown>;
  if (extra[JWT_FORMAT_EXTRA] !== true) return false;
  const client = await deps.clients.get(String(payload.clientId ?? ""));
  return (client?.data.access_token_strategy || deps.config.strategies.access_token) !== "jwt";
}

/**
 * A live JWT access token validated as an opaque one (validatedAsOpaque):
 * token/hmac/hmacsha.go validate cannot base64-decode the JWT's
 * "payload.signature", a plain error that fosite's IntrospectToken makes
 * its unrecognizable error (errors.go ErrorToRFC6749Error: `error`, 500).
 * Introspection answers it inactive (oauth2/handler.go
 * introspectOAuth2Token wraps every failure in ErrInactiveToken); the
 * bearer endpoints answer it as a token they cannot find rather than with
 * a 5xx (README, Known differences).
 */
export class JwtUnderOpaqueStrategyError extends Error {
  constructor() {
    super("a JWT access token of a client now on the opaque strategy");
  }
}

/** For a bearer endpoint's `findToken(…).catch`: JwtUnderOpaqueStrategyError as an unknown token. */
export function unknownUnderOpaqueStrategy(error: unknown): undefined {
  if (error instanceof JwtUnderOpaqueStrategyError) return undefined;
  throw error;
}

export function installJwtAccessTokens(provider: Provider, deps: Deps, keys: JwtAccessTokenKeys): void {
  signers.set(provider, keys.keys[0]);
  for (const model of [provider.AccessToken, provider.ClientCredentials] as unknown as TokenModel[]) {
    mintAsJwt(deps, model, keys);
    findByJwt(model);
  }
}
