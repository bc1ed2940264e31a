import { createHmac, timingSafeEqual } from "node:crypto";
import type { Deps } from "../../../deps";
import { readJson } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { errors, KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import type { Session } from "../../../session/session";
import { hashToken } from "../../../session/tokens";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * The session's logout token. Kratos gives every session one random token
 * and hands out that same token each time; here it is derived from the
 * session id with a keyed HMAC, which is just as stable and unguessable and
 * needs no storage. Its shape is Kratos': `ory_lo_` + 32 alphanumerics.
 */
function logoutTokenOf(deps: Deps, session: Session): string {
  const key = deps.config.secrets.default?.[0] ?? deps.config.secrets.cookie?.[0] ?? "embedded-kratos-logout-token";
  const digest = createHmac("sha256", key).update(`logout_token:${session.id}`).digest();
  return `ory_lo_${[...digest]
    .slice(0, 32)
    .map((b) => ALPHABET[b % ALPHABET.length])
    .join("")}`;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Browser logout (logout URL, then the logout itself) and native logout by session token (logout.Handler). */
export function registerLogoutRoutes(router: Router, deps: Deps): void {
  router.get("/self-service/logout/browser", (ctx) => createBrowserLogoutFlow(deps, ctx));
  router.get("/self-service/logout", (ctx) => updateLogoutFlow(deps, ctx));
  router.delete("/self-service/logout/api", (ctx) => performNativeLogout(deps, ctx));
}

/**
 * logout.Handler.createBrowserLogoutFlow: the request's session (cookie or
 * token; none → 401 through the error manager), an allowed return_to
 * (else 400), and `{logout_url, logout_token}` with the session's token.
 */
async function createBrowserLogoutFlow(deps: Deps, ctx: HttpContext): Promise<void> {
  const session = await deps.sessions.fromRequest(ctx);
  if (!session) return deps.errors.forward(ctx, errors.noActiveSession());
  const returnTo = ctx.query.get("return_to");
  let checked: string | undefined;
  if (returnTo) {
    try {
      checked = deps.returnTo.check(returnTo);
    } catch (error) {
      if (error instanceof KratosError) return deps.errors.forward(ctx, error);
      throw error;
    }
  }
  const logoutToken = logoutTokenOf(deps, session);
  const url = new URL(`${deps.config.publicBaseUrl}self-service/logout`);
  if (checked) url.searchParams.set("return_to", checked);
  url.searchParams.set("token", logoutToken);
  ctx.json(200, { logout_url: url.toString(), logout_token: logoutToken });
}

/**
 * logout.Handler.updateLogoutFlow: the token must be the logout token of the
 * session this very request carries (cookie); the session ends, the cookie
 * is cleared, then return_to (or the logout default) is checked and the
 * browser sent there — 204 for JSON clients. Every refusal goes through
 * the error manager.
 */
async function updateLogoutFlow(deps: Deps, ctx: HttpContext): Promise<void> {
  const token = ctx.query.get("token") ?? "";
  if (token === "") return deps.errors.forward(ctx, errors.badRequest("Please include a token in the URL query."));
  const session = await deps.sessions.fromRequest(ctx);
  if (!session) return deps.errors.forward(ctx, errors.noActiveSession());
  if (!sameToken(token, logoutTokenOf(deps, session))) {
    return deps.errors.forward(
      ctx,
      errors.forbidden("Unable to log out because the logout token in the URL query does not match the session cookie."),
    );
  }
  await deps.sessions.repository.deactivate(session.id);
  deps.sessions.clearCookie(ctx);
  // logout.Handler.completeLogout: a new anti-CSRF token, so nothing the signed-in browser held can be replayed.
  deps.csrf.regenerate(ctx);

  const returnTo = ctx.query.get("return_to");
  let target = deps.config.selfservice.flows.logout.after.default_browser_return_url ?? deps.config.selfservice.default_browser_return_url;
  if (returnTo) {
    try {
      target = deps.returnTo.check(returnTo);
    } catch (error) {
      if (error instanceof KratosError) return deps.errors.forward(ctx, error);
      throw error;
    }
  }
  if (ctx.isJsonRequest) ctx.noContent();
  else ctx.redirect(target);
}

/**
 * logout.Handler.performNativeLogout: `{session_token}` names the session to
 * end; a token that names none (missing, unknown) is 403, one that names an
 * already ended session ends it again (204).
 */
async function performNativeLogout(deps: Deps, ctx: HttpContext): Promise<void> {
  const body = await readJson(ctx);
  const token = typeof body === "object" && body !== null && "session_token" in body ? body.session_token : undefined;
  const session =
    typeof token === "string" && token !== "" && token.length <= 512
      ? await deps.sessions.repository.findByTokenHash(hashToken(token))
      : undefined;
  if (!session) throw errors.forbidden("The provided Ory Session Token could not be found, is invalid, or otherwise malformed.");
  await deps.sessions.repository.deactivate(session.id);
  ctx.noContent();
}
