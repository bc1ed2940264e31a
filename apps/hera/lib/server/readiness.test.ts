import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
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

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
  vi.restoreAllMocks();
});

describe("Hera's readiness (/api/health?ready=1)", () => {
  it("is ready when Kratos public, Kratos admin and Hydra admin all answer ready", async () => {
    const config = { kratos: { publicUrl: await oryPort(200), adminUrl: await oryPort(200) }, hydra: { publicUrl: "http://127.0.0.1:9", adminUrl: await oryPort(200) } };
    expect(await heraReadiness(config)).toEqual({ ready: true, checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "ok" } });
  });

  it("is not ready while Hydra admin answers 503 (its database is down), and says which", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const kratos = await oryPort(200);
    const config = { kratos: { publicUrl: kratos, adminUrl: kratos }, hydra: { publicUrl: kratos, adminUrl: await oryPort(503) } };
    expect(await heraReadiness(config)).toEqual({ ready: false, checks: { kratosPublic: "ok", kratosAdmin: "ok", hydraAdmin: "unavailable" } });
  });

  it("is not ready when Kratos cannot be reached at all", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const hydra = await oryPort(200);
    const config = { kratos: { publicUrl: "http://127.0.0.1:9", adminUrl: "http://127.0.0.1:9" }, hydra: { publicUrl: hydra, adminUrl: hydra } };
    const report = await heraReadiness(config, 500);
    expect(report.ready).toBe(false);
    expect(report.checks).toMatchObject({ kratosPublic: "unavailable", kratosAdmin: "unavailable", hydraAdmin: "ok" });
  });

  it("answers readiness only when asked: plain /api/health stays liveness", () => {
    expect(wantsReadiness("http://127.0.0.1:3000/api/health?ready=1")).toBe(true);
    expect(wantsReadiness("http://127.0.0.1:3000/api/health?ready")).toBe(true);
    expect(wantsReadiness("http://127.0.0.1:3000/api/health")).toBe(false);
  });
});
