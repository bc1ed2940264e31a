import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetStartupConfigForTests } from "@olympus/runtime-config/config";
import type { ReadinessProbe } from "@olympus/runtime-config/health";
import { startTestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { GET } from "@/app/api/health/route";
import { heraReadiness, wantsReadiness } from "./readiness";

const servers: Server[] = [];

/** A stand-in for one Ory port whose /health/ready answers `status`, as Kratos and Hydra do (200 or 503). */
async function oryPort(status: number): Promise<string> {
  const server = createServer((request, response) => {
    response.writeHead(request.url === "/health/ready" ? status : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const databaseUp: ReadinessProbe = async () => {};

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
  vi.restoreAllMocks();
});

describe("Hera's readiness (/api/health?ready=1)", () => {
  it("is ready when Kratos public, Kratos admin, Hydra admin and the olympus database all answer", async () => {
    const config = {
      kratos: { publicUrl: await oryPort(200), adminUrl: await oryPort(200) },
      hydra: { publicUrl: "http://127.0.0.1:9", adminUrl: await oryPort(200) },
    };
    expect(await heraReadiness(config, databaseUp)).toEqual({
      ready: true,
      checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "ok", database: "ok" },
    });
  });

  it("is not ready while Hydra admin answers 503 (its database is down), and says which", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const kratos = await oryPort(200);
    const config = { kratos: { publicUrl: kratos, adminUrl: kratos }, hydra: { publicUrl: kratos, adminUrl: await oryPort(503) } };
    expect(await heraReadiness(config, databaseUp)).toEqual({
      ready: false,
      checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "unavailable", database: "ok" },
    });
  });

  it("is not ready when Kratos cannot be reached at all", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const hydra = await oryPort(200);
    const config = {
      kratos: { publicUrl: "http://127.0.0.1:9", adminUrl: "http://127.0.0.1:9" },
      hydra: { publicUrl: hydra, adminUrl: hydra },
    };
    const report = await heraReadiness(config, databaseUp, 500);
    expect(report.ready).toBe(false);
    expect(report.checks).toMatchObject({ kratosPublic: "unavailable", kratosAdmin: "unavailable", hydraAdmin: "ok" });
  });

  it("is not ready while the olympus database is unavailable, even with Kratos and Hydra up (the edge would refuse every sign-in)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const ory = await oryPort(200);
    const config = { kratos: { publicUrl: ory, adminUrl: ory }, hydra: { publicUrl: ory, adminUrl: ory } };
    const databaseDown: ReadinessProbe = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    expect(await heraReadiness(config, databaseDown)).toEqual({
      ready: false,
      checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "ok", database: "unavailable" },
    });
  });

  it("answers readiness only when asked: plain /api/health stays liveness", () => {
    expect(wantsReadiness("http://127.0.0.1:3000/api/health?ready=1")).toBe(true);
    expect(wantsReadiness("http://127.0.0.1:3000/api/health?ready")).toBe(true);
    expect(wantsReadiness("http://127.0.0.1:3000/api/health")).toBe(false);
  });
});

// The route itself, against a real PostgreSQL with the olympus database laid out and migrated as in production.
describe("GET /api/health?ready=1 with the edge's olympus database", () => {
  const holder = globalThis as typeof globalThis & { __heraKratosEdge?: { pool: pg.Pool } };

  it("answers 200 while the database answers as this domain's role, and 503 naming it once PostgreSQL is gone", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const db = await startTestOlympusDatabase();
    const ory = await oryPort(200);
    for (const name of ["PUBLIC_URL", "KRATOS_PUBLIC_URL", "KRATOS_ADMIN_URL", "HYDRA_PUBLIC_URL", "HYDRA_ADMIN_URL"])
      vi.stubEnv(name, ory);
    vi.stubEnv("DOMAIN", "ciam");
    vi.stubEnv("OLYMPUS_ENV", "development");
    vi.stubEnv("COOKIE_SECRET", "hera-readiness-test-cookie-secret-0123456789");
    vi.stubEnv("OLYMPUS_DATABASE_URL", db.urls.ciam);
    resetStartupConfigForTests();
    const ready = () => GET(new Request("http://127.0.0.1/api/health?ready=1"));
    try {
      const up = await ready();
      expect(up.status).toBe(200);
      expect(await up.json()).toEqual({
        status: "ready",
        app: "hera",
        domain: "ciam",
        checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "ok", database: "ok" },
      });

      await db.stop();
      const down = await ready();
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: "unavailable",
        checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "ok", database: "unavailable" },
      });
    } finally {
      await holder.__heraKratosEdge?.pool.end().catch(() => {});
      delete holder.__heraKratosEdge;
      await db.stop().catch(() => {});
      vi.unstubAllEnvs();
      resetStartupConfigForTests();
    }
  }, 120_000);
});
