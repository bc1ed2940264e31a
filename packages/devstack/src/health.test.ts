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
      res.statusCode = req.url === "/down" ? 503 : 200;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "ok", app: "hera", domain: "iam" }));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
});
