import type Provider from "oidc-provider";
import { goBytes, goMultipartForm, goParseForm, goReadsFormBody, goValuesEncode, utf8Text } from "@olympus/server-kit/go-url";
import { readBodyUpTo, withBody } from "../provider/replay-body";
import { looksLikeJws } from "./jws";
import { accessTokenId } from "./jwt-access-tokens";

/**
 * The revocation request's form as fosite's NewRevocationRequest reads it,
 * handed to oidc-provider, which does the revocation. fosite runs
 * r.ParseMultipartForm and reads r.PostForm: any body but a urlencoded or
 * a multipart one (JSON, none at all) leaves the form empty, and ParseForm's
 * own errors (a `;` or a bad escape) are hidden behind http.ErrNotMultipart
 * — the pairs that parsed are the form. An empty form is ErrInvalidRequest
 * ("The POST body can not be empty.", written bare by
 * WriteRevocationResponse) before the client is authenticated. The pairs
 * Go kept are passed on re-encoded (url.Values.Encode), so oidc-provider's
 * lenient parser sees exactly them. A multipart body stays oidc-provider's
 * (see the README's "Known differences").
 *
 * Hydra also revokes JWT access tokens like any other (fosite's
 * TokenRevocationHandler looks the token's session up by its signature);
 * oidc-provider refuses structured tokens at its revocation endpoint, so a
 * JWT is replaced by the id its row is stored under
 * (tokens/jwt-access-tokens.ts).
 */
export function installJwtRevocation(provider: Provider, path: string): void {
  provider.use(async (ctx, next) => {
    const contentType = ctx.get("content-type") || undefined;
    if (ctx.method !== "POST" || ctx.path !== path || goMultipartForm(contentType).kind === "multipart") {
      await next();
      return;
    }
    const refuse = () => {
      // Any invalid_request is written as the bare ErrInvalidRequest (provider/fosite-headers.ts).
      ctx.status = 400;
      ctx.body = { error: "invalid_request", error_description: "The POST body can not be empty." };
    };
    if (!goReadsFormBody(ctx.method, contentType)) {
      ctx.req.resume();
      refuse();
      return;
    }
    const { raw, overflow } = await readBodyUpTo(ctx.req);
    if (overflow) {
      ctx.status = 400;
      ctx.body = { error: "invalid_request", error_description: "failed to parse the request body" };
      return;
    }
    const form = goParseForm(ctx.method, contentType, raw, "").postForm;
    if (form.size === 0) {
      refuse();
      return;
    }
    const token = utf8Text(form.get("token")?.[0] ?? "");
    if (token && looksLikeJws(token)) form.set("token", [goBytes(accessTokenId(token))]);
    const replaced = withBody(ctx.req, Buffer.from(goValuesEncode(form), "latin1"));
    ctx.req = replaced;
    ctx.request.req = replaced;
    await next();
  });
}
