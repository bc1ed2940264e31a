import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { resolveOryConfigs } from "../ory/configs";
import { DOMAINS } from "@olympus/runtime-config/config";
import { EMBEDDED_OLYMPUS_DATABASE_URLS } from "../embedded-defaults";
import { checkOlympusSchema, createOlympusPool, MIGRATIONS } from "@olympus/athena-store/olympus-db";
import { moveDsn } from "../postgres/dsn";
import { applyDatabaseLayout, migrateOlympusAsMigrator } from "../postgres/layout";
import { verifyDatabaseIsolation } from "./guard";

const PASSWORDS = {
  ciam_kratos: "ciam_kratos_dev_password",
  ciam_hydra: "ciam_hydra_dev_password",
  iam_kratos: "iam_kratos_dev_password",
  iam_hydra: "iam_hydra_dev_password",
  olympus_migrator: "olympus_migrator_dev_password",
  olympus_ciam: "olympus_ciam_dev_password",
  olympus_iam: "olympus_iam_dev_password",
};

describe("init.sql applied by the dev stack, and the seeds' guard", () => {
  let server: TestPostgres;
  const at = () => ({ host: "127.0.0.1", port: server.port });
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("applies platform/postgres/init.sql to a fresh server and again to one that has it", async () => {
    const first = await applyDatabaseLayout(server.url(), PASSWORDS);
    expect(first.createdDatabases.sort()).toEqual(["ciam_hydra", "ciam_kratos", "iam_hydra", "iam_kratos", "olympus"]);
    const second = await applyDatabaseLayout(server.url(), PASSWORDS);
    expect(second).toEqual({ createdRoles: [], createdDatabases: [] });
  });

  it("migrates the olympus database as olympus_migrator, after which each Athena's own embedded URL passes Athena's start-up check", async () => {
    expect(await migrateOlympusAsMigrator(server.url(), PASSWORDS.olympus_migrator)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrateOlympusAsMigrator(server.url(), PASSWORDS.olympus_migrator)).toEqual([]);
    for (const domain of DOMAINS) {
      const pool = createOlympusPool(moveDsn(EMBEDDED_OLYMPUS_DATABASE_URLS[domain], at()), 1);
      try {
        await expect(checkOlympusSchema(pool, domain)).resolves.toBeUndefined();
      } finally {
        await pool.end();
      }
    }
  });

  it("lets the four servers through when each role reaches its own database only", async () => {
    await expect(verifyDatabaseIsolation(resolveOryConfigs({ database: at(), dsnOverrides: {} }))).resolves.toBeUndefined();
  });

  it("refuses a shared DATABASE_URL: both Kratos on one database", async () => {
    const shared = `postgres://iam_kratos:${PASSWORDS.iam_kratos}@127.0.0.1:${server.port}/iam_kratos?sslmode=disable`;
    const configs = resolveOryConfigs({ database: at(), dsnOverrides: { "ciam-kratos": shared, "iam-kratos": shared } });
    const verifying = verifyDatabaseIsolation(configs);
    await expect(verifying).rejects.toMatchObject({ kind: "seed-guard" });
    await expect(verifying).rejects.toThrow(
      /^Seed guard: refusing to continue: CIAM Kratos's DSN points at database "iam_kratos", which belongs to IAM Kratos/,
    );
  });

  it("refuses two servers on one DSN even when the names look right", async () => {
    const configs = resolveOryConfigs({ database: at(), dsnOverrides: {} });
    const [ciamKratos, , iamKratos] = configs;
    if (!ciamKratos || !iamKratos) throw new Error("configs missing");
    const twin = { ...iamKratos, expectedRole: "ciam_kratos", parsedDsn: ciamKratos.parsedDsn, dsn: ciamKratos.dsn };
    await expect(verifyDatabaseIsolation([ciamKratos, twin])).rejects.toThrow(/share one DSN/);
  });

  it("refuses when a Kratos role can also open the other Kratos' database (isolation broken on purpose)", async () => {
    await server.query("GRANT CONNECT ON DATABASE iam_kratos TO ciam_kratos");
    try {
      await expect(verifyDatabaseIsolation(resolveOryConfigs({ database: at(), dsnOverrides: {} }))).rejects.toThrow(
        /CIAM Kratos's role "ciam_kratos" can also connect to IAM Kratos's database "iam_kratos"/,
      );
    } finally {
      await server.query("REVOKE CONNECT ON DATABASE iam_kratos FROM ciam_kratos");
    }
  });

  it("refuses a DSN whose role cannot reach its own database", async () => {
    const wrong = `postgres://ciam_hydra:not-the-password@127.0.0.1:${server.port}/ciam_hydra`;
    await expect(verifyDatabaseIsolation(resolveOryConfigs({ database: at(), dsnOverrides: { "ciam-hydra": wrong } }))).rejects.toThrow(
      /CIAM Hydra cannot reach its own database "ciam_hydra"/,
    );
  });
});
