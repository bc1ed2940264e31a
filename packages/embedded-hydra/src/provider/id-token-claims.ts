import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { HydraConfig } from "../config/load";
import { FositeProviderError } from "../fosite-errors";
import { unixSeconds } from "../tokens/fosite-expiry";
import { idTokenLifespanNanos } from "./token-ttl";

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
 *   requests call `session_id` / `login_session_id`. oidc-provider draws a
 *   fresh sid per client; here every client of a login session gets its uid.
 * - ID tokens from the token endpoint carry `at_hash` of the access token
 *   issued with them (oidc-provider adds it only at the authorization
 *   endpoint). The access token's value is remembered when it is saved and
 *   hashed by oidc-provider's own at_hash code when the ID token is signed.
 * - a `nonce` shorter than eight characters stops the ID token
 *   (fosite/handler/openid/strategy_jwt.go GenerateIDToken: insufficient_entropy).
 * - `exp` is GenerateIDToken's `time.Now().UTC().Add(lifespan)` in Unix
 *   seconds (rounded down, so a 1.5 s lifespan gives `exp - iat` of 1 or 2),
 *   and a lifespan that is not positive stops the ID token with
 *   `server_error` ("expiry claim can not be in the past"). oidc-provider
 *   takes it as `expiresAt`; it falls back to its whole-second ttl only when
 *   that instant is in the current second (a lifespan under one second).
 */
export function installIdTokenClaims(provider: Provider, ttl: HydraConfig["ttl"]): void {
  Reflect.set(
    provider.Session.prototype,
    "ensureClientContainer",
    function ensureClientContainer(this: { uid: string; sidFor(clientId: string, value?: string): string | undefined }, clientId: string) {
      if (!this.sidFor(clientId)) this.sidFor(clientId, this.uid);
    },
  );

  const values = new WeakMap<object, string>();
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
    if (options?.use !== "idtoken" || options.expiresAt) return issue.call(this, options);
    const client = Reflect.get(this, "client") as { metadata(): Record<string, unknown> } | undefined;
    const now = Date.now();
    const expiresAtMs = now + Number(idTokenLifespanNanos(ctx as KoaContextWithOIDC | undefined, client, ttl)) / 1e6;
    if (expiresAtMs <= now) throw new FositeProviderError("server_error", null);
    return issue.call(this, { ...options, expiresAt: unixSeconds(expiresAtMs) });
  });
}
