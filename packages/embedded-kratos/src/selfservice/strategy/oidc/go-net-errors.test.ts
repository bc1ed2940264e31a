import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import * as oidc from "openid-client";
import { afterEach, describe, expect, it } from "vitest";
import type { KratosError } from "../../../http/errors";
import { goNetworkText } from "./go-net-errors";
import { discoveryError, tokenExchangeError, userInfoError } from "./provider-errors";

/**
 * Transport failures of the provider calls worded as Go's net/http client
 * words them, as Kratos' ProviderGenericOIDC passes them on: go-oidc's
 * NewProvider (discovery), x/oauth2's token exchange and go-oidc's UserInfo
 * all return the client's url.Error (net/http client.go Client.do:
 * `<Method> "<url>": <cause>`; transport.go persistConn.readLoop /
 * mapRoundTripError leave a read error from the server undecorated).
 * Each failure comes from a real local server; openid-client's timeout is
 * shortened here (it is 30 s in the strategy, as Kratos' Client.Timeout).
 */

// A self-signed certificate for localhost and 127.0.0.1 valid from 2000 to 2100, trusted by nobody: test fixture only.
const UNTRUSTED_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAgSgaRBV2y0Ch2u6
LeEHgWBzxwWUQCW97Dw986H9NS+hRANCAAS7fTcpOnbNxnHmYgZbU6hPTkyZ05O6
+TKE3e+uEf2H7e5hsMLVNdWdCxkFABmaPOO5DCpIQdH6pxHlmCc+YoaF
-----END PRIVATE KEY-----
`;
const UNTRUSTED_CERT = `-----BEGIN CERTIFICATE-----
MIIBZzCCAQ2gAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
c3QwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM
CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABLt9Nyk6ds3GceZi
BltTqE9OTJnTk7r5MoTd764R/Yft7mGwwtU11Z0LGQUAGZo847kMKkhB0fqnEeWY
Jz5ihoWjTjBMMBoGA1UdEQQTMBGCCWxvY2FsaG9zdIcEfwAAATAPBgNVHRMBAf8E
BTADAQH/MB0GA1UdDgQWBBTcAqfpGdRYlfEkW0+n0DOeryvFPTAKBggqhkjOPQQD
AgNIADBFAiAbKaFucGYwnA8AHGHxeKDsIA2N9mVHDUkGg4/lNak3VAIhAJQOPT0p
9RremiZ2UNZKAJhZ7Jyvo8SNwE2IIGz4gZnr
-----END CERTIFICATE-----
`;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A server that does to every request's connection what `act` says; resolves the client's end as Go names it. */
async function brokenServer(act: (socket: Socket) => void): Promise<{ url: string; clientEnd: () => string }> {
  let clientEnd = "";
  const server = createHttpServer();
  server.on("connection", (socket) => {
    clientEnd = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.once("data", () => act(socket));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, clientEnd: () => clientEnd };
}

const discover = (issuer: string, timeout = 5) =>
  oidc
    .discovery(new URL(issuer), "client", undefined, undefined, {
      ...(issuer.startsWith("http:") ? { execute: [oidc.allowInsecureRequests] } : {}),
      timeout,
    })
    .then(
      () => undefined,
      (error: unknown) => discoveryError(issuer, error),
    );

const reasonOf = (error: KratosError | undefined) => error?.reason;
const PREFIX = "Unable to initialize OpenID Connect Provider: ";

describe("provider transport failures in Go's net/http words", () => {
  it("a provider that answers nothing before the timeout: context deadline exceeded (Client.Timeout exceeded while awaiting headers)", async () => {
    const port = await listen(createHttpServer(() => undefined));
    const issuer = `http://127.0.0.1:${port}`;
    expect(reasonOf(await discover(issuer, 0.2))).toBe(
      `${PREFIX}Get "${issuer}/.well-known/openid-configuration": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    );
  });

  it("a connection reset by the provider: read tcp <local>-><remote>: read: connection reset by peer", async () => {
    const server = await brokenServer((socket) => socket.resetAndDestroy());
    const remote = server.url.slice("http://".length);
    expect(reasonOf(await discover(server.url))).toBe(
      `${PREFIX}Get "${server.url}/.well-known/openid-configuration": read tcp ${server.clientEnd()}->${remote}: read: connection reset by peer`,
    );
  });

  it("a provider that closes the connection without answering: EOF", async () => {
    const server = await brokenServer((socket) => socket.end());
    expect(reasonOf(await discover(server.url))).toBe(`${PREFIX}Get "${server.url}/.well-known/openid-configuration": EOF`);
  });

  it("a certificate no trusted authority signed: tls: failed to verify certificate: x509: certificate signed by unknown authority", async () => {
    const port = await listen(createHttpsServer({ key: UNTRUSTED_KEY, cert: UNTRUSTED_CERT }, (_req, res) => res.end("{}")));
    const issuer = `https://localhost:${port}`;
    expect(reasonOf(await discover(issuer))).toBe(
      `${PREFIX}Get "${issuer}/.well-known/openid-configuration": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    );
  });

  it("a refused connection: dial tcp <address>: connect: connection refused", async () => {
    const port = await listen(createHttpServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const issuer = `http://127.0.0.1:${port}`;
    expect(reasonOf(await discover(issuer))).toBe(
      `${PREFIX}Get "${issuer}/.well-known/openid-configuration": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it("a refused IPv6 connection names the address as net.JoinHostPort does: in brackets (net.TCPAddr.String)", async () => {
    const server = createHttpServer();
    await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const issuer = `http://[::1]:${port}`;
    expect(reasonOf(await discover(issuer))).toBe(
      `${PREFIX}Get "${issuer}/.well-known/openid-configuration": dial tcp [::1]:${port}: connect: connection refused`,
    );
    // An IPv4-mapped address is dialled as the IPv4 address it holds (net.IP.String tries To4 first).
    const mapped = `http://[::ffff:127.0.0.1]:${port}`;
    expect(reasonOf(await discover(mapped))).toBe(
      `${PREFIX}Get "${mapped}/.well-known/openid-configuration": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it("a zoned IPv6 address keeps its zone inside the brackets (net.TCPAddr.String)", () => {
    // No link-local peer can be refused here, so the socket error is the one Node reports for it.
    const refused = Object.assign(new Error("connect ECONNREFUSED fe80::1%eth0:8080"), {
      code: "ECONNREFUSED",
      address: "fe80::1%eth0",
      port: 8080,
    });
    const url = "http://idp.example:8080/.well-known/openid-configuration";
    expect(goNetworkText("Get", url, new TypeError("fetch failed", { cause: refused }))).toBe(
      `Get "${url}": dial tcp [fe80::1%eth0]:8080: connect: connection refused`,
    );
  });

  it("the code exchange (Post) and userinfo (Get) carry the same texts as their 500 messages (strategy.go exchangeCode, claimsFromUserInfo)", async () => {
    const reset = await brokenServer((socket) => socket.resetAndDestroy());
    const hanging = await listen(createHttpServer(() => undefined));
    const configuration = new oidc.Configuration(
      {
        issuer: reset.url,
        token_endpoint: `${reset.url}/token`,
        userinfo_endpoint: `http://127.0.0.1:${hanging}/userinfo`,
      },
      "client",
      "secret",
    );
    oidc.allowInsecureRequests(configuration);
    // The reset must win over the timeout even on a loaded machine; only the userinfo call below waits for it.
    configuration.timeout = 5;

    const exchange = await oidc
      .authorizationCodeGrant(configuration, new URL("http://rp.localhost/callback?code=c&state=s"), { expectedState: "s" })
      .then(
        () => undefined,
        (error: unknown) => tokenExchangeError(`${reset.url}/token`, error),
      );
    expect(exchange?.code).toBe(500);
    expect(exchange?.message).toBe(
      `Post "${reset.url}/token": read tcp ${reset.clientEnd()}->${reset.url.slice("http://".length)}: read: connection reset by peer`,
    );

    configuration.timeout = 0.2;
    const info = await oidc.fetchUserInfo(configuration, "token", oidc.skipSubjectCheck).then(
      () => undefined,
      (error: unknown) => userInfoError(`http://127.0.0.1:${hanging}/userinfo`, error),
    );
    expect(info?.code).toBe(500);
    expect(info?.message).toBe(
      `Get "http://127.0.0.1:${hanging}/userinfo": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    );
  });
});
