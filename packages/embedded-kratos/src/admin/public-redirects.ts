import { goPathClean } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import type { HttpContext } from "../http/context";
import { ADMIN_PREFIX } from "../http/mux-path";
import type { Router } from "../http/router";

/**
 * x/redir RedirectToPublicRoute: the request URL with the public base URL's
 * scheme and host, its path without the `/admin` prefix joined to the base
 * URL's path, the query as sent, answered with http.Redirect's 307.
 */
export function redirectToPublicRoute(deps: Pick<Deps, "config">, ctx: HttpContext): void {
  const base = new URL(deps.config.publicBaseUrl);
  const path = ctx.path.startsWith(ADMIN_PREFIX) ? ctx.path.slice(ADMIN_PREFIX.length) : ctx.path;
  const target = ctx.req.url ?? "";
  const queryAt = target.indexOf("?");
  // url.URL.String: `?` and RawQuery, also when the query is empty but was sent (ForceQuery).
  const query = queryAt === -1 ? "" : target.slice(queryAt);
  ctx.redirect(`${base.protocol}//${base.host}${goPathClean(`${base.pathname}/${path}`)}${query}`, 307);
}

/** The routes of a self-service flow handler's RegisterAdminRoutes (selfservice/flow/<flow>/handler.go). */
const FLOW_ROUTES: readonly [method: string, path: string][] = ["login", "registration", "settings", "recovery", "verification"].flatMap(
  (flow): [string, string][] => [
    ["GET", `/self-service/${flow}/browser`],
    ["GET", `/self-service/${flow}/api`],
    ["GET", `/self-service/${flow}/flows`],
    ["GET", `/self-service/${flow}`],
    ["POST", `/self-service/${flow}`],
  ],
);

/**
 * Every admin route Kratos sends to the public port (RegistryDefault.
 * RegisterAdminRoutes): the self-service flows (login, registration,
 * settings, recovery, verification: init, fetch and submit; logout's
 * selfservice/flow/logout/handler.go), the error fetch
 * (selfservice/errorx/handler.go), the identity schemas
 * (schema/handler.go) and `DELETE /sessions` (session/handler.go).
 * `GET /admin/sessions/whoami` is getSession's own redirect.
 */
const PUBLIC_ROUTES: readonly [method: string, path: string][] = [
  ...FLOW_ROUTES,
  ["GET", "/self-service/logout/browser"],
  ["DELETE", "/self-service/logout/api"],
  ["GET", "/self-service/logout"],
  ["GET", "/self-service/errors"],
  ["GET", "/schemas"],
  ["GET", "/schemas/:id"],
  ["DELETE", "/sessions"],
];

export function registerAdminRedirectsToPublic(router: Router, deps: Pick<Deps, "config">): void {
  for (const [method, path] of PUBLIC_ROUTES) router.on(method, `${ADMIN_PREFIX}${path}`, (ctx) => redirectToPublicRoute(deps, ctx));
}
