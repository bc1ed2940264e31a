import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkReadiness, oryReadyProbe } from "./readiness";

/** A stand-in Ory server on a free port: /health/ready answers `status`; `/slow` never answers. */
async function oryStub(status: number): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === "/slow/health/ready") return; // keeps the socket open, never answers
    response.writeHead(request.url === "/health/ready" ? status : 404, { "Content-Type": "application/json" });
    response.end(JSON.stringify(status === 200 ? { status: "ok" } : { errors: { database: "down" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("checkReadiness with Ory's /health/ready", () => {
  const servers: Server[] = [];
  let ready = "";
  let notReady = "";
  beforeAll(async () => {
    const up = await oryStub(200);
    const down = await oryStub(503);
    servers.push(up.server, down.server);
    ready = up.url;
    notReady = down.url;
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterAll(() => {
    for (const server of servers) server.closeAllConnections();
    for (const server of servers) server.close();
    vi.restoreAllMocks();
  });

  it("is ready when every dependency answers 200", async () => {
    expect(await checkReadiness({ kratosAdmin: oryReadyProbe(ready), hydraAdmin: oryReadyProbe(`${ready}/`) })).toEqual({
      ready: true,
      checks: { kratosAdmin: "ok", hydraAdmin: "ok" },
    });
  });

  it("is not ready when one answers 503, and names only that one", async () => {
    expect(await checkReadiness({ kratosAdmin: oryReadyProbe(ready), hydraAdmin: oryReadyProbe(notReady) })).toEqual({
      ready: false,
      checks: { kratosAdmin: "ok", hydraAdmin: "unavailable" },
    });
  });

  it("counts an unreachable or silent dependency as unavailable within the timeout", async () => {
    const started = Date.now();
    const report = await checkReadiness({ closed: oryReadyProbe("http://127.0.0.1:9"), silent: oryReadyProbe(`${ready}/slow`) }, 300);
    expect(report).toEqual({ ready: false, checks: { closed: "unavailable", silent: "unavailable" } });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("never returns why a dependency failed (no address, status or error text)", async () => {
    const report = await checkReadiness({
      database: () => Promise.reject(new Error("password authentication failed for user olympus_ciam")),
    });
    expect(JSON.stringify(report)).toBe('{"ready":false,"checks":{"database":"unavailable"}}');
  });

  it("a probe that ignores the abort signal still ends at the timeout", async () => {
    const report = await checkReadiness({ stuck: () => new Promise<void>(() => {}) }, 100);
    expect(report.checks.stuck).toBe("unavailable");
  });
});
