import { applyAdminCors } from "../cors/admin-cors";
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { posix } from "node:path";
import type { Deps } from "../deps";
import { HydraError, sendError, sendJson } from "../errors";
import { hardenParserErrors, requireHost, SERVER_OPTIONS, setSecurityHeaders } from "../hardening";
import { logRequests } from "../logging";
import type { RouteInfo } from "@olympus/server-kit/http";
import { isStorableQuery } from "@olympus/server-kit/text";
import { HEALTH_PATHS, HEALTH_ROUTES, handleHealth } from "../public/health";
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

const ADMIN_PREFIX = "/admin";
export { HYDRA_VERSION };
/** Hydra registers the health checks on the admin router too (SetHealthRoutes(admin, true)). */
const ADMIN_HEALTH_PATHS = new Map([...HEALTH_PATHS].map((path) => [`${ADMIN_PREFIX}${path}`, path]));

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer (.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const presented = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** The admin port: health (always open), then the bearer check, then Hydra's admin API. */
export function createAdminServer(deps: Deps, adminToken?: string): { server: Server; routes: RouteInfo[] } {
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
  // healthx SetVersionRoutes on the admin router (driver/registry_sql.go RegisterAdminRoutes).
  router.add("GET", "/admin/version", ({ res }) => {
    sendJson(res, 200, { version: HYDRA_VERSION });
    return Promise.resolve();
  });

  // Hydra instruments every admin route, health included, under its /admin pattern (prometheusx Instrument).
  const endpoints = new EndpointLabels([
    ...[...ADMIN_HEALTH_PATHS.keys()].map((pattern) => ({ methods: ["GET"], pattern })),
    ...router.list(),
  ]);
  const server = createServer(SERVER_OPTIONS, (req, res) => {
    setSecurityHeaders(res);
    logRequests(deps.logger, "admin", req, res);
    const url = new URL(req.url ?? "/", "http://placeholder");
    const routed = url.pathname.startsWith(ADMIN_PREFIX) ? url.pathname : posix.join(ADMIN_PREFIX, url.pathname);
    instrumentRequest(metricsOf(deps).http, endpoints, req, res, routed);
    const handle = async () => {
      requireHost(req);
      if (applyAdminCors(deps.config.serve.admin.cors, req, res)) return;
      if (!isStorableQuery(url.searchParams))
        throw HydraError.badRequest("The query contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
      if (HEALTH_PATHS.has(url.pathname)) return handleHealth(url.pathname, deps.db, res);
      // Hydra's admin server (cmd/server/handler.go, httprouterx.AddAdminPrefixIfNotPresentNegroni):
      // a path without the /admin prefix gets it, so /clients is /admin/clients.
      if (!url.pathname.startsWith(ADMIN_PREFIX)) url.pathname = posix.join(ADMIN_PREFIX, url.pathname);
      const health = ADMIN_HEALTH_PATHS.get(url.pathname);
      if (health && req.method === "GET") return handleHealth(health, deps.db, res);
      if (adminToken && !authorized(req, adminToken)) {
        res.setHeader("www-authenticate", 'Bearer realm="hydra-admin"');
        throw new HydraError(401, "unauthorized", "A valid admin bearer token is required.");
      }
      await router.dispatch(req, res, url);
    };
    handle().catch((error: unknown) =>
      sendError(res, error, (cause) =>
        deps.logger.log("error", "admin request failed", { error: String(cause), method: req.method, path: url.pathname }),
      ),
    );
  });
  const healthRoutes = [...ADMIN_HEALTH_PATHS.keys()].map((pattern) => ({ methods: ["GET"], pattern }));
  return { server: hardenParserErrors(server), routes: [...HEALTH_ROUTES, ...healthRoutes, ...router.list()] };
}
