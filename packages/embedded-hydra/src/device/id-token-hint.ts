import type { Deps } from "../deps";
import { fositeHydraError } from "../fosite-errors";
import { ID_TOKEN_KEY_SET } from "../keys/repository";
import { verifyJws } from "../tokens/jws";

/**
 * consent/strategy_default.go getIDTokenHintClaims and
 * getSubjectFromIDTokenHint for a device verification: the hint must be a
 * JWT signed by a key of `hydra.openid.id-token` (OpenIDJWTSigner Decode;
 * expired is fine, a future `iat`/`nbf` is not) and carry a `sub`; any
 * other hint is `invalid_request` with the JWT library's reason.
 */
export async function idTokenHintSubject(deps: Deps, hint: string): Promise<string> {
  const verified = verifyJws(hint, await deps.keys.list(ID_TOKEN_KEY_SET));
  if (!verified) throw fositeHydraError("invalid_request", "token signature is invalid");
  const now = Math.floor(Date.now() / 1000);
  const { payload } = verified;
  if (typeof payload.iat === "number" && payload.iat > now) throw fositeHydraError("invalid_request", "Token used before issued");
  if (typeof payload.nbf === "number" && payload.nbf > now) throw fositeHydraError("invalid_request", "Token is not valid yet");
  const sub = typeof payload.sub === "string" ? payload.sub : "";
  if (sub === "")
    throw fositeHydraError(
      "invalid_request",
      "Failed to validate OpenID Connect request because provided id token from id_token_hint does not have a subject.",
    );
  return sub;
}
