import type { HttpContext } from "../../http/context";
import type { Identity } from "../../identity/identity";
import type { StrategyContext } from "./strategy";

/**
 * The session's identity with its credentials, for second-factor strategies
 * (totp, lookup_secret, webauthn) populating or checking an aal2/refresh
 * login. Loaded once per request however many strategies ask.
 */
const loaded = new WeakMap<HttpContext, Promise<Identity | undefined>>();

export function sessionIdentityWithCredentials(ctx: StrategyContext): Promise<Identity | undefined> {
  if (ctx.identity && Object.keys(ctx.identity.credentials).length > 0) return Promise.resolve(ctx.identity);
  const session = ctx.session;
  if (!session) return Promise.resolve(undefined);
  let identity = loaded.get(ctx.http);
  if (!identity) {
    identity = ctx.deps.identityRepository.get(session.identityId, { withCredentials: true });
    loaded.set(ctx.http, identity);
  }
  return identity;
}

/** Forgets the cached identity of a request (after a strategy changed its credentials). */
export function forgetSessionIdentity(ctx: StrategyContext): void {
  loaded.delete(ctx.http);
}
