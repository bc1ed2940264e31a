import { goPathClean, requestTargetOf } from "@olympus/server-kit/http";
import { goBytes, goEscapedPath } from "@olympus/server-kit/go-url";
import type { Deps } from "../deps";
import type { HttpContext } from "../http/context";
import { ADMIN_PREFIX } from "../http/mux-path";
import type { Router } from "../http/router";

/**
 * x/redir RedirectToAdminRoute: r.URL with the admin base URL's scheme and
 * host, its Path without a leading `/admin` joined under the base URL's
 * path and `/admin` (path.Join), the query as sent, answered with
 * http.Redirect's 307. Go's URL.String keeps the path as sent where it
 * still spells the new Path (EscapedPath), else escapes the new Path.
 */
export function redirectToAdminRoute(deps: Pick<Deps, "config">, ctx: HttpContext): void {
  const base = new URL(deps.config.adminBaseUrl);
  const target = requestTargetOf(ctx.req);
  if (!target.ok) return ctx.text(400, "400 Bad Request");
  const { url } = target;
  const trimmed = url.path.startsWith(ADMIN_PREFIX) ? url.path.slice(ADMIN_PREFIX.length) : url.path;
  const path = goPathClean(`${goBytes(decodeURIComponent(base.pathname))}/${ADMIN_PREFIX}/${trimmed}`);
  const query = url.forceQuery || url.rawQuery !== "" ? `?${url.rawQuery}` : "";
  ctx.redirect(`${base.protocol}//${base.host}${goEscapedPath({ ...url, path })}${query}`, 307);
}

/**
 * The public routes Kratos sends to the admin port: identity/handler.go
 * (with and without `/admin`), courier/handler.go, session/handler.go's
 * `DELETE /identities/{id}/sessions` and the admin recovery routes of
 * strategy/code and strategy/link (RegisterPublicRoutes).
 */
const ADMIN_ROUTES: readonly [method: string, path: string][] = [
  ...["", ADMIN_PREFIX].flatMap((prefix): [string, string][] => [
    ["GET", `${prefix}/identities`],
    ["GET", `${prefix}/identities/by/external/:externalId`],
    ["GET", `${prefix}/identities/:id`],
    ["DELETE", `${prefix}/identities/:id`],
    ["POST", `${prefix}/identities`],
    ["PUT", `${prefix}/identities/:id`],
    ["PATCH", `${prefix}/identities/:id`],
    ["DELETE", `${prefix}/identities/:id/credentials/:type`],
  ]),
  ["GET", `${ADMIN_PREFIX}/courier/messages`],
  ["GET", `${ADMIN_PREFIX}/courier/messages/:id`],
  ["DELETE", "/identities/:id/sessions"],
  ["POST", "/recovery/code"],
  ["POST", "/recovery/link"],
];

export function registerPublicRedirectsToAdmin(router: Router, deps: Pick<Deps, "config">): void {
  for (const [method, path] of ADMIN_ROUTES) router.on(method, path, (ctx) => redirectToAdminRoute(deps, ctx));
}
