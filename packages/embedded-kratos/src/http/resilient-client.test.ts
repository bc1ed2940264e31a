import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backoffMs, KRATOS_WEB_HOOK_CLIENT, ResilientClientError, resilientFetch, type ResilientOptions } from "./resilient-client";

/**
 * Kratos' web hook client (driver/registry_default.go HTTPClient: ory/x
 * httpx.NewResilientClient with ResilientClientWithMaxRetry(2) and a 30 s
 * ResilientClientWithConnectionTimeout), i.e. hashicorp/go-retryablehttp
 * v0.7.8 client.go: Client.Do, DefaultRetryPolicy/baseRetryPolicy and
 * DefaultBackoff, against a real local HTTP server.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number, body: string) => void;

const server = createServer((req, res) => {
  const path = req.url ?? "/";
  const attempt = (attempts.get(path) ?? 0) + 1;
  attempts.set(path, attempt);
  arrivals.set(path, [...(arrivals.get(path) ?? []), Date.now()]);
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => (handlers.get(path) ?? ((_, r) => r.writeHead(404).end()))(req, res, attempt, Buffer.concat(chunks).toString()));
});
const handlers = new Map<string, Handler>();
const attempts = new Map<string, number>();
const arrivals = new Map<string, number[]>();
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Kratos' client with short waits, so the count and order of attempts are checked quickly. */
const FAST: ResilientOptions = { ...KRATOS_WEB_HOOK_CLIENT, retryWaitMinMs: 20, retryWaitMaxMs: 1000, attemptTimeoutMs: 300 };
const post = (path: string, options = FAST) =>
  resilientFetch(`${base}${path}`, { method: "POST", headers: new Headers(), body: "{}" }, options);

describe("go-retryablehttp Client.Do with Kratos' options (registry_default.go HTTPClient)", () => {
  it("makes three attempts at most (RetryMax 2), waiting 1 s then 2 s (DefaultBackoff), then gives up", async () => {
    handlers.set("/down", (_, res) => res.writeHead(500).end());
    const error = await post("/down", KRATOS_WEB_HOOK_CLIENT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResilientClientError);
    expect((error as Error).message).toMatch(/giving up after 3 attempt\(s\): unexpected HTTP status 500$/);
    const [first, second, third] = arrivals.get("/down")!;
    expect(second! - first!).toBeGreaterThanOrEqual(950);
    expect(third! - second!).toBeGreaterThanOrEqual(1950);
  });

  it("retries 5xx (not 501) and 429, and returns the first answer the policy accepts", async () => {
    handlers.set("/flaky", (_, res, n) => res.writeHead(n === 1 ? 503 : n === 2 ? 429 : 200).end("ok"));
    const response = await post("/flaky");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(attempts.get("/flaky")).toBe(3);

    for (const status of [501, 400, 403, 404]) {
      handlers.set(`/status-${status}`, (_, res) => res.writeHead(status).end());
      expect((await post(`/status-${status}`)).status).toBe(status);
      expect(attempts.get(`/status-${status}`)).toBe(1);
    }
  });

  it("waits what Retry-After says on 429 and 503", () => {
    const answer = (status: number, retryAfter: string) => new Response(null, { status, headers: { "Retry-After": retryAfter } });
    expect(backoffMs(KRATOS_WEB_HOOK_CLIENT, 0, answer(429, "7"))).toBe(7000);
    expect(backoffMs(KRATOS_WEB_HOOK_CLIENT, 1, answer(503, "0"))).toBe(0);
    expect(backoffMs(KRATOS_WEB_HOOK_CLIENT, 1, answer(500, "7"))).toBe(2000);
    expect(backoffMs(KRATOS_WEB_HOOK_CLIENT, 1, answer(503, "soon"))).toBe(2000);
    expect(backoffMs(KRATOS_WEB_HOOK_CLIENT, 6, undefined)).toBe(30_000);
  });

  it("retries transport failures: an attempt that times out, a connection that is cut", async () => {
    handlers.set("/slow", (_, res, n) => {
      if (n === 1) setTimeout(() => res.writeHead(200).end("late"), 1000);
      else res.writeHead(200).end("on time");
    });
    expect(await (await post("/slow")).text()).toBe("on time");
    expect(attempts.get("/slow")).toBe(2);

    handlers.set("/cut", (req, res, n) => (n < 3 ? req.socket.destroy() : res.writeHead(204).end()));
    expect((await post("/cut")).status).toBe(204);
    expect(attempts.get("/cut")).toBe(3);
  });

  it("does not retry what cannot succeed: an unsupported scheme, an invalid URL, too many redirects", async () => {
    for (const url of ["ftp://127.0.0.1/hook", ""]) {
      const error = await resilientFetch(url, { method: "POST", headers: new Headers(), body: "{}" }, FAST).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResilientClientError);
      expect((error as ResilientClientError).attempts).toBe(1);
    }
    handlers.set("/loop", (_, res) => res.writeHead(302, { Location: "/loop" }).end());
    const error = await post("/loop").catch((e: unknown) => e);
    expect((error as ResilientClientError).attempts).toBe(1);
  });

  it("follows redirects like Go's client: 307 resends the POST with its body", async () => {
    handlers.set("/moved", (_, res) => res.writeHead(307, { Location: "/target" }).end());
    handlers.set("/target", (req, res, _, body) => res.writeHead(200).end(`${req.method} ${body}`));
    expect(await (await post("/moved")).text()).toBe("POST {}");
  });
});
