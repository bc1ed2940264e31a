import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Configuration, OAuth2Api } from "@ory/client";
import { freePort, startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import pg from "pg";
import { createLogger, silentLogger, type Logger } from "../logging";
import { startEmbeddedHydra, type EmbeddedHydra } from "../start";
import type { GoServerTimeouts } from "@olympus/server-kit/http";
import { deleteExpired } from "../storage/migrations";
import { seedSigningKeys } from "./signing-keys";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CIAM_CONFIG = path.resolve(here, "../../../../platform/dev/ciam-hydra/hydra.yml");
export const IAM_CONFIG = path.resolve(here, "../../../../platform/dev/iam-hydra/hydra.yml");

export interface HydraUnderTest extends EmbeddedHydra {
  admin: OAuth2Api;
  dsn: string;
}

let databaseCounter = 0;

export interface HydraUnderTestOptions {
  configPath?: string;
  adminToken?: string;
  /** An existing database to start on (another instance's, to share its clients). */
  database?: string;
  /** The name of the fresh database, for a test that reaches it by name; a unique one by default. */
  freshDatabase?: string;
  logger?: Logger;
  cleanupIntervalMs?: number;
  /**
   * Store pre-generated signing keys in a fresh database before the start
   * (testing/signing-keys.ts); default true. False lets the server generate
   * its own, as in production.
   */
  seedSigningKeys?: boolean;
  /** Replaces Hydra's net/http timeouts (see EmbeddedHydraOptions.serverTimeouts). */
  serverTimeouts?: GoServerTimeouts;
}

/** Starts an instance on its own fresh database of the given Postgres server. */
export async function startHydraUnderTest(pg: TestPostgres, options: HydraUnderTestOptions = {}): Promise<HydraUnderTest> {
  const database = options.database ?? options.freshDatabase ?? `hydra_test_${process.pid}_${++databaseCounter}`;
  const dsn = options.database ? pg.url(database) : await pg.createDatabase(database);
  if (!options.database && options.seedSigningKeys !== false) await seedSigningKeys(dsn);
  const hydra = await startEmbeddedHydra({
    configPath: options.configPath ?? CIAM_CONFIG,
    dsn,
    publicPort: await freePort(),
    adminPort: await freePort(),
    logger: options.logger ?? silentLogger,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.cleanupIntervalMs ? { cleanupIntervalMs: options.cleanupIntervalMs } : {}),
    ...(options.serverTimeouts ? { serverTimeouts: options.serverTimeouts } : {}),
  });
  const admin = new OAuth2Api(
    new Configuration({
      basePath: hydra.adminUrl.replace(/\/$/, ""),
      ...(options.adminToken ? { accessToken: options.adminToken } : {}),
    }),
  );
  return { ...hydra, admin, dsn };
}

/** A parsed hydra.yml, loose enough for a test to change any key. */
export type HydraYaml = Record<string, Record<string, Record<string, unknown>>>;

/**
 * Starts an instance on the CIAM config as `change` edits it, written to a
 * directory only this instance reads; `close()` also removes that directory.
 */
export async function startHydraWithConfig(
  pg: TestPostgres,
  change: (config: HydraYaml) => void,
  options: Omit<HydraUnderTestOptions, "configPath"> = {},
): Promise<HydraUnderTest> {
  const dir = await mkdtemp(path.join(tmpdir(), "hydra-config-"));
  try {
    const config = parseYaml(await readFile(CIAM_CONFIG, "utf8")) as HydraYaml;
    change(config);
    const configPath = path.join(dir, "hydra.yml");
    await writeFile(configPath, stringifyYaml(config));
    const hydra = await startHydraUnderTest(pg, { ...options, configPath });
    return {
      ...hydra,
      close: async () => {
        try {
          await hydra.close();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts an instance on the CIAM config with these `ttl` keys (Hydra's duration texts) set. */
export function startHydraWithTtl(
  pg: TestPostgres,
  ttl: Record<string, string>,
  options: Omit<HydraUnderTestOptions, "configPath"> = {},
): Promise<HydraUnderTest> {
  return startHydraWithConfig(
    pg,
    (config) => {
      Object.assign((config.ttl ??= {}), ttl);
    },
    options,
  );
}

/**
 * A Postgres server of its own and an instance on it, started by `start` (on
 * the CIAM config by default); the server is stopped again when the instance
 * fails to start.
 */
export async function startHydraWithPostgres(
  start: (postgres: TestPostgres) => Promise<HydraUnderTest> = (postgres) => startHydraUnderTest(postgres),
): Promise<{ postgres: TestPostgres; hydra: HydraUnderTest }> {
  const postgres = await startTestPostgres();
  try {
    return { postgres, hydra: await start(postgres) };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

/** Closes the instances, then their Postgres server; any is missing when a start-up failed part-way. */
export async function stopHydraAndPostgres(
  hydra: HydraUnderTest | undefined | (HydraUnderTest | undefined)[],
  postgres: TestPostgres | undefined,
): Promise<void> {
  const instances = Array.isArray(hydra) ? hydra : [hydra];
  try {
    await Promise.all(instances.map(async (instance) => instance?.close()));
  } finally {
    await postgres?.stop();
  }
}

/** A JSON logger that pushes every error line onto `lines`, for tests that assert the instance logged none. */
export function errorLines(lines: string[]): Logger {
  return createLogger("json", (line) => {
    if (line.includes('"level":"error"')) lines.push(line);
  });
}

/** One run of the periodic cleanup (storage/migrations.ts deleteExpired) on the instance's database, now. */
export async function runCleanup(hydra: HydraUnderTest): Promise<void> {
  const pool = new pg.Pool({ connectionString: hydra.dsn });
  try {
    await deleteExpired(pool);
  } finally {
    await pool.end();
  }
}

export { startTestPostgres, type TestPostgres };
