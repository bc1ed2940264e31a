import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { Deps } from "../deps";
import { findToken } from "../admin/introspect";
import { accessTokenFromRequest } from "../fosite-access-token";
import { ROUTES } from "../provider/create-provider";
import { assertionFormClientId } from "../provider/assertion-authentication";
import { TokenLookup } from "../storage/token-lookup";
import { HEALTH_PATHS } from "../public/health";
import { CREDENTIALS_PATH } from "../credentials/verifiable-credentials";
import { compileGlob } from "./glob";
import { applyHeaderLines, RsCors, type HeaderLines } from "./rs-cors";

/**
 * The public routes Hydra wraps in x/oauth2cors Middleware (oauth2/handler.go
 * and jwk/handler.go SetPublicRoutes), by path and method. A Go ServeMux
 * `GET` pattern takes HEAD too.
 */
const OAUTH2_CORS_ROUTES = new Map<string, Set<string>>([
  [ROUTES.token, new Set(["OPTIONS", "POST"])],
  [ROUTES.revocation, new Set(["OPTIONS", "POST"])],
  ["/.well-known/openid-configuration", new Set(["OPTIONS", "GET", "HEAD"])],
  ["/.well-known/oauth-authorization-server", new Set(["OPTIONS", "GET", "HEAD"])],
  [ROUTES.userinfo, new Set(["OPTIONS", "GET", "HEAD", "POST"])],
  [ROUTES.jwks, new Set(["OPTIONS", "GET", "HEAD"])],
  [CREDENTIALS_PATH, new Set(["OPTIONS", "POST"])],
]);

/** Whether Hydra answers an OPTIONS to this path with handleOptions (an empty 200). */
export function hasOptionsHandler(path: string): boolean {
  return OAUTH2_CORS_ROUTES.has(path);
}

/** x/oauth2cors: `scheme://*` becomes `scheme://**` (any host), then a glob over the lower-cased origin. */
function originGlob(origin: string): RegExp | undefined {
  const separator = origin.indexOf("://");
  const widened = separator >= 0 && origin.slice(separator + 3) === "*" ? `${origin.slice(0, separator)}://**` : origin;
  return compileGlob(widened.toLowerCase());
}

interface PublicCors {
  outer: RsCors;
  inner: RsCors;
  /** serve.public.cors.allowed_origins empty or holding `*`. */
  alwaysAllow: boolean;
  patterns: RegExp[];
  lookup: TokenLookup;
}

const instances = new WeakMap<Deps, PublicCors | null>();

function publicCorsOf(deps: Deps): PublicCors | undefined {
  let instance = instances.get(deps);
  if (instance === undefined) {
    const options = deps.config.serve.public.cors;
    const origins = options.allowed_origins;
    instance = options.enabled
      ? {
          outer: new RsCors(options),
          inner: new RsCors(options, true),
          alwaysAllow: origins.length === 0 || origins.includes("*"),
          // Hydra logs a pattern that does not compile and skips it.
          patterns: origins.map(originGlob).filter((pattern): pattern is RegExp => pattern !== undefined),
          lookup: new TokenLookup(deps.db),
        }
      : null;
    instances.set(deps, instance);
  }
  return instance ?? undefined;
}

/**
 * Responses whose CORS headers wait for the client's `allowed_cors_origins`
 * (by response: oidc-provider's request may be a stand-in, tokens/revocation.ts).
 */
const awaitingClient = new WeakSet<ServerResponse>();

/**
 * serve.public.cors as Hydra's public port applies it: disabled, nothing.
 * Enabled, the port's rs/cors middleware (cmd/server/handler.go
 * publicServer) answers every preflight itself (204) and adds its headers
 * to every other request; the health routes add them once more
 * (driver/registry_sql.go addPublicCORSOnHandler); the OAuth2 routes pass
 * through x/oauth2cors Middleware, which allows the configured origins as
 * globs, any OPTIONS, and otherwise the origins of the client the request
 * names — decided by {@link allowClientOrigins} once the client is known.
 * Returns true when the request has been answered.
 */
export function applyPublicCors(deps: Deps, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const cors = publicCorsOf(deps);
  if (!cors) return false;
  const headers: HeaderLines = new Map();
  if (RsCors.isPreflight(req)) {
    cors.outer.preflight(req, headers);
    applyHeaderLines(res, headers);
    res.writeHead(204).end();
    return true;
  }
  cors.outer.actual(req, headers);
  if (HEALTH_PATHS.has(path)) cors.outer.actual(req, headers);
  if (OAUTH2_CORS_ROUTES.get(path)?.has(req.method ?? "")) {
    const origin = (req.headers.origin ?? "").toLowerCase();
    const allowed = cors.alwaysAllow || cors.patterns.some((pattern) => pattern.test(origin)) || req.method === "OPTIONS";
    cors.inner.actual(req, headers, allowed);
    if (!allowed && origin !== "" && cors.inner.methodAllowed(req.method ?? "")) awaitingClient.add(res);
  }
  applyHeaderLines(res, headers);
  return false;
}

/** Go's r.BasicAuth() user name: `Basic base64(user:password)`. */
function basicAuthUser(req: IncomingMessage): string {
  const [scheme, value] = (req.headers.authorization ?? "").split(" ", 2);
  if (scheme !== "Basic" || !value) return "";
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 ? decoded.slice(0, colon) : "";
}

/** fosite AccessTokenFromRequest over the URL's query (the body is the handler's to read here). */
function bearerToken(req: IncomingMessage): string {
  return accessTokenFromRequest(req, new URL(req.url ?? "/", "http://placeholder").search);
}

/**
 * The rest of x/oauth2cors' AllowOriginRequestFunc for a request
 * {@link applyPublicCors} left undecided: the client is the form's
 * `client_id`, else the Basic user name, else the client of the Bearer
 * access token (which must be valid); its `allowed_cors_origins` (`*` or
 * globs) decide.
 */
export async function allowClientOrigins(deps: Deps, req: IncomingMessage, res: ServerResponse, formClientId = ""): Promise<void> {
  const cors = publicCorsOf(deps);
  if (!cors || !awaitingClient.has(res) || res.headersSent) return;
  awaitingClient.delete(res);
  let clientId = formClientId || basicAuthUser(req);
  if (!clientId) {
    const token = bearerToken(req);
    if (!token) return;
    // x/oauth2cors: a token that fails introspection (a signature mismatch too) names no client.
    clientId = (await findToken(deps, cors.lookup, token).catch(() => undefined))?.token.clientId ?? "";
    if (!clientId) return;
  }
  const client = await deps.clients.get(clientId);
  if (!client) return;
  const origin = (req.headers.origin ?? "").toLowerCase();
  const allowed = client.data.allowed_cors_origins.some((entry) => entry === "*" || originGlob(entry)?.test(origin) === true);
  if (!allowed || res.headersSent) return;
  const headers: HeaderLines = new Map();
  cors.inner.allow(req.headers.origin ?? "", headers);
  applyHeaderLines(res, headers);
}

/** The CORS headers (and Vary) this server has put on a response, to restore after oidc-provider's own CORS code ran. */
export function corsHeadersOf(res: ServerResponse): [string, string | number | string[]][] {
  return res
    .getHeaderNames()
    .filter((name) => name === "vary" || name.startsWith("access-control-"))
    .map((name): [string, string | number | string[]] => [name, res.getHeader(name) ?? ""]);
}

/** Drops whatever CORS headers oidc-provider set and puts back this server's (Hydra's) own. */
export function restoreCorsHeaders(res: ServerResponse, ours: [string, string | number | string[]][]): void {
  if (res.headersSent) return;
  for (const name of res.getHeaderNames()) if (name === "vary" || name.startsWith("access-control-")) res.removeHeader(name);
  for (const [name, value] of ours) res.setHeader(name, value);
}

/**
 * oidc-provider answers CORS on its endpoints by itself (allowing any
 * origin); Hydra's rules are this server's: whatever oidc-provider set is
 * replaced by what {@link applyPublicCors} put on the response, then the
 * client decision is taken with the form oidc-provider has parsed.
 */
export function installProviderCors(provider: Provider, deps: Deps): void {
  provider.use(async (ctx, next) => {
    const ours = corsHeadersOf(ctx.res);
    await next();
    restoreCorsHeaders(ctx.res, ours);
    const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
    const clientId: unknown = oidc?.body?.client_id ?? assertionFormClientId(ctx);
    // As Hydra's AllowOriginRequestFunc: a client that cannot be looked up allows nothing.
    await allowClientOrigins(deps, ctx.req, ctx.res, typeof clientId === "string" ? clientId : "").catch(() => undefined);
  });
}
