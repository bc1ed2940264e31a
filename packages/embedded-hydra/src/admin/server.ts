import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { HydraContext } from "../context";
import { HydraError, sendError } from "../errors";
import { hardenParserErrors, requireHost, SERVER_OPTIONS, setSecurityHeaders } from "../hardening";
import { logRequests } from "../logging";
import { isStorableQuery } from "../storable";
import { HEALTH_PATHS, HEALTH_ROUTES, handleHealth } from "../public/health";
import { registerClientRoutes } from "./clients";
import { registerConsentRoutes } from "./consent";
import { registerIntrospectionRoutes } from "./introspect";
import { registerKeyRoutes } from "./keys";
import { registerLoginRoutes } from "./login";
import { registerLogoutRoutes } from "./logout";
import { AdminRouter, type RouteInfo } from "./router";
import { registerSessionRoutes } from "./sessions";

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer (.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const presented = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** The admin port: health (always open), then the bearer check, then Hydra's admin API. */
export function createAdminServer(hctx: HydraContext, adminToken?: string): { server: Server; routes: RouteInfo[] } {
  const router = new AdminRouter();
  registerClientRoutes(router, hctx);
  registerLoginRoutes(router, hctx);
  registerConsentRoutes(router, hctx);
  registerLogoutRoutes(router, hctx);
  registerSessionRoutes(router, hctx);
  registerIntrospectionRoutes(router, hctx);
  registerKeyRoutes(router, hctx);

  const server = createServer(SERVER_OPTIONS, (req, res) => {
    setSecurityHeaders(res);
    logRequests(hctx.logger, "admin", req, res);
    const url = new URL(req.url ?? "/", "http://placeholder");
    const handle = async () => {
      requireHost(req);
      if (!isStorableQuery(url.searchParams)) throw HydraError.badRequest("The query contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
      if (HEALTH_PATHS.has(url.pathname)) return handleHealth(url.pathname, hctx.db, res);
      if (adminToken && !authorized(req, adminToken)) {
        res.setHeader("www-authenticate", 'Bearer realm="hydra-admin"');
        throw new HydraError(401, "unauthorized", "A valid admin bearer token is required.");
      }
      await router.dispatch(req, res, url);
    };
    handle().catch((error: unknown) =>
      sendError(res, error, (cause) => hctx.logger.log("error", "admin request failed", { error: String(cause) })),
    );
  });
  return { server: hardenParserErrors(server), routes: [...HEALTH_ROUTES, ...router.list()] };
}
