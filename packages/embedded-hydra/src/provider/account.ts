import type { Account, FindAccount, KoaContextWithOIDC } from "oidc-provider";
import type { Deps } from "../deps";

/** Claims Hydra never lets session.id_token override. */
const PROTECTED_CLAIMS = new Set([
  "sub",
  "iss",
  "aud",
  "exp",
  "iat",
  "nbf",
  "jti",
  "auth_time",
  "nonce",
  "at_hash",
  "c_hash",
  "sid",
  "azp",
  "acr",
  "amr",
]);

/**
 * Hydra has no account store: the subject is whatever the login UI accepted,
 * and extra ID-token/userinfo claims are what the consent UI put in
 * `session.id_token`. They are looked up by the grant the token belongs to.
 */
export function createFindAccount(deps: Deps): FindAccount {
  return (ctx: KoaContextWithOIDC, sub, token): Account => {
    const grantId = token?.grantId ?? ctx.oidc?.entities?.Grant?.jti;
    return {
      accountId: sub,
      async claims() {
        const consent = grantId ? await deps.sessions.consentByGrant(grantId) : undefined;
        const extra: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(consent?.session.id_token ?? {})) {
          if (!PROTECTED_CLAIMS.has(key)) extra[key] = value;
        }
        return { ...extra, sub };
      },
    };
  };
}
