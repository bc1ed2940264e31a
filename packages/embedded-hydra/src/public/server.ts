import { allowClientOrigins, applyPublicCors, hasOptionsHandler } from "../cors/public-cors";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Deps } from "../deps";
import { HydraError, sendError, sendJson, sendMarshaledJson } from "../errors";
import type { GoServerTimeouts, RouteInfo } from "@olympus/server-kit/http";
import { isStorableQuery } from "@olympus/server-kit/text";
import { serveAsGoNetHttp, refusedAsNetHttp, SERVER_OPTIONS, setHydraSecurityHeaders } from "../hardening";
import { applyNoCache } from "../cache-control";
import { logRequests } from "../logging";
import { EndpointLabels, instrumentRequest } from "../metrics/instrument";
import { metricsOf } from "../metrics/registry";
import { ROUTES } from "../provider/create-provider";
import { FALLBACK_ROUTES } from "./fallbacks";
import { HEALTH_PATHS, HEALTH_ROUTES, handleHealth } from "./health";
import { DISCOVERY_PATHS, mapHydraRequest } from "./hydra-paths";
import { REGISTRATION_PATH } from "./registration";
import { CREDENTIALS_PATH } from "../credentials/verifiable-credentials";
import { DEVICE_ROUTES } from "../device/routes";
import { goRedirect, requestTargetOf, RouteTable } from "@olympus/server-kit/http";
import { rawPathOf, redirectToCleanPath } from "../mux/go-mux";
import { muxPathOf } from "../mux/mux-path";
import { notFoundPage } from "../mux/not-found-page";
import { noteArrivedMethod } from "../provider/go-redirect-koa";

/** What the public port serves: health, and oidc-provider's endpoints under Hydra's paths (public-routes test, fuzz). */
export const PUBLIC_ROUTES: RouteInfo[] = [
  ...HEALTH_ROUTES,
  { methods: ["GET", "OPTIONS"], pattern: "/.well-known/openid-configuration" },
  { methods: ["GET", "OPTIONS"], pattern: "/.well-known/oauth-authorization-server" },
  { methods: ["GET", "OPTIONS"], pattern: ROUTES.jwks },
  { methods: ["GET", "POST"], pattern: ROUTES.authorization },
  { methods: ["GET"], pattern: `${ROUTES.authorization}/:uid` },
  { methods: ["POST", "OPTIONS"], pattern: ROUTES.token },
  { methods: ["POST", "OPTIONS"], pattern: ROUTES.revocation },
  { methods: ["GET", "POST", "OPTIONS"], pattern: ROUTES.userinfo },
  { methods: ["GET", "POST"], pattern: ROUTES.end_session },
  { methods: ["POST"], pattern: `${ROUTES.end_session}/confirm` },
  { methods: ["GET"], pattern: `${ROUTES.end_session}/success` },
  ...FALLBACK_ROUTES,
  ...DEVICE_ROUTES,
  { methods: ["POST"], pattern: REGISTRATION_PATH },
  { methods: ["POST", "OPTIONS"], pattern: CREDENTIALS_PATH },
  { methods: ["GET", "PUT", "DELETE"], pattern: `${REGISTRATION_PATH}/:id` },
];

/**
 * Hydra builds every URL it hands out (discovery endpoints, redirects) from
 * urls.self.public, whatever host a request arrived on: a relying party in
 * Node may call 127.0.0.1 while browsers use the public name, and both must
 * be sent to the same host or the browser's Hydra cookies go missing.
 * oidc-provider (proxy mode) builds them from the forwarded host, so pin it.
 */
function pinPublicOrigin(req: IncomingMessage, publicUrl: string): void {
  const origin = new URL(publicUrl);
  req.headers["x-forwarded-host"] = origin.host;
  req.headers["x-forwarded-proto"] = origin.protocol.replace(/:$/, "");
}

/**
 * Hydra's public mux (oryx/httprouterx on net/http's ServeMux): a GET route
 * serves HEAD too, and serverx.DefaultNotFoundHandler, registered for any
 * method at `/`, takes every request no route does — an unknown path and a
 * known one with another method alike (cmd/server/handler.go publicServer).
 */
const PUBLIC_TABLE = new RouteTable<true>({ emptySegments: "strict", headServedByGet: true, unstorableParam: "no-match" });
for (const route of PUBLIC_ROUTES) PUBLIC_TABLE.add(route.methods, route.pattern, true);

/** The public port: health, Hydra's browser-facing glue, then oidc-provider. */
export function createPublicServer(deps: Deps, timeouts?: GoServerTimeouts): Server {
  const publicEndpoints = new EndpointLabels(PUBLIC_ROUTES);
  const server = createServer(SERVER_OPTIONS, (req, res) => {
    // Go's net/http answers these before any handler, log line or metric.
    if (refusedAsNetHttp(req, res)) return;
    // Before a HEAD becomes the GET route's request: http.Redirect tells them apart.
    const arrivedMethod = req.method;
    noteArrivedMethod(res, arrivedMethod);
    setHydraSecurityHeaders(res);
    logRequests(deps.logger, "public", req, res);
    const raw = rawPathOf(req.url ?? "/");
    // TrimTrailingSlashNegroni (so `/` is the empty path, which the mux redirects to `/` again); the routes
    // see the path as the mux matches it, each segment decoded (mux/mux-path.ts).
    const { escaped, clean, routing: path } = muxPathOf(raw.path, { adminPrefix: false }, requestTargetOf(req));
    instrumentRequest(metricsOf(deps).http, publicEndpoints, req, res, path);
    const handle = async () => {
      // cmd/server/handler.go publicServer: NoCacheNegroni ahead of everything, on the method as it arrived (cache-control.ts).
      applyNoCache(req, res);
      if (applyPublicCors(deps, req, res, path)) return;
      // The routes Hydra wraps in its CORS middleware answer any other OPTIONS with handleOptions: 200, nothing written.
      if (req.method === "OPTIONS" && hasOptionsHandler(path)) {
        res.writeHead(200).end();
        return;
      }
      // ServeMux findHandler: a path that is not clean is redirected to its clean form, then the routes decide.
      if (clean !== escaped) return redirectToCleanPath(res, req.method ?? "", clean, raw.query);
      // The path was trimmed once already; a slash still trailing matches no route (the table would allow one).
      if (path.endsWith("/") || PUBLIC_TABLE.match(req.method ?? "", path).kind !== "found") return notFoundPage(req, res);
      // A HEAD taken by a GET route is that GET (Node leaves the body out of a HEAD answer by itself).
      if (req.method === "HEAD") req.method = "GET";
      if (path !== raw.path) req.url = raw.query ? `${path}?${raw.query}` : path;
      if (HEALTH_PATHS.has(path)) return handleHealth(path, deps.db, res);
      if (!isStorableQuery(new URL(req.url ?? "/", "http://placeholder").searchParams)) {
        throw HydraError.badRequest("The query contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
      }
      pinPublicOrigin(req, deps.publicUrl);
      // The client decision of the CORS middleware for the OAuth2 routes answered here (oidc-provider's: installProviderCors).
      if (DISCOVERY_PATHS.has(path) || path === CREDENTIALS_PATH) await allowClientOrigins(deps, req, res).catch(() => undefined);
      const mapping = await mapHydraRequest(deps, req, res, path);
      if (mapping.kind === "redirect") {
        // Hydra's own redirects are http.Redirect (302, its HTML note on a GET); fosite's 303 is Location only.
        if (mapping.status === 303) res.writeHead(303, { location: mapping.location, ...mapping.headers }).end();
        else goRedirect({ method: arrivedMethod, url: req.url }, res, mapping.location, 302, mapping.headers);
        return;
      }
      if (mapping.kind === "empty") {
        res.writeHead(mapping.status, mapping.headers ?? {}).end();
        return;
      }
      if (mapping.kind === "json") {
        (mapping.marshal ? sendMarshaledJson : sendJson)(res, mapping.status, mapping.body, mapping.headers ?? {});
        return;
      }
      if (mapping.kind === "pass" && mapping.req) {
        await deps.providerCallback()(mapping.req, res);
        return;
      }
      if (mapping.kind === "text") {
        res.writeHead(mapping.status, { "content-type": mapping.contentType, "content-length": Buffer.byteLength(mapping.body) });
        res.end(mapping.body);
        return;
      }
      if (mapping.kind === "html") {
        res.writeHead(mapping.status, { "content-type": "text/html; charset=utf-8", ...mapping.headers });
        res.end(mapping.body);
        return;
      }
      // Resolved per request: key rotation swaps in a new provider instance.
      await deps.providerCallback()(req, res);
    };
    handle().catch((error: unknown) =>
      sendError(res, error, (cause) => deps.logger.log("error", "public request failed", { error: String(cause) })),
    );
  });
  return serveAsGoNetHttp(server, timeouts);
}
