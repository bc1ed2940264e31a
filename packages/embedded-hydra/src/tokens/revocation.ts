import type Provider from "oidc-provider";
import { readBodyUpTo, withBody } from "../provider/replay-body";
import { looksLikeJws } from "./jws";
import { accessTokenId } from "./jwt-access-tokens";

/**
 * Hydra revokes JWT access tokens like any other (fosite's
 * TokenRevocationHandler looks the token's session up by its signature);
 * oidc-provider refuses structured tokens at its revocation endpoint. A
 * JWT posted there is replaced by the id its row is stored under
 * (tokens/jwt-access-tokens.ts) before oidc-provider reads the form; the
 * revocation itself stays oidc-provider's.
 */
export function installJwtRevocation(provider: Provider, path: string): void {
  provider.use(async (ctx, next) => {
    if (ctx.method !== "POST" || ctx.path !== path || !ctx.is("application/x-www-form-urlencoded")) {
      await next();
      return;
    }
    const { raw, overflow } = await readBodyUpTo(ctx.req);
    if (overflow) {
      ctx.status = 400;
      ctx.body = { error: "invalid_request", error_description: "failed to parse the request body" };
      return;
    }
    const form = new URLSearchParams(raw.toString("utf8"));
    const token = form.get("token");
    if (token && looksLikeJws(token)) form.set("token", accessTokenId(token));
    const replaced = withBody(ctx.req, token && looksLikeJws(token) ? Buffer.from(form.toString(), "utf8") : raw);
    ctx.req = replaced;
    ctx.request.req = replaced;
    await next();
  });
}
