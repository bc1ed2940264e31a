import { isStorableText } from "@olympus/server-kit/text";
import type { Db } from "../storage/db";

/** What a consent gives the device code: the person, the grant and the login's details. */
export interface DeviceApproval {
  accountId: string;
  grantId: string;
  scope: string;
  authTime: number;
  sid?: string;
  acr?: string;
  amr?: string[];
}

/**
 * oauth2/handler.go performOAuth2DeviceVerificationFlow:
 * GetDeviceCodeSessionByRequestID finds the device code session whether it
 * was approved before or is past its lifespan (it looks neither at the user
 * code state nor at the expiry), and UpdateDeviceCodeSessionBySignature
 * replaces its subject, session and granted scope, so the last consent
 * wins; an expired code is then `expired_token` at the token endpoint. Only
 * a code already exchanged is gone (fosite's token handler deletes it with
 * InvalidateDeviceCodeSession; here it is consumed) or one the cleanup
 * deleted: false, fosite.ErrNotFound. oidc-provider's DeviceCode.find skips
 * expired rows, hence the row is updated here, its lookup columns with it.
 */
export async function approveDeviceCode(db: Db, deviceCodeId: string, approval: DeviceApproval): Promise<boolean> {
  if (!isStorableText(deviceCodeId)) return false;
  const replaced = {
    accountId: approval.accountId,
    grantId: approval.grantId,
    scope: approval.scope,
    authTime: approval.authTime,
    ...(approval.sid ? { sid: approval.sid } : {}),
    ...(approval.acr ? { acr: approval.acr } : {}),
    ...(approval.amr?.length ? { amr: approval.amr } : {}),
  };
  const result = await db.query(
    `UPDATE oidc_payloads SET payload = (payload - 'sid' - 'acr' - 'amr') || $2::jsonb, account_id = $3, grant_id = $4
     WHERE model = 'DeviceCode' AND id = $1 AND consumed_at IS NULL`,
    [deviceCodeId, JSON.stringify(replaced), approval.accountId, approval.grantId],
  );
  return (result.rowCount ?? 0) > 0;
}
