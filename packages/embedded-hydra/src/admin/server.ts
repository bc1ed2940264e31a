import { applyAdminCors } from "../cors/admin-cors";
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Deps } from "../deps";
import { HydraError, sendError, sendJson } from "../errors";
import { serveAsGoNetHttp, refusedAsNetHttp, SERVER_OPTIONS, setHydraSecurityHeaders } from "../hardening";
import { applyNoCache } from "../cache-control";
import { logRequests } from "../logging";
import { requestTargetOf, type GoServerTimeouts, type RouteInfo } from "@olympus/server-kit/http";
import { isStorableQuery } from "@olympus/server-kit/text";
import { goQueryParams } from "@olympus/server-kit/go-url";
import { HEALTH_PATHS, HEALTH_ROUTES, handleHealth } from "../public/health";
import { rawPathOf, redirectToCleanPath } from "../mux/go-mux";
import { muxPathOf } from "../mux/mux-path";
import { registerClientRoutes } from "./clients";
import { registerConsentRoutes } from "./consent";
import { registerIntrospectionRoutes } from "./introspect";
import { registerKeyRoutes } from "./keys";
import { registerLoginRoutes } from "./login";
import { registerLogoutRoutes } from "./logout";
import { AdminRouter } from "./router";
import { registerSessionRoutes } from "./sessions";
import { registerDeviceRoutes } from "../device/admin";
import { registerTrustRoutes } from "../trust/admin";
import { EndpointLabels, instrumentRequest } from "../metrics/instrument";
import { metricsOf, registerMetricsRoute } from "../metrics/registry";
import { HYDRA_VERSION } from "../version";
import { TrustRepository } from "../trust/repository";

export { HYDRA_VERSION };
/** Hydra registers the health checks on the admin router too (SetHealthRoutes(admin, true)). */
const ADMIN_HEALTH_PATHS = new Map([...HEALTH_PATHS].map((path) => [`/admin${path}`, path]));

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer (.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const presented = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** The admin port: health (always open), then the bearer check, then Hydra's admin API. */
export function createAdminServer(deps: Deps, adminToken?: string, timeouts?: GoServerTimeouts): { server: Server; routes: RouteInfo[] } {
  const router = new AdminRouter();
  registerClientRoutes(router, deps);
  registerLoginRoutes(router, deps);
  registerConsentRoutes(router, deps);
  registerLogoutRoutes(router, deps);
  registerSessionRoutes(router, deps);
  registerIntrospectionRoutes(router, deps);
  registerKeyRoutes(router, deps);
  registerDeviceRoutes(router, deps);
  registerTrustRoutes(router, new TrustRepository(deps.db));
  registerMetricsRoute(router, deps);
  // healthx SetHealthRoutes(admin, true): GET only, so another method is the mux's 405 (a GET is answered before the token check).
  for (const [pattern, path] of ADMIN_HEALTH_PATHS) router.add("GET", pattern, ({ res }) => handleHealth(path, deps.db, res));
  // healthx SetVersionRoutes on the admin router (driver/registry_sql.go RegisterAdminRoutes).
  router.add("GET", "/admin/version", ({ res }) => {
    sendJson(res, 200, { version: HYDRA_VERSION });
    return Promise.resolve();
  });

  // Hydra instruments every admin route, health included, under its /admin pattern (prometheusx Instrument).
  const endpoints = new EndpointLabels(router.list());
  const server = createServer(SERVER_OPTIONS, (req, res) => {
    // Go's net/http answers these before any handler, log line or metric.
    if (refusedAsNetHttp(req, res)) return;
    setHydraSecurityHeaders(res);
    logRequests(deps.logger, "admin", req, res);
    // cmd/server/handler.go adminServer: TrimTrailingSlashNegroni, then AddAdminPrefixIfNotPresentNegroni
    // (/clients is /admin/clients, / is /admin), then the mux routes on the cleaned path (mux/mux-path.ts).
    const raw = rawPathOf(req.url ?? "/");
    const { escaped: routed, clean, routing } = muxPathOf(raw.path, { adminPrefix: true }, requestTargetOf(req));
    const url = new URL("http://placeholder");
    url.pathname = clean;
    url.search = raw.query;
    instrumentRequest(metricsOf(deps).http, endpoints, req, res, routing);
    const handle = async () => {
      // cmd/server/handler.go adminServer: NoCacheNegroni ahead of everything (cache-control.ts).
      applyNoCache(req, res);
      if (applyAdminCors(deps.config.serve.admin.cors, req, res)) return;
      // Only what Go's r.URL.Query() reads reaches a handler (query.ts: a pair with `;` or a bad escape is dropped).
      if (!isStorableQuery(goQueryParams(url.search)))
        throw HydraError.badRequest("The query contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
      // healthx SetHealthRoutes(admin): GET (and so HEAD) only, open without the admin token.
      const health = ADMIN_HEALTH_PATHS.get(routing);
      if (health && clean === routed && (req.method === "GET" || req.method === "HEAD")) return handleHealth(health, deps.db, res);
      if (adminToken && !authorized(req, adminToken)) {
        res.setHeader("www-authenticate", 'Bearer realm="hydra-admin"');
        throw new HydraError(401, "unauthorized", "A valid admin bearer token is required.");
      }
      // ServeMux findHandler: a path that is not clean is redirected to its clean form.
      if (clean !== routed) return redirectToCleanPath(res, req.method ?? "", clean, raw.query);
      await router.dispatch(req, res, url, routing);
    };
    handle().catch((error: unknown) =>
      sendError(res, error, (cause) =>
        deps.logger.log("error", "admin request failed", { error: String(cause), method: req.method, path: url.pathname }),
      ),
    );
  });
  return { server: serveAsGoNetHttp(server, timeouts), routes: [...HEALTH_ROUTES, ...router.list()] };
}
