import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { PrivateIpPolicy } from "@olympus/server-kit/http";
import { afterEach, describe, expect, it } from "vitest";
import { goDiscover } from "./discovery";
import { goNetworkText } from "./go-net-errors";
import { discoveryError } from "./provider-errors";
import { providerFetchFor } from "./provider-fetch";
import { KEY, TRUSTED_CERT } from "./testing/certificates";
import { exchangeFailure, genericProvider } from "./testing/generic-provider";

/**
 * The provider calls under Kratos' ssrf guard (driver/registry_default.go
 * HTTPClient with `clients.http.disallow_private_ip_ranges` and
 * `private_ip_exception_urls`; oryx/httpx/ssrf.go noInternalIPRoundTripper
 * and its transports, code.dny.dev/ssrf v0.2.0 Guardian.Safe): a refused
 * dial is Go's url.Error `<Method> "<url>": dial tcp <ip>:<port>: prohibited
 * IP address: <ip> is not a permitted destination (denied by: <prefix>)`,
 * which Kratos shows in its own words per call (provider-errors.ts). The
 * providers here are real servers on 127.0.0.1 that count what reaches them.
 */

const servers: (Server | TlsServer)[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

interface Provider {
  base: string;
  port: number;
  /** TCP connections accepted. */
  connections: () => number;
  /** Request paths served. */
  paths: string[];
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, base: string) => void): Promise<Provider> {
  const paths: string[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    paths.push(req.url ?? "");
    handler(req, res, base);
  });
  server.on("connection", () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return { base, port, connections: () => connections, paths };
}

const json = (res: ServerResponse, body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));

/** A provider whose discovery names itself (as `issuer`, the host the test asks for) and whose token endpoint gives a token. */
const idp = () =>
  serve((req, res, base) => {
    const issuer = `http://${req.headers.host ?? ""}`;
    if (req.url === "/.well-known/openid-configuration") return json(res, { issuer, token_endpoint: `${base}/token` });
    json(res, { access_token: "at", token_type: "bearer" });
  });

const PREFIX = "Unable to initialize OpenID Connect Provider: ";
const DISALLOW: PrivateIpPolicy = { disallowPrivateIpRanges: true };

const discoveryFailure = (issuer: string, policy: PrivateIpPolicy) =>
  goDiscover(issuer, 5, policy).then(
    () => undefined,
    (error: unknown) => discoveryError(issuer, error).reason,
  );

/** The code exchange's failure for a provider at `issuer` whose calls may reach private addresses only at these URLs. */
const exchangeUnder = (issuer: string, privateIpExceptionUrls: string[]) =>
  exchangeFailure(genericProvider(issuer, { privateIpPolicy: { disallowPrivateIpRanges: true, privateIpExceptionUrls } }), "c");

const loopbackRefusal = (port: number) =>
  `dial tcp 127.0.0.1:${port}: prohibited IP address: 127.0.0.1 is not a permitted destination (denied by: 127.0.0.0/8)`;

describe("clients.http.disallow_private_ip_ranges on the provider calls (ory/x httpx ssrf.go)", () => {
  it("refuses a provider on a loopback address before connecting, with Go's dial error in Kratos' discovery error", async () => {
    const provider = await idp();
    const wellKnown = `${provider.base}/.well-known/openid-configuration`;
    expect(await discoveryFailure(provider.base, DISALLOW)).toBe(`${PREFIX}Get "${wellKnown}": ${loopbackRefusal(provider.port)}`);
    expect(provider.connections()).toBe(0);
  });

  it("checks the address a host name resolves to, not the name (`localhost`)", async () => {
    const provider = await idp();
    const issuer = `http://localhost:${provider.port}`;
    const reason = await discoveryFailure(issuer, DISALLOW);
    expect(reason).toMatch(
      new RegExp(
        `^${PREFIX}Get "${issuer}/\\.well-known/openid-configuration": dial tcp (127\\.0\\.0\\.1:${provider.port}|\\[::1\\]:${provider.port}): prohibited IP address: `,
      ),
    );
    expect(provider.connections()).toBe(0);
  });

  it("refuses an https provider on a loopback address before any TCP connection (the guard sits before TLS, as ssrf's dialer Control does)", async () => {
    const server = createTlsServer({ key: KEY, cert: TRUSTED_CERT }, (_req, res) => res.end("{}"));
    let connections = 0;
    server.on("connection", () => connections++);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const issuer = `https://127.0.0.1:${port}`;
    expect(await discoveryFailure(issuer, DISALLOW)).toBe(
      `${PREFIX}Get "${issuer}/.well-known/openid-configuration": ${loopbackRefusal(port)}`,
    );
    expect(connections).toBe(0);
  });

  it("prints an IPv4-mapped IPv6 address as net.IP.String does, dotted (go net/ip.go String: To4 first)", async () => {
    const provider = await idp();
    const fetch = providerFetchFor(DISALLOW);
    const url = `http://[::ffff:127.0.0.1]:${provider.port}/.well-known/openid-configuration`;
    const error: unknown = await fetch(url, { method: "GET", headers: {}, redirect: "manual", body: undefined }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(goNetworkText("Get", url, error)).toBe(`Get "${url}": ${loopbackRefusal(provider.port)}`);
    expect(provider.connections()).toBe(0);
  });

  it("lets the provider calls through when the option is off (Kratos' default, Olympus' dev configs)", async () => {
    const provider = await idp();
    expect((await goDiscover(provider.base, 5, { disallowPrivateIpRanges: false })).tokenEndpoint).toBe(`${provider.base}/token`);
  });

  it("lets a URL matching private_ip_exception_urls through (gobwas glob over the URL without its query)", async () => {
    const provider = await idp();
    const policy = { disallowPrivateIpRanges: true, privateIpExceptionUrls: [`${provider.base}/.well-known/*`] };
    expect((await goDiscover(provider.base, 5, policy)).issuer).toBe(provider.base);
  });

  it("matches exceptions against the URL with its fragment, as Kratos does: a `**` host pattern matches through `#…` (listed in the README)", async () => {
    // noInternalIPRoundTripper.RoundTrip clears RawQuery and RawFragment only; url.String still writes Fragment.
    const provider = await idp();
    const policy = { disallowPrivateIpRanges: true, privateIpExceptionUrls: ["http://**.trusted.example/*"] };
    const fetch = providerFetchFor(policy);
    const url = `${provider.base}/.well-known/openid-configuration#.trusted.example/x`;
    expect((await fetch(url, { method: "GET", headers: {}, redirect: "manual", body: undefined })).status).toBe(200);
    expect(provider.paths).toEqual(["/.well-known/openid-configuration"]);
  });

  it("judges every redirect hop by its own URL: an excepted provider redirecting to a private address is refused there", async () => {
    const target = await idp();
    const first = await serve((_req, res) => res.writeHead(302, { location: `${target.base}/.well-known/openid-configuration` }).end());
    const policy = { disallowPrivateIpRanges: true, privateIpExceptionUrls: [`${first.base}/**`] };
    expect(await discoveryFailure(first.base, policy)).toBe(
      `${PREFIX}Get "${target.base}/.well-known/openid-configuration": ${loopbackRefusal(target.port)}`,
    );
    expect(first.paths).toEqual(["/.well-known/openid-configuration"]);
    expect(target.connections()).toBe(0);
  });

  it("checks a kept-alive connection before a request it refuses goes out on it (Go keeps one pool per verdict)", async () => {
    const provider = await idp();
    const wellKnown = `${provider.base}/.well-known/openid-configuration`;
    const fetch = providerFetchFor({ disallowPrivateIpRanges: true, privateIpExceptionUrls: [wellKnown] });
    const get = (url: string) => fetch(url, { method: "GET", headers: {}, redirect: "manual", body: undefined });
    expect((await get(wellKnown)).status).toBe(200);
    // The first answer is complete: its connection is idle in the pool when the next request starts.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error: unknown = await get(`${provider.base}/userinfo`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(goNetworkText("Get", `${provider.base}/userinfo`, error)).toBe(
      `Get "${provider.base}/userinfo": ${loopbackRefusal(provider.port)}`,
    );
    expect(provider.paths).toEqual(["/.well-known/openid-configuration"]);
    expect(provider.connections()).toBe(1);
  });

  it("fails a call when an exception pattern does not compile: gobwas' error in Go's url.Error (ssrf.go noInternalIPRoundTripper.RoundTrip)", async () => {
    const provider = await idp();
    const wellKnown = `${provider.base}/.well-known/openid-configuration`;
    const policy = { disallowPrivateIpRanges: true, privateIpExceptionUrls: ["http://[", `${provider.base}/**`] };
    expect(await discoveryFailure(provider.base, policy)).toBe(`${PREFIX}Get "${wellKnown}": unexpected end of input`);
    const ranged = { disallowPrivateIpRanges: true, privateIpExceptionUrls: ["https://[z-a].example/**"] };
    expect(await discoveryFailure(provider.base, ranged)).toBe(
      `${PREFIX}Get "${wellKnown}": hi character 'a' should be greater than lo 'z'`,
    );
    expect(provider.connections()).toBe(0);
  });

  it("a pattern that compiles before a bad one lets its URL through: the list is compiled in order, up to the first match", async () => {
    const provider = await idp();
    const policy = { disallowPrivateIpRanges: true, privateIpExceptionUrls: [`${provider.base}/**`, "http://["] };
    expect((await goDiscover(provider.base, 5, policy)).issuer).toBe(provider.base);
  });

  it("refuses the code exchange's token request to an address the exceptions do not cover (after an excepted discovery)", async () => {
    const provider = await idp();
    const error = await exchangeUnder(provider.base, [`${provider.base}/.well-known/openid-configuration`]);
    // x/oauth2 tried both auth styles; the second attempt's url.Error is exchangeCode's 500.
    expect(error.code).toBe(500);
    expect(error.message).toBe(`Post "${provider.base}/token": ${loopbackRefusal(provider.port)}`);
    expect(provider.paths).toEqual(["/.well-known/openid-configuration"]);
  });

  it("fails the code exchange on a bad pattern after the pattern that let discovery through, with the same url.Error", async () => {
    const provider = await idp();
    const error = await exchangeUnder(provider.base, [`${provider.base}/.well-known/openid-configuration`, "http://[a-"]);
    expect(error.code).toBe(500);
    expect(error.message).toBe(`Post "${provider.base}/token": unexpected end of input`);
    expect(provider.paths).toEqual(["/.well-known/openid-configuration"]);
  });
});
