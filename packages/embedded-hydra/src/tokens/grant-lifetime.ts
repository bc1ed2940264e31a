import type Provider from "oidc-provider";
import { NEVER_SECONDS } from "../config/ttl";
import { currentRequest } from "../provider/request-context";
import type { Db } from "../storage/db";
import { validUntilOf } from "./fosite-expiry";

type Save = (this: object, ...args: unknown[]) => Promise<string>;

/** The models whose tokens belong to a grant (ClientCredentials have none). */
const MODELS = ["AccessToken", "RefreshToken", "AuthorizationCode"] as const;

/**
 * Keeps each oidc-provider grant, and the consent session recorded with it,
 * alive at least as long as every token it holds.
 *
 * fosite has no grant: a token lives by its own expiry alone (a refresh
 * token's is set anew at each rotation, flow_refresh.go, and none at all
 * for a lifespan of -1). oidc-provider refuses a token whose grant expired
 * ("grant is expired") and introspection here a token whose consent row is
 * gone; both start with `ttl.refresh_token`. So each token saved with a
 * later end than its grant's pushes the grant's (and the consent's) end to
 * its own; a token that never expires makes them never expire. Expired
 * grants and consents are still deleted by the cleanup once no token can
 * need them.
 */
export function installGrantLifetime(provider: Provider, db: Db): void {
  for (const name of MODELS) {
    const model = Reflect.get(provider, name) as { prototype: object };
    const save = Reflect.get(model.prototype, "save") as Save;
    Reflect.set(model.prototype, "save", async function saveAndExtendGrant(this: object, ...args: unknown[]) {
      const value = await save.apply(this, args);
      await extendGrant(db, this);
      return value;
    });
  }
}

/** The end (epoch ms) of a token just saved: fosite's, else oidc-provider's whole seconds. */
function tokenEnd(token: object): number | undefined {
  const until = validUntilOf(token);
  if (until !== undefined) return until;
  const exp: unknown = Reflect.get(token, "exp");
  return typeof exp === "number" ? exp * 1000 : undefined;
}

async function extendGrant(db: Db, token: object): Promise<void> {
  const grantId: unknown = Reflect.get(token, "grantId");
  const end = tokenEnd(token);
  if (typeof grantId !== "string" || end === undefined) return;
  // Skip the write when the grant this request loaded already outlives the token (the common case for access tokens).
  const loaded: unknown = currentRequest()?.oidc?.entities?.Grant;
  const loadedExp: unknown = typeof loaded === "object" && loaded !== null ? Reflect.get(loaded, "exp") : undefined;
  if (
    Reflect.get(loaded ?? {}, "jti") === grantId &&
    (loadedExp === undefined || (typeof loadedExp === "number" && end <= loadedExp * 1000))
  )
    return;
  const never = end === Number.POSITIVE_INFINITY;
  const expSeconds = never ? null : Math.ceil(end / 1000);
  await db.query(
    `WITH grant_row AS (
       UPDATE oidc_payloads
          SET expires_at = CASE WHEN $3::bigint IS NULL THEN NULL ELSE to_timestamp($3::bigint) END,
              payload = CASE WHEN $3::bigint IS NULL THEN payload - 'exp' ELSE jsonb_set(payload, '{exp}', to_jsonb($3::bigint)) END
        WHERE model = 'Grant' AND id = $1 AND expires_at IS NOT NULL AND expires_at < to_timestamp($2::float8 / 1000)
       RETURNING id)
     UPDATE hydra_consent_sessions
        SET expires_at = CASE WHEN $3::bigint IS NULL THEN NULL ELSE to_timestamp($3::bigint) END
      WHERE grant_id = $1 AND expires_at IS NOT NULL AND expires_at < to_timestamp($2::float8 / 1000)`,
    [grantId, end, expSeconds],
  );
  if (typeof loaded === "object" && loaded !== null && Reflect.get(loaded, "jti") === grantId) {
    // The same request may save the grant again; it must not write back the old end.
    Reflect.set(loaded, "exp", expSeconds ?? Math.floor(Date.now() / 1000) + NEVER_SECONDS);
  }
}
