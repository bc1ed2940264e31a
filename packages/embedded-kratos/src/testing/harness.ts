import path from "node:path";
import { fileURLToPath } from "node:url";
import { Configuration, FrontendApi, IdentityApi } from "@ory/client";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { startEmbeddedKratos, type EmbeddedKratos } from "../index";
import { passwordStrategy } from "../selfservice/strategy/password/strategy";
import { profileStrategy } from "../selfservice/strategy/profile/strategy";
import type { Strategy } from "../selfservice/strategy/strategy";

/** Only the core strategies: tests of the flow engine stay independent of the other strategy folders. */
export const CORE_STRATEGIES: readonly Strategy[] = [profileStrategy, passwordStrategy];

const here = path.dirname(fileURLToPath(import.meta.url));
export const CIAM_CONFIG = path.resolve(here, "../../../../platform/dev/ciam-kratos/kratos.yml");
export const IAM_CONFIG = path.resolve(here, "../../../../platform/dev/iam-kratos/kratos.yml");

export interface TestKratos extends EmbeddedKratos {
  frontend: FrontendApi;
  identity: IdentityApi;
  logs: string[];
}

/** Bcrypt cost 4 keeps tests fast; everything else comes from the real platform config. */
export const FAST_HASHING = { hashers: { algorithm: "bcrypt", bcrypt: { cost: 4 } } };

export interface StartKratosOptions {
  configPath?: string;
  configOverrides?: Record<string, unknown>;
  adminToken?: string;
  /** serve.public.base_url as clients would see it (e.g. https behind a proxy); the server still listens on plain http. */
  publicBaseUrl?: string;
  strategies?: readonly Strategy[];
  /** An existing database (a second instance, a restart) instead of a fresh one. */
  existingDatabase?: boolean;
  /** Kratos' `--dev` flag. */
  dev?: boolean;
}

export async function startKratos(pg: TestPostgres, database: string, options: StartKratosOptions = {}): Promise<TestKratos> {
  const dsn = options.existingDatabase ? pg.url(database) : await pg.createDatabase(database);
  const logs: string[] = [];
  const kratos = await startEmbeddedKratos({
    configPath: options.configPath ?? CIAM_CONFIG,
    dsn,
    publicPort: 0,
    adminPort: 0,
    configOverrides: { ...FAST_HASHING, ...options.configOverrides },
    adminToken: options.adminToken,
    publicBaseUrl: options.publicBaseUrl,
    strategies: options.strategies,
    dev: options.dev,
    log: (line) => logs.push(line),
  });
  return {
    ...kratos,
    logs,
    frontend: new FrontendApi(new Configuration({ basePath: kratos.publicUrl })),
    identity: new IdentityApi(
      new Configuration({ basePath: kratos.adminUrl, ...(options.adminToken ? { accessToken: options.adminToken } : {}) }),
    ),
  };
}

/**
 * A Postgres server of its own and an instance on its fresh `database`: what
 * most test suites start from. What did start is stopped again when the
 * instance fails to start.
 */
export async function startKratosWithPostgres(
  database: string,
  options: StartKratosOptions = {},
): Promise<{ pg: TestPostgres; kratos: TestKratos }> {
  const pg = await startTestPostgres();
  try {
    return { pg, kratos: await startKratos(pg, database, options) };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

export interface KratosInstanceSpec {
  database: string;
  options?: StartKratosOptions;
}

/**
 * A Postgres server of its own and several instances side by side on it,
 * each on its fresh database (a feature on and off). They start together;
 * when one fails, the others and the server are stopped again.
 */
export async function startKratosInstancesWithPostgres<const T extends readonly KratosInstanceSpec[]>(
  specs: T,
): Promise<{ pg: TestPostgres; kratos: { -readonly [K in keyof T]: TestKratos } }> {
  const pg = await startTestPostgres();
  const started = await Promise.allSettled(specs.map((spec) => startKratos(pg, spec.database, spec.options)));
  const kratos: TestKratos[] = [];
  for (const result of started) if (result.status === "fulfilled") kratos.push(result.value);
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await stopKratosAndPostgres(kratos, pg);
    throw failed.reason;
  }
  // One instance per spec, in the specs' order.
  return { pg, kratos: kratos as { -readonly [K in keyof T]: TestKratos } };
}

/** Closes an instance (or several, together), then its Postgres server; any is missing when a start-up failed part-way. */
export async function stopKratosAndPostgres(
  kratos: TestKratos | readonly (TestKratos | undefined)[] | undefined,
  pg: TestPostgres | undefined,
): Promise<void> {
  const instances: readonly (TestKratos | undefined)[] = kratos === undefined || "close" in kratos ? [kratos] : kratos;
  try {
    await Promise.all(instances.map(async (instance) => instance?.close()));
  } finally {
    await pg?.stop();
  }
}

export { startTestPostgres };
export type { TestPostgres };

let counter = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}-${Date.now().toString(36)}-${counter++}@example.com`;
export const STRONG_PASSWORD = "correct-horse-battery-staple-42";
