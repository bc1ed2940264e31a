import type Provider from "oidc-provider";
import { discardUnreadBody } from "@olympus/server-kit/http";
import {
  goBytes,
  goMultipartForm,
  goParseForm,
  goParseQuery,
  goReadsFormBody,
  goValuesEncode,
  utf8Text,
  type GoValues,
} from "@olympus/server-kit/go-url";
import { multipartValues } from "../http";
import { readBodyUpTo, withBody } from "../provider/replay-body";
import { looksLikeJws } from "./jws";
import { accessTokenId } from "./jwt-access-tokens";

const EMPTY = "The POST body can not be empty.";
const UNPARSABLE = "Unable to parse HTTP body, make sure to send a properly formatted form request body.";

/**
 * r.PostForm after ParseMultipartForm of a multipart body: its non-file
 * values; undefined for ParseMultipartForm's error — a body that does not
 * parse, or ParseForm's own error, the URL query's (`rawQuery`).
 */
async function multipartPostForm(raw: Buffer, contentType: string, rawQuery: string): Promise<GoValues | undefined> {
  if (goParseQuery(goBytes(rawQuery)).error !== undefined) return undefined;
  const parts = await multipartValues(raw, contentType);
  if (parts === undefined) return undefined;
  const form: GoValues = new Map();
  for (const [key, value] of parts) form.set(goBytes(key), [...(form.get(goBytes(key)) ?? []), goBytes(value)]);
  return form;
}

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
 * lenient parser sees exactly them, as a plain urlencoded body (also when
 * Go read it under a Content-Type whose parameters mime refuses, or it was
 * multipart: ParseMultipartForm's values, where a body that does not parse,
 * a missing boundary or a query ParseForm refuses is ErrInvalidRequest).
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
    if (ctx.method !== "POST" || ctx.path !== path) {
      await next();
      return;
    }
    const refuse = (description: string) => {
      // Any invalid_request is written as the bare ErrInvalidRequest (provider/fosite-headers.ts).
      ctx.status = 400;
      ctx.body = { error: "invalid_request", error_description: description };
    };
    const multipart = goMultipartForm(contentType);
    if (multipart.kind === "error" || (multipart.kind === "not-multipart" && !goReadsFormBody(ctx.method, contentType))) {
      await discardUnreadBody(ctx.req);
      refuse(multipart.kind === "error" ? UNPARSABLE : EMPTY);
      return;
    }
    let read: { raw: Buffer; overflow: boolean };
    try {
      read = await readBodyUpTo(ctx.req);
    } catch {
      // The read failed (a body later than ReadTimeout): ReadForm's error is fosite's refusal; ParseForm's is
      // dropped with ErrNotMultipart, leaving r.PostForm empty.
      refuse(multipart.kind === "multipart" ? UNPARSABLE : EMPTY);
      return;
    }
    const { raw, overflow } = read;
    if (overflow) {
      refuse("failed to parse the request body");
      return;
    }
    const form =
      multipart.kind === "multipart"
        ? await multipartPostForm(raw, contentType ?? "", ctx.querystring)
        : goParseForm(ctx.method, contentType, raw, "").postForm;
    if (form === undefined) {
      refuse(UNPARSABLE);
      return;
    }
    if (form.size === 0) {
      refuse(EMPTY);
      return;
    }
    const token = utf8Text(form.get("token")?.[0] ?? "");
    if (token && looksLikeJws(token)) form.set("token", [goBytes(accessTokenId(token))]);
    const replaced = withBody(ctx.req, Buffer.from(goValuesEncode(form), "latin1"));
    replaced.headers["content-type"] = "application/x-www-form-urlencoded";
    ctx.req = replaced;
    ctx.request.req = replaced;
    await next();
  });
}
