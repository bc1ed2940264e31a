import type { ServerResponse } from "node:http";
import type { KoaContextWithOIDC } from "oidc-provider";
import { goRedirectAnswer } from "@olympus/server-kit/http";

/**
 * The method each request arrived with, by its response: the public server
 * hands oidc-provider a HEAD as the GET route's request and a posted
 * authorization request as a GET (public/server.ts, posted-form.ts), while
 * http.Redirect answers by the method Go's handler saw.
 */
const arrivedMethods = new WeakMap<ServerResponse, string>();

export function noteArrivedMethod(res: ServerResponse, method: string | undefined): void {
  if (method !== undefined) arrivedMethods.set(res, method);
}

/** What of a Koa context (oidc-provider's or a plain middleware's) the redirect writes. */
type KoaRedirectContext = Pick<KoaContextWithOIDC, "res" | "method" | "path" | "status" | "body" | "type" | "set" | "remove">;

/**
 * net/http's Redirect with 302 in place of Koa's ctx.redirect (its own
 * status, "Redirecting to …" text and Content-Type): Location, and on a
 * GET text/html with the HTML note, on a HEAD the Content-Type alone (and
 * no Content-Length), on a POST neither (server-kit goRedirectAnswer).
 */
export function goRedirectInKoa(ctx: KoaRedirectContext, url: string): void {
  const method = arrivedMethods.get(ctx.res) ?? ctx.method;
  const answer = goRedirectAnswer(method, ctx.path, url, 302);
  ctx.status = 302;
  ctx.set("Location", answer.location);
  ctx.body = answer.body;
  if (answer.contentType) ctx.type = answer.contentType;
  else ctx.remove("Content-Type");
  // Go's server gives a HEAD answer with nothing written no Content-Length (chunkWriter.writeHeader:
  // `!isHEAD || len(p) > 0`); Koa set one for the empty body, and Node leaves the header out only when unset.
  if (method === "HEAD") ctx.remove("Content-Length");
}
