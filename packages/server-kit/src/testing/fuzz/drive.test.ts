import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendFuzzRequests, statusSummary, type FuzzRequest } from "./drive";
import { hostileString, hostileValue } from "./payloads";
import { Random } from "./random";
import { sendRaw } from "./raw-http";

describe("fuzz kit", () => {
  let server: Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method ?? ""} ${req.url ?? ""}`);
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      const body = Buffer.from("héllo");
      res.writeHead(req.url === "/missing" ? 404 : 200, { "Content-Type": "text/plain", "Content-Length": body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("draws the same sequence from the same seed", () => {
    const draw = (seed: number) => {
      const rng = new Random(seed);
      return [rng.next(), rng.int(1, 6), rng.uuid(), hostileString(rng), JSON.stringify(hostileValue(rng))];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(new Random(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("sends raw requests byte for byte and reads status, repeated headers and a UTF-8 body", async () => {
    const response = await sendRaw(port, { method: "GET", target: "/p?q=%00", headers: [["X-Test", "1"]] });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBe("a=1\nb=2");
    expect(response.body).toBe("héllo");
    expect(seen).toContain("GET /p?q=%00");
    const broken = await sendRaw(port, { method: "GET", target: "/", headers: [], rawHead: Buffer.from("NOT HTTP\r\n\r\n") });
    expect(broken.status).toBe(400);
  });

  it("drives every request through the ports, counting statuses", async () => {
    let made = 0;
    const inspected: number[] = [];
    const run = await sendFuzzRequests({
      total: 30,
      concurrency: 4,
      ports: { only: port },
      next: (): FuzzRequest<"only"> => ({
        port: "only",
        kind: "test",
        method: "GET",
        target: made++ % 3 === 0 ? "/missing" : "/ok",
        headers: [],
      }),
      inspect: (_request, response) => inspected.push(response.status),
    });
    expect(inspected).toHaveLength(30);
    expect(run.statuses).toEqual(
      new Map([
        [404, 10],
        [200, 20],
      ]),
    );
    expect(statusSummary(run.statuses)).toBe("200×20 404×10");
    expect(run.seconds).toBeGreaterThan(0);
  });
});
