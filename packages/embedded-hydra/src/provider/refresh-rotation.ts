import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { Db } from "../storage/db";

/**
 * Hydra's strict refresh rotation (persistence/sql/persister_oauth2.go
 * strictRefreshRotation): a refresh deletes every access token issued
 * before it in the same authorization, so the access token the client
 * held until now is inactive from the moment the new one is handed out.
 * oidc-provider only rotates the refresh token. The deletion finishes before
 * the response is sent.
 */
export function installRefreshRotation(provider: Provider, db: Db): void {
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
