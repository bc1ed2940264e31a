import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@olympus/test-postgres";
import { probe, waitUntilHealthy } from "./health";

describe("health probes", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    server = createServer((req, res) => {
      // A dev server compiling its route: the answer comes, late.
      if (req.url === "/compiling" || req.url === "/stuck") {
        setTimeout(() => res.end(JSON.stringify({ status: "ok" })), req.url === "/stuck" ? 3000 : 400);
        return;
      }
      res.statusCode = req.url === "/down" ? 503 : 200;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "ok", app: "hera", domain: "iam" }));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  it("accepts a 2xx and refuses an error status or a closed port", async () => {
    expect(await probe({ name: "up", url: `${base}/api/health` })).toBe(true);
    expect(await probe({ name: "down", url: `${base}/down` })).toBe(false);
    expect(await probe({ name: "closed", url: `http://127.0.0.1:${await freePort()}/` })).toBe(false);
  });

  it("refuses an app port served by the wrong app or domain", async () => {
    const isHeraCiam = (body: unknown) => typeof body === "object" && body !== null && "domain" in body && body.domain === "ciam";
    expect(await probe({ name: "Hera CIAM", url: `${base}/api/health`, accept: isHeraCiam })).toBe(false);
  });

  it("reminds while it waits, then names the service and URL when it never becomes healthy", async () => {
    const reminders: number[] = [];
    await expect(
      waitUntilHealthy(
        { name: "Hera CIAM", url: `${base}/down` },
        { timeoutMs: 400, intervalMs: 50, remindEveryMs: 100, onStillWaiting: (s) => reminders.push(s) },
      ),
    ).rejects.toThrow(/^Hera CIAM is not healthy/);
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    await expect(waitUntilHealthy({ name: "IAM Hydra admin", url: `${base}/down` }, { timeoutMs: 300, intervalMs: 50 })).rejects.toThrow(
      `IAM Hydra admin is not healthy at ${base}/down after 1 s`,
    );
  });

  it("waits for a late answer when the probe may, instead of asking again behind it", async () => {
    const compiling = { name: "Hera CIAM", url: `${base}/compiling` };
    let probes = 0;
    const counted = { ...compiling, accept: () => (probes++, true) };
    const started = Date.now();
    await waitUntilHealthy(counted, { timeoutMs: 5000, intervalMs: 50, probeTimeoutMs: 2000 });
    expect(probes).toBe(1);
    expect(Date.now() - started).toBeLessThan(1500);
    // With the default 3 s a probe shorter than the answer gives up: the wait then times out.
    await expect(waitUntilHealthy(compiling, { timeoutMs: 300, intervalMs: 50, probeTimeoutMs: 100 })).rejects.toThrow(/not healthy/);
  });

  it("drops a probe in flight when the wait is aborted", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const started = Date.now();
    await expect(
      waitUntilHealthy({ name: "Hera CIAM", url: `${base}/stuck` }, { timeoutMs: 10_000, probeTimeoutMs: 10_000, signal: stop.signal }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
