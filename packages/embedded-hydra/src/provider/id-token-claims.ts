import { randomUUID } from "node:crypto";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { HydraConfig } from "../config/load";
import type { ConsentSessionRecord } from "../sessions/repository";
import { FositeProviderError } from "../fosite-errors";
import { unixSeconds } from "../tokens/fosite-expiry";
import { currentRequest } from "./request-context";
import { idTokenLifespanNanos } from "./token-ttl";

/** The login session id of the login this request resumes with (provider/decisions.ts applyLogin's `hydraLogin`), if any. */
function loginSessionIdOfRequest(): string | undefined {
  const result: unknown = currentRequest()?.oidc?.result;
  const login: unknown = typeof result === "object" && result !== null ? Reflect.get(result, "hydraLogin") : undefined;
  const sessionId: unknown = typeof login === "object" && login !== null ? Reflect.get(login, "sessionId") : undefined;
  return typeof sessionId === "string" && sessionId !== "" ? sessionId : undefined;
}

/**
 * The client as oidc-provider's IdToken#issue reads it, with `clientId` a
 * one-element list: issue signs with `audience: client.clientId`, which
 * becomes the `aud` claim as given. Methods stay bound to the real client
 * (its private fields do not answer through a proxy).
 */
function withListAudience(client: object): object {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === "clientId") return [value];
      return typeof value === "function" ? (value.bind(target) as unknown) : value;
    },
  });
}

/**
 * The claims fosite's IDTokenClaims.ToMap sets or drops itself (and `sid`,
 * which updateSessionWithRequest adds): a `session.id_token` claim of that
 * name never reaches the ID token. Every other one does, whatever the scope.
 */
export const CLAIMS_FOSITE_OWNS = new Set([
  "sub",
  "iss",
  "jti",
  "aud",
  "iat",
  "exp",
  "rat",
  "nonce",
  "at_hash",
  "c_hash",
  "auth_time",
  "acr",
  "amr",
  "sid",
]);

/** The grant an ID token is issued for: the code's, refresh token's or device code's at the token endpoint, the authorization's grant otherwise. */
function grantIdOf(ctx: KoaContextWithOIDC | undefined): string | undefined {
  const entities = ctx?.oidc?.entities;
  const candidates: unknown[] = [
    entities?.AuthorizationCode?.grantId,
    entities?.RefreshToken?.grantId,
    entities?.DeviceCode?.grantId,
    entities?.Grant?.jti,
  ];
  return candidates.find((id): id is string => typeof id === "string" && id !== "");
}

/** fosite's MinParameterEntropy. */
const MIN_NONCE_LENGTH = 8;

type IssueOptions = { use?: string; expiresAt?: number };
type Issue = (this: object, options?: IssueOptions) => Promise<string>;
type Save = (this: object, ...args: unknown[]) => Promise<string>;

/**
 * ID tokens as Hydra issues them (oauth2/handler.go updateSessionWithRequest,
 * fosite/handler/openid/flow_explicit_token.go and flow_refresh_token.go):
 *
 * - `sid` is the login session's id, the value the login and consent
 *   requests call `session_id` / `login_session_id` (Hydra's flow
 *   SessionID, drawn per login request, consent/strategy_default.go
 *   forwardAuthenticationRequest). oidc-provider keeps one sid per client in
 *   the browser's session and copies it into the code at resume; here the
 *   resume that finishes an authorization sets it to that authorization's
 *   login session id first, so two tabs of one browser get their own.
 * - ID tokens from the token endpoint carry `at_hash` of the access token
 *   issued with them (oidc-provider adds it only at the authorization
 *   endpoint). The access token's value is remembered when it is saved and
 *   hashed by oidc-provider's own at_hash code when the ID token is signed.
 * - a `nonce` shorter than eight characters stops the ID token
 *   (fosite/handler/openid/strategy_jwt.go GenerateIDToken: insufficient_entropy).
 * - `exp` is GenerateIDToken's `time.Now().UTC().Add(lifespan)` in Unix
 *   seconds (rounded down, so a 1.5 s lifespan gives `exp - iat` of 1 or 2,
 *   a 400 ms one 0 or 1), and a lifespan that is not positive stops the ID
 *   token with `server_error` ("expiry claim can not be in the past"). The
 *   claim is set on the token itself and oidc-provider's ttl left out.
 * - every `session.id_token` claim of the consent is in the ID token, not
 *   only those oidc-provider's scopes release (Hydra's claims Extra), and
 *   `rat` is the login request's second (RequestedAt); the consent session
 *   of the token's grant holds both.
 * - `aud` is a list naming the client and `jti` a new UUID in every ID
 *   token (fosite/token/jwt/claims_id_token.go IDTokenClaims.ToMap: the
 *   Audience []string of updateSessionWithRequest and GenerateIDToken, and
 *   uuid.New() for the JTI Hydra's session never sets); oidc-provider
 *   writes the client id as a string and no `jti`.
 */
export function installIdTokenClaims(
  provider: Provider,
  ttl: HydraConfig["ttl"],
  consentOfGrant: (grantId: string) => Promise<ConsentSessionRecord | undefined>,
): void {
  Reflect.set(
    provider.Session.prototype,
    "ensureClientContainer",
    function ensureClientContainer(this: { uid: string; sidFor(clientId: string, value?: string): string | undefined }, clientId: string) {
      const sessionId = loginSessionIdOfRequest();
      if (sessionId) this.sidFor(clientId, sessionId);
      else if (!this.sidFor(clientId)) this.sidFor(clientId, this.uid);
    },
  );

  const values = new WeakMap<object, string>();
  const exactExpiry = new WeakSet<object>();
  for (const model of [provider.AccessToken]) {
    const save: Save = Reflect.get(model.prototype, "save");
    Reflect.set(model.prototype, "save", async function rememberValue(this: object, ...args: unknown[]) {
      const value = await save.apply(this, args);
      values.set(this, value);
      return value;
    });
  }

  const issue = Reflect.get(provider.IdToken.prototype, "issue") as Issue;
  Reflect.set(provider.IdToken.prototype, "issue", async function issueWithAtHash(this: object, options?: IssueOptions) {
    const ctx = Reflect.get(this, "ctx") as { oidc?: { route?: string; entities?: { AccessToken?: object } } } | undefined;
    const extra = Reflect.get(this, "extra") as Record<string, unknown>;
    const accessToken = ctx?.oidc?.route === "token" ? ctx.oidc.entities?.AccessToken : undefined;
    const value = accessToken ? values.get(accessToken) : undefined;
    if (options?.use === "idtoken" && value && extra.at_hash === undefined) extra.at_hash = value;
    const nonce = extra.nonce;
    if (options?.use === "idtoken" && typeof nonce === "string" && nonce.length > 0 && nonce.length < MIN_NONCE_LENGTH) {
      throw new FositeProviderError(
        "insufficient_entropy",
        `Parameter 'nonce' is set but does not satisfy the minimum entropy of ${MIN_NONCE_LENGTH} characters.`,
      );
    }
    if (options?.use !== "idtoken") return issue.call(this, options);
    const grantId = grantIdOf(ctx as KoaContextWithOIDC | undefined);
    const consent = grantId ? await consentOfGrant(grantId) : undefined;
    for (const [claim, value] of Object.entries(consent?.session.id_token ?? {})) {
      if (!CLAIMS_FOSITE_OWNS.has(claim) && !(claim in extra)) extra[claim] = value;
    }
    if (consent?.loginRequestedAt) extra.rat = unixSeconds(consent.loginRequestedAt.getTime());
    extra.jti = randomUUID();
    const client = Reflect.get(this, "client") as { metadata(): Record<string, unknown> } | undefined;
    if (client) {
      // issue takes `client` once, before it builds the payload; the payload (pairwise `sub`) reads the real one.
      Reflect.set(this, "client", withListAudience(client));
      const payload: (this: object) => Promise<Record<string, unknown>> = Reflect.get(provider.IdToken.prototype, "payload");
      Reflect.set(this, "payload", () => {
        Reflect.set(this, "client", client);
        return payload.call(this);
      });
    }
    if (options.expiresAt) return issue.call(this, options);
    const now = Date.now();
    const expiresAtMs = now + Number(idTokenLifespanNanos(ctx as KoaContextWithOIDC | undefined, client, ttl)) / 1e6;
    if (expiresAtMs <= now) throw new FositeProviderError("server_error", null);
    // The claim itself, even when it names the current second: oidc-provider's own `expiresIn` cannot be 0.
    extra.exp = unixSeconds(expiresAtMs);
    exactExpiry.add(this);
    return issue.call(this, options);
  });
  // An ID token given its exact `exp` claim signs without oidc-provider's ttl (helpers/jwt.js sign keeps payload.exp).
  const expiresIn = Reflect.get(provider.IdToken, "expiresIn") as (this: unknown, ...args: unknown[]) => number | undefined;
  Reflect.set(provider.IdToken, "expiresIn", function exactOrTtl(this: unknown, ...args: unknown[]) {
    const token: unknown = args[1];
    return typeof token === "object" && token !== null && exactExpiry.has(token) ? undefined : expiresIn.apply(this, args);
  });
}
