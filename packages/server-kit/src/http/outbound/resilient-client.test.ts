import { describe, expect, it, vi } from "vitest";
import { useScriptedHttpServer } from "../../testing";
import { backoffMs, retryAfterMs, sleep } from "./backoff";
import { ORY_HTTP_CLIENT, ResilientClientError, resilientFetch, type ResilientOptions } from "./resilient-client";

/**
 * ory/x httpx.NewResilientClient as Kratos (driver/registry_default.go) and
 * Hydra (driver/registry_sql.go) configure it in HTTPClient — two retries, a
 * 30 s timeout per attempt — i.e. hashicorp/go-retryablehttp v0.7.8
 * client.go: Client.Do, DefaultRetryPolicy/baseRetryPolicy, DefaultBackoff
 * and parseRetryAfterHeader, over Go's net/http client.go (do,
 * redirectBehavior, makeHeadersCopier, defaultCheckRedirect), against a real
 * local HTTP server.
 */
const server = useScriptedHttpServer();

const attempts = (path: string) => server.requests(path).length;

/** The servers' client with short waits, so the count and order of attempts are checked quickly. */
const FAST: ResilientOptions = { ...ORY_HTTP_CLIENT, retryWaitMinMs: 20, retryWaitMaxMs: 1000, attemptTimeoutMs: 300 };
const post = (path: string, options = FAST, headers = new Headers()) =>
  resilientFetch(`${server.base}${path}`, { method: "POST", headers, body: "{}" }, options);

describe("go-retryablehttp Client.Do with the servers' options (HTTPClient)", () => {
  it("makes three attempts at most (RetryMax 2), waiting 1 s then 2 s (DefaultBackoff), then gives up without a reason (DefaultRetryPolicy)", async () => {
    server.script("/down", (_, res) => res.writeHead(500).end());
    const error = await post("/down", ORY_HTTP_CLIENT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResilientClientError);
    expect((error as Error).message).toBe(`POST ${server.base}/down giving up after 3 attempt(s)`);
    const [first, second, third] = server.requests("/down").map((request) => request.receivedAt);
    expect(second! - first!).toBeGreaterThanOrEqual(950);
    expect(third! - second!).toBeGreaterThanOrEqual(1950);
  });

  it("retries 5xx (not 501) and 429, and returns the first answer the policy accepts", async () => {
    server.script("/flaky", ({ nth: n }, res) => res.writeHead(n === 1 ? 503 : n === 2 ? 429 : 200).end("ok"));
    const response = await post("/flaky");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(attempts("/flaky")).toBe(3);

    for (const status of [501, 400, 403, 404]) {
      server.script(`/status-${status}`, (_, res) => res.writeHead(status).end());
      expect((await post(`/status-${status}`)).status).toBe(status);
      expect(attempts(`/status-${status}`)).toBe(1);
    }
  });

  it("retries transport failures: an attempt that times out, a connection that is cut", async () => {
    server.script("/slow", ({ nth: n }, res) => {
      if (n === 1) setTimeout(() => res.writeHead(200).end("late"), 1000);
      else res.writeHead(200).end("on time");
    });
    expect(await (await post("/slow")).text()).toBe("on time");
    expect(attempts("/slow")).toBe(2);

    server.script("/cut", ({ nth: n }, res, req) => (n < 3 ? req.socket.destroy() : res.writeHead(204).end()));
    expect((await post("/cut")).status).toBe(204);
    expect(attempts("/cut")).toBe(3);
    server.script("/always-cut", (_request, _res, req) => req.socket.destroy());
    await expect(post("/always-cut")).rejects.toThrow(
      `POST ${server.base}/always-cut giving up after 3 attempt(s): Post "${server.base}/always-cut": EOF`,
    );
  });

  it("does not retry what cannot succeed: an unsupported scheme, an empty URL", async () => {
    for (const [url, text] of [
      ["ftp://127.0.0.1/hook", `Post "ftp://127.0.0.1/hook": unsupported protocol scheme "ftp"`],
      ["", `Post "": unsupported protocol scheme ""`],
    ] as const) {
      const error = await resilientFetch(url, { method: "POST", headers: new Headers(), body: "{}" }, FAST).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResilientClientError);
      expect((error as ResilientClientError).attempts).toBe(1);
      expect((error as Error).message).toBe(`POST ${url} giving up after 1 attempt(s): ${text}`);
    }
  });
});

describe("redirects as Go's http.Client follows them (client.go do, defaultCheckRedirect)", () => {
  it("stops after 10 redirects with Go's url.Error, naming the Location it refused, and does not retry", async () => {
    server.script("/loop", ({ nth: n }, res) => res.writeHead(302, { Location: `/loop?${n}` }).end());
    for (let n = 1; n <= 10; n++) server.script(`/loop?${n}`, (_, res) => res.writeHead(302, { Location: `/loop?${n + 1}` }).end());
    const error = await post("/loop").catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `POST ${server.base}/loop giving up after 1 attempt(s): Post "/loop?10": stopped after 10 redirects`,
    );
    expect((error as ResilientClientError).attempts).toBe(1);
    // Ten requests went out: the first and nine redirects; the tenth redirect is refused.
    expect(attempts("/loop")).toBe(1);
    expect(attempts("/loop?9")).toBe(1);
    expect(attempts("/loop?10")).toBe(0);
  });

  it("resends a POST with its body on 307, turns it into a GET without body or Content-Type on 303", async () => {
    server.script("/moved", (_, res) => res.writeHead(307, { Location: "/target" }).end());
    server.script("/see-other", (_, res) => res.writeHead(303, { Location: "/target" }).end());
    server.script("/target", ({ method, body, headers }, res) =>
      res.writeHead(200).end(`${method} ${body} ${headers["content-type"] ?? "-"} ${headers.referer}`),
    );
    const headers = new Headers({ "Content-Type": "application/json" });
    expect(await (await post("/moved", FAST, headers)).text()).toBe(`POST {} application/json ${server.base}/moved`);
    expect(await (await post("/see-other", FAST, headers)).text()).toBe(`GET  - ${server.base}/see-other`);
  });

  it("after a 303 the body is gone: a later 307 resends the GET as it is, without the body or its Content-Type", async () => {
    server.script("/see-other-first", (_, res) => res.writeHead(303, { Location: "/then-moved" }).end());
    server.script("/then-moved", (_, res) => res.writeHead(307, { Location: "/target" }).end());
    const headers = new Headers({ "Content-Type": "application/json" });
    expect(await (await post("/see-other-first", FAST, headers)).text()).toBe(`GET  - ${server.base}/then-moved`);
  });

  it("returns a 3xx without Location as the answer, neither an error nor a retry (client.go do: issues #17773, #49281)", async () => {
    server.script("/no-location", (_, res) => res.writeHead(302).end("nowhere to go"));
    const response = await post("/no-location");
    expect(response.status).toBe(302);
    expect(await response.text()).toBe("nowhere to go");
    expect(attempts("/no-location")).toBe(1);
  });

  it("drops Authorization and Cookie once a redirect leaves the first host's domain", async () => {
    const port = new URL(server.base).port;
    server.script("/elsewhere", (_, res) => res.writeHead(307, { Location: `http://localhost:${port}/echo` }).end());
    server.script("/same", (_, res) => res.writeHead(307, { Location: "/echo" }).end());
    server.script("/echo", ({ headers }, res) =>
      res.writeHead(200).end(`${headers.authorization ?? "-"} ${headers.cookie ?? "-"} ${String(headers["x-kept"])}`),
    );
    const headers = new Headers({ Authorization: "Basic eDp5", Cookie: "a=b", "X-Kept": "yes" });
    expect(await (await post("/same", FAST, headers)).text()).toBe("Basic eDp5 a=b yes");
    expect(await (await post("/elsewhere", FAST, headers)).text()).toBe("- - yes");
  });
});

describe("DefaultBackoff and parseRetryAfterHeader", () => {
  it("waits what the first Retry-After says on 429 and 503 only, uncapped by RetryWaitMax", () => {
    expect(backoffMs(ORY_HTTP_CLIENT, 0, 429, "7")).toBe(7000);
    expect(backoffMs(ORY_HTTP_CLIENT, 1, 503, "0")).toBe(0);
    expect(backoffMs(ORY_HTTP_CLIENT, 1, 500, "7")).toBe(2000);
    expect(backoffMs(ORY_HTTP_CLIENT, 1, 503, "soon")).toBe(2000);
    expect(backoffMs(ORY_HTTP_CLIENT, 6, undefined, undefined)).toBe(30_000);
    // 30 days: DefaultBackoff returns it as it is (RetryWaitMax bounds only the exponential wait).
    expect(backoffMs(ORY_HTTP_CLIENT, 0, 503, "2592000")).toBe(2_592_000_000);
  });

  it("multiplies seconds into a time.Duration as Go does: int64 nanoseconds that wrap", () => {
    expect(retryAfterMs("+5")).toBe(5000);
    expect(retryAfterMs("-1")).toBeUndefined();
    // 9223372036 s is the largest count that fits; 10^10 s wraps to a negative Duration, a timer that fires at once.
    expect(retryAfterMs("9223372036")).toBe(9_223_372_036_000);
    expect(retryAfterMs("10000000000")).toBe(0);
    // Beyond int64 ParseInt fails, and the value is not a date either: the exponential wait applies.
    expect(retryAfterMs("9223372036854775808")).toBeUndefined();
  });

  it("reads RFC 1123 dates as time.Parse does", () => {
    const now = Date.UTC(1999, 11, 31, 23, 59, 0);
    expect(retryAfterMs("Fri, 31 Dec 1999 23:59:59 GMT", now)).toBe(59_000);
    expect(retryAfterMs("fri, 31 dec 1999 23:59:59 UTC", now)).toBe(59_000);
    expect(retryAfterMs("Fri, 31 Dec 1999 9:59:59 GMT", now)).toBe(0);
    expect(retryAfterMs("Fri, 31 Dec 1999 23:59:59 GMT+1", now)).toBe(0);
    expect(retryAfterMs("Fri, 31 Dec 1999 23:59:59", now)).toBeUndefined();
    expect(retryAfterMs("Fri, 31 Feb 1999 23:59:59 GMT", now)).toBeUndefined();
    expect(retryAfterMs("Friday, 31-Dec-99 23:59:59 GMT", now)).toBeUndefined();
  });

  it("sleeps past setTimeout's 24.8-day limit, as Go's timer does", async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const thirtyDays = 30 * 86_400_000;
      const waiting = sleep(thirtyDays).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(thirtyDays - 1000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1000);
      await waiting;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the request's context (retryablehttp Client.Do, DefaultRetryPolicy)", () => {
  it("ends the wait between attempts when the request is abandoned", async () => {
    server.script("/unavailable", (_, res) => res.writeHead(503, { "Retry-After": "3600" }).end());
    const abandoned = new AbortController();
    const started = Date.now();
    const pending = post("/unavailable", { ...FAST, signal: abandoned.signal }).catch((e: unknown) => e);
    setTimeout(() => abandoned.abort(), 100);
    const error = await pending;
    expect((error as Error).message).toBe("context canceled");
    // Far below the hour Retry-After asks for, and far above any machine's delay in noticing the abort.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(attempts("/unavailable")).toBe(1);
  });

  it("stops the attempt in flight and does not retry it", async () => {
    server.script("/hanging", () => undefined);
    const abandoned = new AbortController();
    const pending = post("/hanging", { ...FAST, attemptTimeoutMs: 10_000, signal: abandoned.signal }).catch((e: unknown) => e);
    setTimeout(() => abandoned.abort(), 100);
    expect(((await pending) as Error).message).toBe(`POST ${server.base}/hanging giving up after 1 attempt(s): context canceled`);
    expect(attempts("/hanging")).toBe(1);
  });
});
