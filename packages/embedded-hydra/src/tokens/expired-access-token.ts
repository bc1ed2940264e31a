import { isStorableText } from "@olympus/server-kit/text";
import type { Deps } from "../deps";
import { goUtcTimeString } from "../public/go-format";
import { expiresAtOf, FOSITE_VALID_UNTIL } from "./fosite-expiry";
import { accessTokenId, signedByOtherKey, TokenSignatureMismatchError, validatedAsOpaque } from "./jwt-access-tokens";

/** fosite's ErrTokenExpired (errors.go): its name and status. Not in FOSITE_ERRORS, whose names other answers look up. */
export const TOKEN_EXPIRED = { error: "token_expired", status: 401 } as const;

/** fosite/errors.go ErrTokenExpired's description and hint, as GetDescription joins them. */
const JWT_EXPIRED_DESCRIPTION = "Token expired. The token expired.";

type Row = { payload: Record<string, unknown>; consumed_at: Date | null; expires_at: Date; client_exists: boolean };

/**
 * An opaque access token past its expiry whose row is still stored: fosite's
 * CoreValidator (handler/oauth2/introspector.go introspectAccessToken) finds
 * it — Hydra's persister (findSessionBySignature) does not look at expiry —
 * and strategy_hmacsha_plain.go ValidateAccessToken refuses it with
 * ErrTokenExpired (401 `token_expired`, fosite/errors.go) and a hint naming
 * the session's expiry (read back from JSON, so in UTC and without a
 * monotonic part); returned here is the `error_description` that makes
 * (RFC6749Error.GetDescription: description, then hint).
 *
 * Hydra keeps the row until an operator runs `hydra janitor`
 * (cmd/cli/handler_janitor.go); here the periodic cleanup deletes it within
 * a minute of its expiry, after which the token is unknown, as Hydra answers
 * one its janitor deleted. Rows Hydra would not find (client deleted, consent
 * revoked, token revoked) give undefined.
 *
 * A JWT access token is refused by strategy_jwt.go ValidateAccessToken
 * instead: Hydra's signer decodes it (token/jwt ParseWithClaims), MapClaims.Valid
 * flags ValidationErrorExpired once the Unix second is past `exp` (the row's
 * FOSITE_VALID_UNTIL), and toRFCErr maps that to the bare ErrTokenExpired —
 * its own hint, no expiry named (the wrapped "Token is expired" is debug only).
 * One its signer no longer verifies throws TokenSignatureMismatchError
 * (jwt-access-tokens.ts signedByOtherKey): the signature is checked first.
 */
export async function expiredAccessTokenDescription(deps: Deps, value: string): Promise<string | undefined> {
  const id = accessTokenId(value);
  if (!isStorableText(id)) return undefined;
  const { rows } = await deps.db.query<Row>(
    `SELECT t.payload, t.consumed_at, t.expires_at,
            EXISTS (SELECT 1 FROM hydra_clients cl WHERE cl.id = t.payload->>'clientId') AS client_exists
       FROM oidc_payloads t
      WHERE t.id = $1 AND t.model IN ('AccessToken', 'ClientCredentials') AND t.expires_at <= now()`,
    [id],
  );
  const row = rows[0];
  if (!row || !row.client_exists || row.consumed_at !== null) return undefined;
  // A token bound to a login session (not one Hydra mints) is answered as the live lookup does.
  if (row.payload.expiresWithSession === true) return undefined;
  const grantId = row.payload.grantId;
  if (typeof grantId === "string" && grantId !== "" && !(await deps.sessions.consentByGrant(grantId))) return undefined;
  // A JWT whose client is now on the opaque strategy is refused as an opaque token is (jwt-access-tokens.ts validatedAsOpaque).
  if (!(await validatedAsOpaque(deps, row.payload))) {
    // ParseWithClaims checks the signature before the claims: a JWT its signer no longer verifies is a mismatch first.
    if (signedByOtherKey(deps.provider(), value, row.payload)) throw new TokenSignatureMismatchError();
    if (FOSITE_VALID_UNTIL in row.payload) return JWT_EXPIRED_DESCRIPTION;
  }
  const expiresAt = expiresAtOf(row.payload) ?? row.expires_at.getTime();
  return `Token expired. Access token expired at '${goUtcTimeString(expiresAt)}'.`;
}
