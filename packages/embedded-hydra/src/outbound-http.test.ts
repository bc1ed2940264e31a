import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchText } from "./clients/outbound-http";
import { refusesInternalAddresses } from "./clients/private-ip-policy";
import { prohibitedAddress } from "@olympus/server-kit/http";

/**
 * Hydra's outbound client for request_uri and jwks_uri (driver/registry_sql.go
 * HTTPClient → ory/x httpx/resilient_client.go NewResilientClient with
 * ResilientClientWithMaxRetry(2)), its retries and backoff
 * (hashicorp/go-retryablehttp v0.7.8 client.go DefaultRetryPolicy,
 * DefaultBackoff, Client.Do) and its address guard (httpx/ssrf.go with
 * code.dny.dev/ssrf Guardian.Safe).
 */
let server: Server;
let base: string;
let port: number;
const answers: { status: number; headers?: Record<string, string> }[] = [];
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    if (req.url === "/moved") return void res.writeHead(302, { location: "/final" }).end();
    if (req.url === "/exception/moved") return void res.writeHead(302, { location: "/outside" }).end();
    const answer = answers.shift() ?? { status: 200 };
    res.writeHead(answer.status, answer.headers ?? {}).end(`answer ${answer.status}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  server?.close();
});

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: (ms: number) => (waits.push(ms), Promise.resolve()) };
}

describe("retries (retryablehttp DefaultRetryPolicy/DefaultBackoff, RetryMax 2, RetryWaitMin 1s)", () => {
  it("repeats a 5xx twice, waiting 1 s then 2 s, then gives up with an error", async () => {
    hits = 0;
    answers.push({ status: 500 }, { status: 502 }, { status: 500 });
    const { waits, sleep } = recorder();
    await expect(fetchText(`${base}/x`, { disallowPrivateIpRanges: false, sleep })).rejects.toThrow(
      `GET ${base}/x giving up after 3 attempt(s)`,
    );
    expect(hits).toBe(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it("returns the answer that ends the retries, and never retries a 501 or a 4xx", async () => {
    answers.push({ status: 429 }, { status: 200 });
    const { waits, sleep } = recorder();
    expect(await fetchText(`${base}/x`, { disallowPrivateIpRanges: false, sleep })).toEqual({ status: 200, body: "answer 200" });
    expect(waits).toEqual([1000]);
    answers.push({ status: 501 });
    expect((await fetchText(`${base}/x`, { disallowPrivateIpRanges: false, sleep })).status).toBe(501);
    answers.push({ status: 404 });
    expect((await fetchText(`${base}/x`, { disallowPrivateIpRanges: false, sleep })).status).toBe(404);
    expect(waits).toEqual([1000]);
  });

  it("waits what a 503's Retry-After says", async () => {
    answers.push({ status: 503, headers: { "retry-after": "7" } }, { status: 200 });
    const { waits, sleep } = recorder();
    expect((await fetchText(`${base}/x`, { disallowPrivateIpRanges: false, sleep })).status).toBe(200);
    expect(waits).toEqual([7000]);
  });

  it("repeats a connection error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { waits, sleep } = recorder();
    await expect(fetchText(`http://127.0.0.1:${deadPort}/`, { disallowPrivateIpRanges: false, sleep })).rejects.toThrow(
      `GET http://127.0.0.1:${deadPort}/ giving up after 3 attempt(s): Get "http://127.0.0.1:${deadPort}/": dial tcp 127.0.0.1:${deadPort}: connect: connection refused`,
    );
    expect(waits).toEqual([1000, 2000]);
  });

  it("follows redirects", async () => {
    expect(await fetchText(`${base}/moved`, { disallowPrivateIpRanges: false })).toEqual({ status: 200, body: "answer 200" });
  });
});

describe("the address guard (httpx ssrf.go, on the dialled address)", () => {
  it("refuses loopback with clients.http.disallow_private_ip_ranges, by literal and by name, and retries the refusal", async () => {
    const { waits, sleep } = recorder();
    hits = 0;
    await expect(fetchText(`${base}/x`, { disallowPrivateIpRanges: true, sleep })).rejects.toThrow(
      `GET ${base}/x giving up after 3 attempt(s): Get "${base}/x": dial tcp 127.0.0.1:${port}: prohibited IP address: 127.0.0.1 is not a permitted destination (denied by: 127.0.0.0/8)`,
    );
    expect(waits).toEqual([1000, 2000]);
    // `localhost` resolves to a loopback address: refused in the socket's lookup, before any byte is sent.
    await expect(fetchText(`http://localhost:${port}/x`, { disallowPrivateIpRanges: true, sleep })).rejects.toThrow(
      /prohibited IP address: (127\.0\.0\.1|::1) is not a permitted destination/,
    );
    expect(hits).toBe(0);
    expect((await fetchText(`http://localhost:${port}/x`, { disallowPrivateIpRanges: false })).status).toBe(200);
  });

  it("refuses special-purpose ranges even when private ranges are allowed (allowInternalAllowIPv6)", () => {
    expect(prohibitedAddress("0.0.0.0", false)).toBe("0.0.0.0 is not a permitted destination (denied by: 0.0.0.0/8)");
    expect(prohibitedAddress("100.64.0.1", false)).toBe("100.64.0.1 is not a permitted destination (denied by: 100.64.0.0/10)");
    expect(prohibitedAddress("203.0.113.9", false)).toBe("203.0.113.9 is not a permitted destination (denied by: 203.0.113.0/24)");
    expect(prohibitedAddress("fe80::1", false)).toBe(
      "fe80::1 is not a permitted destination as it's outside of the IPv6 Global Unicast range",
    );
    expect(prohibitedAddress("2001:db8::1", false)).toBe("2001:db8::1 is not a permitted destination (denied by: 2001:db8::/32)");
    for (const allowed of ["127.0.0.1", "10.1.2.3", "192.168.0.1", "::1", "fd00::1", "::ffff:10.0.0.1", "8.8.8.8", "2606:4700::1111"]) {
      expect(prohibitedAddress(allowed, false), allowed).toBeUndefined();
    }
    expect(prohibitedAddress("10.1.2.3", true)).toBe("10.1.2.3 is not a permitted destination (denied by: 10.0.0.0/8)");
    expect(prohibitedAddress("fd00::1", true)).toBe(
      "fd00::1 is not a permitted destination as it's outside of the IPv6 Global Unicast range",
    );
    expect(prohibitedAddress("8.8.8.8", true)).toBeUndefined();
  });
});

describe("clients.http.private_ip_exception_urls (driver/registry_sql.go HTTPClient, ory/x httpx/ssrf.go noInternalIPRoundTripper.RoundTrip)", () => {
  // As driver/registry_sql_test.go TestRegistrySQL_HTTPClient: private ranges disallowed, `<server>/exception/*` excepted.
  const policy = () => ({ disallowPrivateIpRanges: true, privateIpExceptionUrls: [`${base}/exception/*`] });

  it("lets a URL matching an exception glob reach a loopback address, and refuses any other", async () => {
    const { sleep } = recorder();
    expect(await fetchText(`${base}/exception/foo`, { ...policy(), sleep })).toEqual({ status: 200, body: "answer 200" });
    await expect(fetchText(`${base}/foo`, { ...policy(), sleep })).rejects.toThrow(/prohibited IP address: 127\.0\.0\.1/);
  });

  it("matches without the query, with `/` and `.` as glob separators", () => {
    const refuses = (url: string) => refusesInternalAddresses(url, policy());
    expect(refuses(`${base}/exception/foo?client=1&x=/y`)).toBe(false);
    expect(refuses(`${base}/exception/a/b`)).toBe(true);
    expect(refuses(`${base}/exception/a.json`)).toBe(true);
    expect(refusesInternalAddresses(`${base}/exception/a/b.json`, { ...policy(), privateIpExceptionUrls: [`${base}/exception/**`] })).toBe(
      false,
    );
    // The fragment is not cleared (only RawFragment is), so it takes part in the match.
    const exact = { disallowPrivateIpRanges: true, privateIpExceptionUrls: [`${base}/exception/foo`] };
    expect(refusesInternalAddresses(`${base}/exception/foo?x=1`, exact)).toBe(false);
    expect(refusesInternalAddresses(`${base}/exception/foo#part`, exact)).toBe(true);
    // Case-sensitive: Go keeps the host as written (and lower-cases only the scheme).
    const named = { disallowPrivateIpRanges: true, privateIpExceptionUrls: [`http://localhost:${port}/exception/*`] };
    expect(refusesInternalAddresses(`HTTP://localhost:${port}/exception/foo`, named)).toBe(false);
    expect(refusesInternalAddresses(`http://LocalHost:${port}/exception/foo`, named)).toBe(true);
    // Without disallow_private_ip_ranges the exceptions are not consulted.
    expect(refusesInternalAddresses(`${base}/foo`, { disallowPrivateIpRanges: false, privateIpExceptionUrls: ["[invalid"] })).toBe(false);
  });

  it("decides each request of a redirect chain on its own URL", async () => {
    const { sleep } = recorder();
    await expect(fetchText(`${base}/exception/moved`, { ...policy(), sleep })).rejects.toThrow(
      `dial tcp 127.0.0.1:${port}: prohibited IP address`,
    );
    const both = { disallowPrivateIpRanges: true, privateIpExceptionUrls: [`${base}/exception/*`, `${base}/outside`] };
    expect((await fetchText(`${base}/exception/moved`, { ...both, sleep })).status).toBe(200);
  });

  it("fails the request (retried, then given up) on a pattern that does not compile before any match", async () => {
    const { waits, sleep } = recorder();
    const broken = { disallowPrivateIpRanges: true, privateIpExceptionUrls: ["http://[unclosed", `${base}/exception/*`] };
    await expect(fetchText(`${base}/exception/foo`, { ...broken, sleep })).rejects.toThrow(/giving up after 3 attempt\(s\)/);
    expect(waits).toEqual([1000, 2000]);
    const matchedFirst = { disallowPrivateIpRanges: true, privateIpExceptionUrls: [`${base}/exception/*`, "http://[unclosed"] };
    expect((await fetchText(`${base}/exception/foo`, { ...matchedFirst, sleep })).status).toBe(200);
  });
});
