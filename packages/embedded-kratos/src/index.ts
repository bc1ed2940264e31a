import { loadKratosConfig as loadConfigFile, type KratosConfig, type LoadConfigOptions } from "./config/load";
import { bindListeners, startServer, type BoundListeners, type RouteInfo } from "./server";
import type { Strategy } from "./selfservice/strategy/strategy";

export type { KratosConfig, LoadConfigOptions } from "./config/load";
export type { RouteInfo } from "./server";
export { ConfigError } from "./config/load";
export type { Strategy, FlowStrategy, StrategyContext } from "./selfservice/strategy/strategy";
export { FlowValidationError } from "./selfservice/flow/validation-error";
/** The hasher the server uses, for benches that compare sign-ins with its raw rate (Hera's edge bench). */
export { WorkerPasswordHasher } from "./hashing/hasher";

export interface EmbeddedKratosOptions {
  /**
   * Path of a Kratos config file (kratos.yml), or several merged in order as
   * `kratos serve -c kratos.yml -c overlay.yml` does.
   */
  configPath: string | readonly string[];
  /** Watch the config files and apply changes while running, as Kratos does (default true). */
  watchConfig?: boolean;
  /** Overrides `dsn` from the file. */
  dsn?: string;
  /** Overrides serve.public.port (0 = any free port). */
  publicPort?: number;
  /** Overrides serve.admin.port. */
  adminPort?: number;
  /** Overrides serve.public.base_url; defaults to http://127.0.0.1:<publicPort>/ when publicPort is overridden. */
  publicBaseUrl?: string;
  /** When set, admin requests need `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Deep-merged over the config file before validation (e.g. shorter lifespans, lower bcrypt cost in tests). */
  configOverrides?: Record<string, unknown>;
  /**
   * Kratos' `serve --dev` flag: sets `dev: true` whatever the file says
   * (IsInsecureDevMode) — courier messages keep their subjects and bodies in
   * the admin API, and cookies are not forced `Secure`. Never in production.
   */
  dev?: boolean;
  /** One line per request and warnings; defaults to console.log. */
  log?: (line: string) => void;
}

export interface EmbeddedKratos {
  publicUrl: string;
  adminUrl: string;
  /** The routes each port serves (`/admin/identities/:id` patterns). */
  routes: { public: RouteInfo[]; admin: RouteInfo[] };
  close(): Promise<void>;
}

export function loadKratosConfig(path: string | readonly string[], options?: LoadConfigOptions): KratosConfig {
  return loadConfigFile(path, options);
}

/** Starts a Kratos-compatible public + admin server for one config (one domain). */
export async function startEmbeddedKratos(options: EmbeddedKratosOptions & { strategies?: readonly Strategy[] }): Promise<EmbeddedKratos> {
  const log = options.log ?? ((line: string) => console.log(line));
  // Port 0 means "any free port": bind both now and keep them, so base URLs name the real
  // ports and no other process can be handed them before this server listens.
  let listeners: BoundListeners | undefined;
  if (options.publicPort === 0 || options.adminPort === 0) {
    if (options.publicPort !== 0 || options.adminPort !== 0)
      throw new Error("embedded-kratos: publicPort and adminPort are either both 0 (any free ports) or both given");
    const bound = await bindListeners(options.host ?? "127.0.0.1");
    listeners = bound.listeners;
    options = { ...options, publicPort: bound.publicPort, adminPort: bound.adminPort };
  }
  const serveOverrides: Record<string, unknown> = {};
  if (options.publicPort !== undefined || options.publicBaseUrl !== undefined) {
    serveOverrides.public = {
      ...(options.publicPort !== undefined ? { port: options.publicPort } : {}),
      ...(options.publicBaseUrl !== undefined
        ? { base_url: options.publicBaseUrl }
        : options.publicPort !== undefined
          ? { base_url: `http://127.0.0.1:${options.publicPort}/` }
          : {}),
    };
  }
  if (options.adminPort !== undefined)
    serveOverrides.admin = { port: options.adminPort, base_url: `http://127.0.0.1:${options.adminPort}/` };
  const overrides: Record<string, unknown> = { ...(options.configOverrides ?? {}), ...(options.dev ? { dev: true } : {}) };
  if (Object.keys(serveOverrides).length > 0) {
    const existing = (overrides.serve ?? {}) as Record<string, Record<string, unknown>>;
    overrides.serve = {
      ...existing,
      ...Object.fromEntries(
        Object.entries(serveOverrides).map(([k, v]) => [k, { ...(existing[k] ?? {}), ...(v as Record<string, unknown>) }]),
      ),
    };
  }
  try {
    const config = loadConfigFile(options.configPath, { overrides, warn: log });
    const dsn = options.dsn ?? config.dsn;
    if (!dsn)
      throw new Error(
        `embedded-kratos: no database configured — set "dsn" in ${config.source} or pass the dsn option (DSN env in the CLI)`,
      );
    const server = await startServer({
      config,
      dsn,
      host: options.host ?? "127.0.0.1",
      adminToken: options.adminToken,
      log,
      strategies: options.strategies,
      listeners,
      reload: options.watchConfig === false ? undefined : { files: config.sources, overrides },
    });
    return { publicUrl: server.publicUrl, adminUrl: server.adminUrl, routes: server.routes, close: () => server.close() };
  } catch (error) {
    for (const listener of listeners ? [listeners.public, listeners.admin] : []) listener.close();
    throw error;
  }
}
