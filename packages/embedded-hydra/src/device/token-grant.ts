import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import instance from "oidc-provider/lib/helpers/weak_cache.js";
import { isStorableText } from "@olympus/server-kit/text";
import { FositeProviderError } from "../fosite-errors";
import { goUtcTimeString } from "../public/go-format";
import type { Db } from "../storage/db";
import { DEVICE_CODE_GRANT } from "./authorization-endpoint";

type GrantHandler = (ctx: KoaContextWithOIDC) => Promise<void>;

interface DeviceCodeState {
  approved: boolean;
  consumed: boolean;
  exp: number | undefined;
}

/**
 * The stored device code, past its expiry too: Hydra's GetDeviceCodeSession
 * finds a row until the janitor deletes it (here the expired-row cleanup).
 */
async function deviceCodeState(db: Db, code: string): Promise<DeviceCodeState | undefined> {
  if (!isStorableText(code)) return undefined;
  const { rows } = await db.query<{ payload: Record<string, unknown>; consumed_at: Date | null }>(
    "SELECT payload, consumed_at FROM oidc_payloads WHERE model = 'DeviceCode' AND id = $1",
    [code],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { accountId, error, exp } = row.payload;
  return {
    approved: Boolean(accountId) || Boolean(error),
    consumed: row.consumed_at !== null,
    exp: typeof exp === "number" ? exp : undefined,
  };
}

/**
 * The device_code grant in fosite's order (rfc8628 token_handler.go
 * HandleTokenEndpointRequest): a device code the person has not approved yet
 * is `authorization_pending` — before its expiry is looked at, so an expired
 * pending code stays pending until it is cleaned up, as in Hydra —, an
 * approved one past its lifespan `expired_token` with fosite's hint, one
 * already exchanged `invalid_grant` (Hydra deleted it; nothing is revoked).
 * Then oidc-provider's own handler checks the client and issues the tokens.
 * Hydra never answers `slow_down` (its DeviceRateLimitStrategy always says
 * no) nor `access_denied` (no device request can be rejected in v26.2).
 */
export function installDeviceCodeGrant(provider: Provider, db: Db): void {
  const handlers = Reflect.get(instance(provider) ?? {}, "grantTypeHandlers") as Map<string, GrantHandler> | undefined;
  const original = handlers?.get(DEVICE_CODE_GRANT);
  if (!handlers || !original) throw new Error("oidc-provider's device_code grant handler is missing");
  handlers.set(DEVICE_CODE_GRANT, async (ctx) => {
    const value = ctx.oidc.params?.device_code;
    const state = typeof value === "string" && value ? await deviceCodeState(db, value) : undefined;
    if (state) {
      if (state.consumed) throw new FositeProviderError("invalid_grant");
      if (!state.approved) throw new FositeProviderError("authorization_pending");
      if (state.exp !== undefined && state.exp <= Math.floor(Date.now() / 1000))
        throw new FositeProviderError("expired_token", `Device code expired at '${goUtcTimeString(state.exp * 1000)}'.`);
    }
    await original(ctx);
  });
}
