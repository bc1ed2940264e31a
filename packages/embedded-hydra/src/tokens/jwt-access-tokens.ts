import { createHash, randomUUID } from "node:crypto";
import type Provider from "oidc-provider";
import type { AdapterPayload } from "oidc-provider";
import { ACCESS_TOKEN_STRATEGY_METADATA } from "../clients/model";
import type { Deps } from "../deps";
import type { PrivateJwk } from "../keys/repository";
import { assertionSubject } from "../trust/assertion-subject";
import { expiresAtOf, FOSITE_VALID_UNTIL, jwtValidUntil, unixSeconds } from "./fosite-expiry";
import { looksLikeJws, signJws } from "./jws";

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

export function installJwtAccessTokens(provider: Provider, deps: Deps, keys: JwtAccessTokenKeys): void {
  for (const model of [provider.AccessToken, provider.ClientCredentials] as unknown as TokenModel[]) {
    mintAsJwt(deps, model, keys);
    findByJwt(model);
  }
}
