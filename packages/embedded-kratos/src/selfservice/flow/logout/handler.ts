import type { Deps } from "../../../deps";
import { readJson } from "../../../http/body";
import { errors } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { hashToken } from "../../../session/tokens";

/** Browser logout (logout URL + token, then the logout itself) and native logout by session token. */
export function registerLogoutRoutes(router: Router, deps: Deps): void {
  router.get("/self-service/logout/browser", async (ctx) => {
    const token = ctx.cookie(deps.sessions.cookieName);
    const session = token ? await deps.sessions.fromToken(token) : undefined;
    if (!session) throw errors.noActiveSession();
    const returnTo = ctx.query.get("return_to");
    const checked = returnTo ? deps.returnTo.check(returnTo) : undefined;
    const logoutToken = await deps.sessions.newLogoutToken(session);
    const url = new URL(`${deps.config.publicBaseUrl}self-service/logout`);
    url.searchParams.set("token", logoutToken);
    if (checked) url.searchParams.set("return_to", checked);
    ctx.json(200, { logout_url: url.toString(), logout_token: logoutToken });
  });

  router.get("/self-service/logout", async (ctx) => {
    const token = ctx.query.get("token") ?? "";
    const returnTo = ctx.query.get("return_to");
    const target = returnTo
      ? deps.returnTo.check(returnTo)
      : (deps.config.selfservice.flows.logout.after.default_browser_return_url ?? deps.config.selfservice.default_browser_return_url);
    const session = token ? await deps.sessions.repository.findByLogoutTokenHash(hashToken(token)) : undefined;
    if (!session) {
      const err = errors.csrf();
      return deps.errors.forward(ctx, err);
    }
    await deps.sessions.repository.deactivate(session.id);
    deps.sessions.clearCookie(ctx);
    if (ctx.acceptsJson) ctx.noContent();
    else ctx.redirect(target);
  });

  router.delete("/self-service/logout/api", async (ctx) => {
    const body = await readJson(ctx);
    const token = typeof body === "object" && body !== null && "session_token" in body ? (body as { session_token: unknown }).session_token : undefined;
    if (typeof token !== "string" || token === "") throw errors.badRequest("The session token is missing in the request body.");
    const revoked = await deps.sessions.repository.deactivateByTokenHash(hashToken(token));
    if (!revoked) throw errors.forbidden("The provided Ory Session Token could not be found, is invalid, or otherwise malformed.");
    ctx.noContent();
  });
}
