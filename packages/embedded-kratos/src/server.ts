import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { registerAdminIdentityRoutes } from "./admin/identities";
import { registerPublicRedirectsToAdmin } from "./admin/admin-redirects";
import { registerAdminRedirectsToPublic } from "./admin/public-redirects";
import { registerConfigHashRoute } from "./config/hash-route";
import { registerSchemaRoutes } from "./admin/schemas";
import { registerAdminSessionRoutes } from "./admin/sessions";
import type { KratosConfig } from "./config/load";
import { Courier } from "./courier/courier";
import { registerCourierAdminRoutes } from "./courier/handler";
import { smtpTransportOptions } from "./courier/smtp";
import { watchKratosConfig, type ConfigReloader } from "./config/reload";
import type { Deps } from "./deps";
import { WorkerPasswordHasher } from "./hashing/hasher";
import {
  answerExpectAsNetHttp,
  answerParserError,
  answerUnreadBodiesAsNetHttp,
  applyGoServerTimeouts,
  goCleanPathLocation,
  refusedAsNetHttp,
  SERVER_OPTIONS,
  setSecurityHeaders,
} from "@olympus/server-kit/http";
import { KRATOS_ADMIN_TIMEOUTS, KRATOS_PUBLIC_TIMEOUTS } from "./http/server-timeouts";
import { instrumentResponse, type ServerMetrics } from "@olympus/server-kit/metrics";
import { isStorableText } from "@olympus/server-kit/text";
import { HttpContext } from "./http/context";
import { applyCors } from "./http/cors";
import { CsrfManager } from "./http/csrf";
import { errors, KratosError } from "./http/errors";
import { createKratosMetrics, EndpointLabels, registerMetricsRoute } from "./http/metrics";
import { ADMIN_PREFIX, kratosMuxPath } from "./http/mux-path";
import { nosurfRefused } from "./http/nosurf";
import { Router } from "./http/router";
import type { Identity } from "./identity/identity";
import { IdentityManager } from "./identity/manager";
import { IdentityRepository } from "./identity/repository";
import { logInvalidIdentitySchemas } from "./identity/meta-schema";
import { SchemaRegistry } from "./identity/schema-registry";
import { ErrorManager } from "./selfservice/flow/error/manager";
import { registerErrorRoutes } from "./selfservice/flow/error/handler";
import { registerLoginRoutes } from "./selfservice/flow/login/handler";
import { registerLogoutRoutes } from "./selfservice/flow/logout/handler";
import { registerRecoveryRoutes } from "./selfservice/flow/recovery/handler";
import { registerRegistrationRoutes } from "./selfservice/flow/registration/handler";
import { FlowRepository } from "./selfservice/flow/repository";
import { ReturnToPolicy } from "./selfservice/flow/return-to";
import { registerSettingsRoutes } from "./selfservice/flow/settings/handler";
import { registerTokenExchangeRoute, sessionTokenExchangeMigrations } from "./selfservice/flow/token-exchange";
import { registerVerificationRoutes } from "./selfservice/flow/verification/handler";
import { unsupportedHooks } from "./selfservice/hook/registry";
import { ALL_STRATEGIES } from "./selfservice/strategy/all";
import { StrategyRegistry } from "./selfservice/strategy/registry";
import type { FlowDeps } from "./selfservice/flow/flow-deps";
import type { Strategy } from "./selfservice/strategy/strategy";
import { AalPolicy } from "./session/aal";
import { endpointDisabled } from "./selfservice/strategy/disabled-endpoint";
import { registerSessionRoutes } from "./session/handler";
import { SessionManager } from "./session/manager";
import { SessionRepository } from "./session/repository";
import { Database, isDatabaseUnavailable } from "./storage/database";
import { registerWebAuthnScriptRoute } from "./selfservice/strategy/webauthn/script";
import { coreMigrations, migrate } from "./storage/migrate";

export interface ServerOptions {
  config: KratosConfig;
  dsn: string;
  host: string;
  adminToken?: string;
  log: (line: string) => void;
  /** Test/bench hook: replace the strategy list. */
  strategies?: readonly Strategy[];
  /**
   * Servers already listening (created by `bindListeners`), used instead of
   * binding `serve.*.port`: for "any free port", the port is taken when it is
   * chosen, so no other process can be handed it in between.
   */
  listeners?: BoundListeners;
  /**
   * Watch these config files (in merge order, with the same overrides as at
   * start-up) and apply changes while running, as Kratos does. Absent: the
   * config stays as given.
   */
  reload?: { files: readonly string[]; overrides?: Record<string, unknown> };
}

/** The public and admin HTTP servers, bound before the configuration names their ports. */
export interface BoundListeners {
  public: Server;
  admin: Server;
}

/** Binds both servers on free ports now (port 0) and returns them with the ports the kernel gave. */
export async function bindListeners(host: string): Promise<{ listeners: BoundListeners; publicPort: number; adminPort: number }> {
  const listeners = { public: createServer(SERVER_OPTIONS), admin: createServer(SERVER_OPTIONS) };
  try {
    const publicPort = await listen(listeners.public, 0, host);
    const adminPort = await listen(listeners.admin, 0, host);
    return { listeners, publicPort, adminPort };
  } catch (error) {
    await Promise.all([closeServer(listeners.public), closeServer(listeners.admin)]);
    throw error;
  }
}

export interface RouteInfo {
  methods: string[];
  /** `/admin/identities/:id` style. */
  pattern: string;
}

export interface RunningServer {
  publicUrl: string;
  adminUrl: string;
  deps: FlowDeps;
  routes: { public: RouteInfo[]; admin: RouteInfo[] };
  close(): Promise<void>;
}

/** Builds the dependencies, runs migrations and starts the public and admin listeners. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, log } = options;
  const db = new Database(options.dsn);
  const strategies = new StrategyRegistry(config, options.strategies ?? ALL_STRATEGIES);
  let hasher: WorkerPasswordHasher | undefined;
  try {
    // Kratos checks the identity schemas in config.New, before it connects to the database.
    const schemas = await SchemaRegistry.load(config.identity.schemas, config.identity.default_schema_id, config.publicBaseUrl, {
      disallowPrivateIpRanges: config.clients.http.disallow_private_ip_ranges,
      privateIpExceptionUrls: config.clients.http.private_ip_exception_urls,
    });
    // Every known strategy's tables, as Kratos' migrations create them whatever the config: a code strategy
    // off at start-up still sends aal2 codes for an `address` (strategy/code/login.ts skipsEnabledCheck).
    const tables = (options.strategies ?? ALL_STRATEGIES).flatMap((s) => s.migrations ?? []);
    await migrate(db, [...coreMigrations(), ...sessionTokenExchangeMigrations, ...tables]);
    const identityRepository = new IdentityRepository(db);
    hasher = new WorkerPasswordHasher(config.hashers);
    const deps: FlowDeps = {
      config,
      db,
      schemas,
      identityRepository,
      identities: new IdentityManager(identityRepository, schemas, strategies.schemaIdentifierTypes()),
      sessions: new SessionManager(config, new SessionRepository(db)),
      aal: new AalPolicy(
        strategies.served.flatMap((s) =>
          s.credentialAal ? [{ id: s.id, credentialAal: (identity: Identity) => s.credentialAal?.(identity, config) }] : [],
        ),
      ),
      hasher,
      flows: new FlowRepository(db),
      errors: new ErrorManager(db, config),
      csrf: new CsrfManager(config),
      returnTo: new ReturnToPolicy(config),
      strategies,
      courier: new Courier(config, db, { log }),
      log,
    };
    for (const line of unsupportedHooks(config)) log(`embedded-kratos: hook not supported and skipped: ${line}`);

    const publicRouter = new Router();
    const adminRouter = new Router();
    registerPublicRoutes(publicRouter, deps);
    const metrics = createKratosMetrics();
    registerAdminRoutes(adminRouter, deps);
    registerMetricsRoute(adminRouter, metrics);
    for (const s of strategies.served) s.routes?.({ public: publicRouter, admin: adminRouter }, deps);
    for (const s of strategies.unserved)
      for (const route of s.guardedAdminRoutes ?? [])
        adminRouter.on(route.method, route.path, () => {
          throw endpointDisabled();
        });
    for (const s of strategies.served) await s.start?.(deps);
    deps.courier.start();

    const publicServer = options.listeners?.public ?? createServer(SERVER_OPTIONS);
    const adminServer = options.listeners?.admin ?? createServer(SERVER_OPTIONS);
    // One HTTPMetrics for both routers, each route instrumented under its pattern (serve.go httpMetrics).
    const publicMetrics = { metrics, endpoints: new EndpointLabels(publicRouter.list()) };
    const adminMetrics = { metrics, endpoints: new EndpointLabels(adminRouter.list()) };
    publicServer.on(
      "request",
      (req, res) => void handle(deps, publicRouter, req, res, config.publicBaseUrl, "public", options, publicMetrics),
    );
    adminServer.on("request", (req, res) => void handle(deps, adminRouter, req, res, config.adminBaseUrl, "admin", options, adminMetrics));
    for (const server of [publicServer, adminServer]) {
      server.on("clientError", answerParserError);
      answerExpectAsNetHttp(server);
      answerUnreadBodiesAsNetHttp(server);
    }
    applyGoServerTimeouts(publicServer, KRATOS_PUBLIC_TIMEOUTS);
    applyGoServerTimeouts(adminServer, KRATOS_ADMIN_TIMEOUTS);
    const publicPort = options.listeners
      ? (publicServer.address() as AddressInfo).port
      : await listen(publicServer, config.serve.public.port, options.host);
    const adminPort = options.listeners
      ? (adminServer.address() as AddressInfo).port
      : await listen(adminServer, config.serve.admin.port, options.host);

    const reloader: ConfigReloader | undefined = options.reload
      ? watchKratosConfig({
          files: options.reload.files,
          overrides: options.reload.overrides,
          config,
          log,
          // Checked before the swap, so a malformed URI is refused like at start-up instead of breaking the courier.
          validate: (next) => {
            const smtp = next.courier.smtp;
            if (smtp?.connection_uri) smtpTransportOptions(smtp.connection_uri, smtp.local_name);
          },
          inspect: (next) => logInvalidIdentitySchemas(next.identity.schemas, log),
        })
      : undefined;

    const cleanup = setInterval(() => {
      void deps.flows.deleteExpired().catch(() => {});
    }, 10 * 60_000);
    cleanup.unref();

    const displayHost = options.host === "0.0.0.0" || options.host === "" ? "127.0.0.1" : options.host;
    return {
      publicUrl: `http://${displayHost}:${publicPort}`,
      adminUrl: `http://${displayHost}:${adminPort}`,
      deps,
      routes: { public: publicRouter.list(), admin: adminRouter.list() },
      async close() {
        reloader?.close();
        clearInterval(cleanup);
        await Promise.all([closeServer(publicServer), closeServer(adminServer)]);
        for (const s of strategies.served) await s.stop?.();
        await deps.courier.stop();
        await hasher?.close();
        await db.close();
      },
    };
  } catch (error) {
    await hasher?.close();
    await db.close().catch(() => {});
    throw error;
  }
}

/** healthx's routes (and the version), under the router's prefix: `/admin` on the admin router. */
function registerHealth(router: Router, deps: Deps, prefix = ""): void {
  router.get(`${prefix}/health/alive`, (ctx) => ctx.json(200, { status: "ok" }));
  router.get(`${prefix}/health/ready`, async (ctx) => {
    if (await deps.db.ping()) ctx.json(200, { status: "ok" });
    else ctx.json(503, { errors: { database: "the database is not reachable" } });
  });
  router.get(`${prefix}/version`, (ctx) => ctx.json(200, { version: deps.config.version ?? "v0.0.0-embedded" }));
}

function registerPublicRoutes(router: Router, deps: FlowDeps): void {
  registerHealth(router, deps);
  // schema/handler.go RegisterPublicRoutes: the schemas are served under /admin on the public port too.
  registerSchemaRoutes(router, deps);
  registerSchemaRoutes(router, deps, ADMIN_PREFIX);
  registerSessionRoutes(router, deps);
  registerErrorRoutes(router, deps.errors);
  registerLoginRoutes(router, deps);
  registerRegistrationRoutes(router, deps);
  registerSettingsRoutes(router, deps);
  registerRecoveryRoutes(router, deps);
  registerVerificationRoutes(router, deps);
  registerLogoutRoutes(router, deps);
  registerTokenExchangeRoute(router, deps);
  registerWebAuthnScriptRoute(router);
  registerPublicRedirectsToAdmin(router, deps);
}

/** RegistryDefault.RegisterAdminRoutes: every route under /admin (the request's path gets the prefix in handle). */
function registerAdminRoutes(router: Router, deps: Deps): void {
  registerHealth(router, deps, ADMIN_PREFIX);
  registerConfigHashRoute(router, deps);
  registerAdminRedirectsToPublic(router, deps);
  registerAdminIdentityRoutes(router, deps);
  registerAdminSessionRoutes(router, deps);
  registerCourierAdminRoutes(router, deps);
}

/**
 * The admin paths Olympus's ADMIN_API_TOKEN does not guard: healthx's probes.
 * `/admin/health/config` is not one of them — it tells the config's revision
 * or a digest of the whole configuration, secrets included.
 */
const TOKEN_FREE_ADMIN_PATHS = new Set([`${ADMIN_PREFIX}/health/alive`, `${ADMIN_PREFIX}/health/ready`]);

async function handle(
  deps: Deps,
  router: Router,
  req: IncomingMessage,
  res: ServerResponse,
  baseUrl: string,
  which: "public" | "admin",
  options: ServerOptions,
  instrumented: { metrics: ServerMetrics; endpoints: EndpointLabels },
): Promise<void> {
  // Go's net/http answers these before any handler or log line (server.go conn.serve).
  if (refusedAsNetHttp(req, res)) return;
  const started = performance.now();
  setSecurityHeaders(res);
  const ctx = new HttpContext(req, res, baseUrl);
  try {
    if (which === "public" && applyCors(deps.config.serve.public.cors, req, res)) return;
    // serveAdmin's AddAdminPrefixIfNotPresentNegroni, then ServeMux's view of the path (http/mux-path.ts); routes match its clean form.
    const mux = kratosMuxPath(req, { adminPrefix: which === "admin" });
    if (mux.routing !== ctx.path) ctx.rewritePath(mux.routing);
    const clean = mux.clean === mux.escaped;
    if (
      which === "admin" &&
      options.adminToken &&
      !(clean && TOKEN_FREE_ADMIN_PATHS.has(ctx.path)) &&
      !bearerMatches(ctx, options.adminToken)
    ) {
      // The challenge RFC 6750 asks for, as the embedded Hydra sends it: a client (or a probe) can tell an admin API that wants a token from any other 401.
      res.setHeader("WWW-Authenticate", 'Bearer realm="kratos-admin"');
      throw errors.unauthorized("A valid admin API token is required (Authorization: Bearer <token>).");
    }
    if (ctx.search !== "")
      for (const [key, value] of ctx.query) {
        if (!isStorableText(key) || !isStorableText(value))
          throw errors.badRequest("The query contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates).");
      }
    const found = clean ? router.match(ctx.method, ctx.path) : undefined;
    const handler = found && router.take(ctx, found);
    // servePublic wraps the whole public router in nosurf: it runs before a route's answer and ServeMux's own.
    if (which === "public" && (await nosurfRefused(deps, ctx, mux))) return;
    if (handler === undefined) {
      // What ServeMux itself answers.
      if (found === undefined) ctx.redirect(goCleanPathLocation(mux.clean, mux.rawQuery), 301);
      else router.answerAsServeMux(ctx, found);
      return;
    }
    // httprouterx wraps each route's handler in Instrument: what the mux itself answers (404, 405) is not counted.
    const endpoint = instrumented.endpoints.label(ctx.method, ctx.path);
    instrumentResponse(instrumented.metrics.http, req, res, () => endpoint);
    // Kratos reads the identity schema at each use its flows make of it (forms, labels, body decoding).
    if (ctx.path.startsWith("/self-service/")) await deps.schemas.refresh();
    await handler(ctx);
  } catch (error) {
    await respondWithError(deps, ctx, error);
  } finally {
    if (!ctx.responded) ctx.error(errors.internal());
    options.log(`${ctx.method} ${ctx.path} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
  }
}

async function respondWithError(deps: Deps, ctx: HttpContext, error: unknown): Promise<void> {
  if (ctx.responded) return;
  if (error instanceof KratosError) {
    // Browser navigations to self-service endpoints see errors in the error UI, like Kratos' error manager.
    const browserNavigation =
      ctx.path.startsWith("/self-service/") &&
      !ctx.path.endsWith("/api") &&
      !ctx.path.endsWith("/flows") &&
      !ctx.isJsonRequest &&
      !ctx.path.startsWith("/self-service/errors");
    if (browserNavigation && error.code !== 404 && error.code !== 405 && error.code !== 413) {
      await deps.errors.forward(ctx, error).catch(() => ctx.error(error));
    } else ctx.error(error);
    return;
  }
  if (isDatabaseUnavailable(error)) {
    // Not a bug: Postgres is down or restarting. Clients retry; the pool reconnects by itself.
    deps.log(`embedded-kratos: database unavailable on ${ctx.method} ${ctx.path}: ${(error as Error).message}`);
    ctx.res.setHeader("Retry-After", "5");
    ctx.error(errors.databaseUnavailable());
    return;
  }
  deps.log(`embedded-kratos: internal error on ${ctx.method} ${ctx.path}: ${(error as Error).stack ?? String(error)}`);
  ctx.error(errors.internal());
}

function bearerMatches(ctx: HttpContext, token: string): boolean {
  const header = ctx.header("authorization") ?? "";
  const m = /^bearer\s+(.+)$/i.exec(header);
  if (!m?.[1]) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqualBuffers(a, b);
}

function timingSafeEqualBuffers(a: Buffer, b: Buffer): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host || undefined, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
