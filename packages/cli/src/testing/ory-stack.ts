import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedHydra, silentLogger, type EmbeddedHydra } from "@olympus/embedded-hydra";
import { startEmbeddedKratos, type EmbeddedKratos } from "@olympus/embedded-kratos";
import type { Domain } from "@olympus/runtime-config/config";
import { freePort, type TestPostgres } from "@olympus/test-postgres";

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** One domain's Kratos and Hydra, embedded, on free ports, from platform/dev's configs — as the real servers would be configured. */
export interface TestOryDomain {
  domain: Domain;
  kratos: EmbeddedKratos;
  hydra: EmbeddedHydra;
  /** The bearer token both admin APIs require. */
  adminToken: string;
  close(): Promise<void>;
}

export async function startOryDomain(pg: TestPostgres, domain: Domain, adminToken: string): Promise<TestOryDomain> {
  const hydraAdminPort = await freePort();
  const hydra = await startEmbeddedHydra({
    configPath: path.join(REPO_DIR, "platform/dev", `${domain}-hydra`, "hydra.yml"),
    dsn: await pg.createDatabase(`${domain}_hydra`),
    publicPort: await freePort(),
    adminPort: hydraAdminPort,
    adminToken,
    // As the dev stack runs it (Compose: `serve all --dev`), whose config this is.
    dev: true,
    logger: silentLogger,
  });
  let kratos: EmbeddedKratos;
  try {
    kratos = await startEmbeddedKratos({
      configPath: path.join(REPO_DIR, "platform/dev", `${domain}-kratos`, "kratos.yml"),
      dsn: await pg.createDatabase(`${domain}_kratos`),
      publicPort: 0,
      adminPort: 0,
      adminToken,
      configOverrides: {
        // Fast hashing for tests; nothing points at the dev stack's fixed ports (mail 1025, Hydra 4103).
        hashers: { algorithm: "bcrypt", bcrypt: { cost: 4 } },
        courier: { smtp: { connection_uri: `smtp://127.0.0.1:${await freePort()}/?disable_starttls=true` } },
        oauth2_provider: { url: `${hydra.adminUrl.replace(/\/$/, "")}/` },
      },
      log: () => {},
    });
  } catch (error) {
    await hydra.close();
    throw error;
  }
  return {
    domain,
    kratos,
    hydra,
    adminToken,
    async close() {
      await Promise.allSettled([kratos.close(), hydra.close()]);
    },
  };
}
