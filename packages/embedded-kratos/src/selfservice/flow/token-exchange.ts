import { KratosError } from "../../http/errors";
import type { Router } from "../../http/router";
import { randomAlnum } from "../../session/tokens";

/**
 * Kratos' session token exchange (selfservice/sessiontokenexchange,
 * session.Handler.exchangeCode). A native login or registration flow started
 * with `return_session_token_exchange_code=true` carries an init code; the
 * second half of the code is handed out only when a social sign-in (the
 * `oidc` method) redirects back to the app, and `GET
 * /sessions/token-exchange` then trades both halves for the session token.
 *
 * This server's `oidc` method does not issue the return_to code (see
 * README, Known differences), so every exchange is answered "no session yet
 * for this code", as Kratos answers one no social sign-in completed.
 */
export function newSessionTokenExchangeCode(): string {
  return randomAlnum(64);
}

export function registerTokenExchangeRoute(router: Router): void {
  router.get("/sessions/token-exchange", (ctx) => {
    if (!ctx.query.get("init_code") || !ctx.query.get("return_to_code")) {
      throw new KratosError(400, { reason: '"init_code" and "return_to_code" query params must be set' });
    }
    throw new KratosError(404, { reason: 'no session yet for this "code"' });
  });
}
