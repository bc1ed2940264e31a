import path from "node:path";
import { fileURLToPath } from "node:url";
import { Configuration, OAuth2Api } from "@ory/client";
import { freePort, startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { silentLogger, type Logger } from "../logging";
import { startEmbeddedHydra, type EmbeddedHydra } from "../start";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CIAM_CONFIG = path.resolve(here, "../../../../platform/dev/ciam-hydra/hydra.yml");
export const IAM_CONFIG = path.resolve(here, "../../../../platform/dev/iam-hydra/hydra.yml");

export interface HydraUnderTest extends EmbeddedHydra {
  admin: OAuth2Api;
  dsn: string;
}

let databaseCounter = 0;

/** Starts an instance on its own fresh database of the given Postgres server. */
export async function startHydraUnderTest(
  pg: TestPostgres,
  options: { configPath?: string; adminToken?: string; database?: string; logger?: Logger; cleanupIntervalMs?: number } = {},
): Promise<HydraUnderTest> {
  const database = options.database ?? `hydra_test_${process.pid}_${++databaseCounter}`;
  const dsn = options.database ? pg.url(database) : await pg.createDatabase(database);
  const hydra = await startEmbeddedHydra({
    configPath: options.configPath ?? CIAM_CONFIG,
    dsn,
    publicPort: await freePort(),
    adminPort: await freePort(),
    logger: options.logger ?? silentLogger,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.cleanupIntervalMs ? { cleanupIntervalMs: options.cleanupIntervalMs } : {}),
  });
  const admin = new OAuth2Api(
    new Configuration({
      basePath: hydra.adminUrl.replace(/\/$/, ""),
      ...(options.adminToken ? { accessToken: options.adminToken } : {}),
    }),
  );
  return { ...hydra, admin, dsn };
}

export { startTestPostgres, type TestPostgres };
