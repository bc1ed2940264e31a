import { installProviderCors } from "./cors/public-cors";
import { installAssertionAuthentication } from "./provider/assertion-authentication";
import type { Server } from "node:http";
import type Provider from "oidc-provider";
import { loadHydraConfig, withDevCookieNames, type HydraConfig } from "./config/load";
import type { Deps } from "./deps";
import { createLogger, type Logger } from "./logging";
import { createAdminServer } from "./admin/server";
import { resolveUrls as resolveUiUrls } from "./public/fallbacks";
import { createPublicServer, PUBLIC_ROUTES } from "./public/server";
import type { GoServerTimeouts, RouteInfo } from "@olympus/server-kit/http";
import { createProvider } from "./provider/create-provider";
import { ClientRepository } from "./clients/repository";
import { createPool } from "./storage/db";
import { FlowRepository } from "./flows/repository";
import { ACCESS_TOKEN_KEY_SET, ID_TOKEN_KEY_SET, KeyRepository } from "./keys/repository";
import { deleteExpired, runMigrations } from "./storage/migrations";
import { SessionRepository } from "./sessions/repository";

export interface EmbeddedHydraOptions {
  /** Path of a Hydra YAML config (e.g. platform/dev/ciam-hydra/hydra.yml). */
  configPath: string;
  /** Overrides `dsn` from the file. */
  dsn?: string;
  publicPort?: number;
  adminPort?: number;
  /** Overrides urls.self.issuer; derived as http://127.0.0.1:<publicPort>/ when only the port is overridden. */
  issuer?: string;
  /** When set, every /admin request needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  logger?: Logger;
  /** How often expired rows (tokens, codes, sessions, challenges) are deleted; default one minute. */
  cleanupIntervalMs?: number;
  /**
   * Replaces Hydra's fixed net/http timeouts (hardening.ts HYDRA_SERVER_TIMEOUTS). Hydra has no setting for
   * them; only tests use this, where a loaded machine must not turn slow key generation into a cut answer.
   */
  serverTimeouts?: GoServerTimeouts;
  /** Hydra's `serve all --dev`: cookie names end in `_dev` (driver/config/provider.go cookieSuffix). */
  dev?: boolean;
}

export interface EmbeddedHydra {
  publicUrl: string;
  adminUrl: string;
  issuer: string;
  /** The routes each port serves (`/admin/clients/:id` patterns). */
  routes: { public: RouteInfo[]; admin: RouteInfo[] };
  close(): Promise<void>;
}

const CLEANUP_INTERVAL_MS = 60_000;

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(address && typeof address === "object" ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function resolveUrls(config: HydraConfig, options: EmbeddedHydraOptions, publicPort: number) {
  const portOverridden = options.publicPort !== undefined;
  const issuer = withSlash(
    options.issuer ?? (portOverridden ? `http://127.0.0.1:${publicPort}/` : (config.urls.self.issuer ?? `http://127.0.0.1:${publicPort}/`)),
  );
  const publicUrl = options.issuer || portOverridden ? issuer : withSlash(config.urls.self.public ?? issuer);
  return { issuer, publicUrl };
}

/** Starts one Hydra-compatible instance (public + admin ports) for one domain's config. */
export async function startEmbeddedHydra(options: EmbeddedHydraOptions): Promise<EmbeddedHydra> {
  const loaded = await loadHydraConfig(options.configPath);
  const config = options.dev ? withDevCookieNames(loaded) : loaded;
  const dsn = options.dsn ?? config.dsn;
  if (!dsn) throw new Error(`no database: set "dsn" in ${options.configPath} or pass the dsn option (DSN env in the CLI)`);
  const host = options.host ?? "127.0.0.1";
  const publicPort = options.publicPort ?? config.serve.public.port;
  const adminPort = options.adminPort ?? config.serve.admin.port;
  const { issuer, publicUrl } = resolveUrls(config, options, publicPort);
  const logger = options.logger ?? createLogger(config.log.format === "text" ? "text" : "json");

  const db = createPool(dsn);
  try {
    await runMigrations(db.pool);
  } catch (error) {
    await db.close();
    throw error;
  }
  const keys = new KeyRepository(db);
  let current: { provider: Provider; callback: ReturnType<Deps["providerCallback"]> } | undefined;

  const deps: Deps = {
    config,
    issuer,
    publicUrl,
    urls: resolveUiUrls(config, publicUrl),
    db,
    clients: new ClientRepository(db),
    flows: new FlowRepository(db, config.secrets.system),
    sessions: new SessionRepository(db),
    keys,
    logger,
    provider: () => {
      if (!current) throw new Error("provider not ready");
      return current.provider;
    },
    providerCallback: () => {
      if (!current) throw new Error("provider not ready");
      return current.callback;
    },
    reloadProvider: async () => {
      // Hydra generates either set when it first needs it; both are ready before anything is served.
      // Both at once: on a fresh database each generates an RSA-4096 key on Node's thread pool.
      const [accessTokenKeys, idTokenKeys] = await Promise.all([keys.ensure(ACCESS_TOKEN_KEY_SET), keys.ensure(ID_TOKEN_KEY_SET)]);
      const provider = createProvider(deps, { idToken: idTokenKeys, accessToken: accessTokenKeys });
      installProviderCors(provider, deps);
      // Inside the CORS middleware, so its refusals carry Hydra's CORS headers too.
      installAssertionAuthentication(provider, deps);
      current = { provider, callback: provider.callback() };
    },
  };
  await deps.reloadProvider();

  const publicServer = createPublicServer(deps, options.serverTimeouts);
  const { server: adminServer, routes: adminRoutes } = createAdminServer(deps, options.adminToken, options.serverTimeouts);
  let boundPublic: number;
  let boundAdmin: number;
  try {
    boundPublic = await listen(publicServer, publicPort, host);
    boundAdmin = await listen(adminServer, adminPort, host);
  } catch (error) {
    await Promise.all([closeServer(publicServer), closeServer(adminServer)]);
    await db.close();
    throw error;
  }

  const cleanup = setInterval(() => {
    deleteExpired(db.pool).catch((error: unknown) => logger.log("warn", "expired-row cleanup failed", { error: String(error) }));
  }, options.cleanupIntervalMs ?? CLEANUP_INTERVAL_MS);
  cleanup.unref();

  const displayHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  logger.log("info", "embedded-hydra listening", { issuer, public: boundPublic, admin: boundAdmin });
  return {
    publicUrl: `http://${displayHost}:${boundPublic}/`,
    adminUrl: `http://${displayHost}:${boundAdmin}/`,
    issuer,
    routes: { public: PUBLIC_ROUTES, admin: adminRoutes },
    async close() {
      clearInterval(cleanup);
      await Promise.all([closeServer(publicServer), closeServer(adminServer)]);
      await db.close();
    },
  };
}
