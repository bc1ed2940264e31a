import type Provider from "oidc-provider";
import { errors, type KoaContextWithOIDC } from "oidc-provider";
import instance from "oidc-provider/lib/helpers/weak_cache.js";
import revoke from "oidc-provider/lib/helpers/revoke.js";
import type { Db } from "../storage/db";

type GrantHandler = (ctx: KoaContextWithOIDC) => Promise<void>;

/**
 * Hydra's strict refresh rotation (persistence/sql/persister_oauth2.go
 * strictRefreshRotation): a refresh deletes every access token issued
 * before it in the same authorization, so the access token the client
 * held until now is inactive from the moment the new one is handed out.
 * oidc-provider only rotates the refresh token. The deletion finishes before
 * the response is sent.
 */
export function installRefreshRotation(provider: Provider, db: Db): void {
  installReuseFirst(provider);
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    // Requests oidc-provider does not route (404s) have no `ctx.oidc`.
    const oidc: KoaContextWithOIDC["oidc"] | undefined = ctx.oidc;
    if (oidc?.route !== "token" || ctx.status !== 200 || oidc.params?.grant_type !== "refresh_token") return;
    const issued = oidc.entities.AccessToken;
    if (!issued?.grantId || !issued.jti) return;
    await db.query("DELETE FROM oidc_payloads WHERE model = 'AccessToken' AND grant_id = $1 AND id <> $2", [issued.grantId, issued.jti]);
  });
}

/**
 * The refresh grant's checks in fosite's order (handler/oauth2/flow_refresh.go
 * HandleTokenEndpointRequest): a refresh token already used is reuse —
 * GetRefreshTokenSession answers ErrInactiveToken before the expiry or the
 * client is looked at — so the whole chain is revoked (handleRefreshTokenReuse)
 * and the answer is "The refresh token was already used.", even for an
 * expired token or another client's. Then an expired token is "The refresh
 * token expired." before the client mismatch. oidc-provider checks the
 * client, then the expiry, then reuse; its own handler does the rest.
 */
function installReuseFirst(provider: Provider): void {
  const handlers = Reflect.get(instance(provider) ?? {}, "grantTypeHandlers") as Map<string, GrantHandler> | undefined;
  const original = handlers?.get("refresh_token");
  if (!handlers || !original) throw new Error("oidc-provider's refresh_token grant handler is missing");
  handlers.set("refresh_token", async (ctx) => {
    const value = ctx.oidc.params?.refresh_token;
    const token = typeof value === "string" && value ? await provider.RefreshToken.find(value, { ignoreExpiration: true }) : undefined;
    if (token?.consumed) {
      // What oidc-provider's handler does on reuse, with fosite's precedence; revoke() leaves nothing of the grant.
      await Promise.all([token.destroy(), revoke(ctx, token.grantId)]);
      throw new errors.InvalidGrant("refresh token already used");
    }
    if (token?.isExpired) throw new errors.InvalidGrant("refresh token is expired");
    await original(ctx);
  });
}
