import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as oidc from "openid-client";
import { afterEach, describe, expect, it } from "vitest";
import type { KratosError } from "../../../http/errors";
import { PROVIDER_TIMEOUT_SECONDS, providerConfiguration } from "./client";
import { discoveryError, tokenExchangeError, userInfoError } from "./provider-errors";
import { providerFetchFor } from "./provider-fetch";

/** The provider calls under Kratos' default `clients.http` (the test providers listen on 127.0.0.1). */
const providerFetch = providerFetchFor({ disallowPrivateIpRanges: false });

/**
 * Provider answers whose body cannot be read, and the JWKS fetch inside the
 * code exchange, as Kratos reports them. Go's http.Client Timeout covers
 * the reading of the body (net/http client.go cancelTimerBody.Read adds
 * `(Client.Timeout or context cancellation while reading body)` to the
 * transport's context.DeadlineExceeded, transport.go readLoop); each caller
 * of io.ReadAll words it: go-oidc oidc.go NewProvider and jwks.go
 * updateKeys `unable to read response body: …`, x/oauth2 internal/token.go
 * doTokenRoundTrip `oauth2: cannot fetch token: …`, go-oidc UserInfo the
 * error alone; a failed key fetch is go-oidc's verify.go Verify `failed to
 * verify signature: …` of RemoteKeySet.verify's `fetching keys %w` of
 * updateKeys' `oidc: get keys failed %w`, a 400 from Kratos'
 * verifiedIDToken. Real local servers; the timeout is shortened (30 s in the
 * strategy, as Kratos' Client.Timeout). A body that breaks off is read as
 * Go reads it: transfer.go body.readLocked and internal/chunked.go turn an
 * early end into io.ErrUnexpectedEOF, a reset stays the read's net.OpError.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => handler(req, res, base));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return base;
}

/** Sends the headers and the start of a JSON body, then nothing more. */
const stall = (res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"issuer":');
};

const json = (res: ServerResponse, body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));

const metadata = (base: string, jwksUri = `${base}/jwks`) => ({
  issuer: base,
  authorization_endpoint: `${base}/auth`,
  token_endpoint: `${base}/token`,
  userinfo_endpoint: `${base}/userinfo`,
  jwks_uri: jwksUri,
});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An RS256 ID token for `client` whose signature is never reached: the keys to check it cannot be fetched. */
function idToken(issuer: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: issuer, aud: "client", sub: "subject", iat: now, exp: now + 300 };
  return `${b64url({ alg: "RS256", kid: "k" })}.${b64url(payload)}.${Buffer.from("signature").toString("base64url")}`;
}

// Long enough for the stalled answers' headers to come first on a loaded machine; the break-offs wait longer still.
const TIMEOUT = 1;
const BREAK_OFF_TIMEOUT = 10;

async function configure(base: string, timeout = TIMEOUT): Promise<oidc.Configuration> {
  const configuration = await oidc.discovery(new URL(base), "client", "secret", oidc.ClientSecretBasic("secret"), {
    [oidc.customFetch]: providerFetch,
    execute: [oidc.allowInsecureRequests],
    timeout,
  });
  oidc.enableNonRepudiationChecks(configuration);
  return configuration;
}

const exchange = (configuration: oidc.Configuration) =>
  oidc
    .authorizationCodeGrant(configuration, new URL("http://rp.localhost/callback?code=c&state=s"), {
      expectedState: "s",
      idTokenExpected: true,
    })
    .then(
      () => undefined,
      (error: unknown) => tokenExchangeError(configuration.serverMetadata().token_endpoint ?? "", error),
    );

const BODY_TIMEOUT = "context deadline exceeded (Client.Timeout or context cancellation while reading body)";

describe("provider answers whose body stalls past the timeout, in Go's words", () => {
  it("discovery: invalid_configuration, `unable to read response body: …` (go-oidc NewProvider)", async () => {
    const base = await serve((_req, res) => stall(res));
    const error = await oidc
      .discovery(new URL(base), "client", undefined, undefined, {
        [oidc.customFetch]: providerFetch,
        execute: [oidc.allowInsecureRequests],
        timeout: TIMEOUT,
      })
      .then(
        () => undefined,
        (e: unknown) => discoveryError(base, e),
      );
    expect(error?.code).toBe(500);
    expect(error?.reason).toBe(`Unable to initialize OpenID Connect Provider: unable to read response body: ${BODY_TIMEOUT}`);
  });

  it("the code exchange: 500 `oauth2: cannot fetch token: …` (x/oauth2 doTokenRoundTrip)", async () => {
    const base = await serve((req, res, b) => (req.url?.startsWith("/.well-known/") ? json(res, metadata(b)) : stall(res)));
    const error = await exchange(await configure(base));
    expect(error?.code).toBe(500);
    expect(error?.message).toBe(`oauth2: cannot fetch token: ${BODY_TIMEOUT}`);
  });

  it("userinfo: 500 with the error alone (go-oidc UserInfo)", async () => {
    const base = await serve((req, res, b) => (req.url?.startsWith("/.well-known/") ? json(res, metadata(b)) : stall(res)));
    const configuration = await configure(base);
    const error = await oidc.fetchUserInfo(configuration, "token", oidc.skipSubjectCheck).then(
      () => undefined,
      (e: unknown) => userInfoError(`${base}/userinfo`, e),
    );
    expect(error?.code).toBe(500);
    expect(error?.message).toBe(BODY_TIMEOUT);
  });

  it("the ID token's keys: 400 `failed to verify signature: fetching keys unable to read response body: …` (jwks.go updateKeys)", async () => {
    const base = await serve((req, res, b) => {
      if (req.url?.startsWith("/.well-known/")) return json(res, metadata(b));
      if (req.url === "/token") return json(res, { access_token: "at", token_type: "Bearer", id_token: idToken(b) });
      stall(res);
    });
    const error = await exchange(await configure(base));
    expect(error?.code).toBe(400);
    expect(error?.reason).toBe(`failed to verify signature: fetching keys unable to read response body: ${BODY_TIMEOUT}`);
  });
});

describe("provider answers whose body breaks off, in Go's words", () => {
  it("a body ended before its Content-Length: `unable to read response body: unexpected EOF` (transfer.go body.readLocked)", async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"issuer":');
      setTimeout(() => res.socket?.end(), 20);
    });
    const error = await oidc
      .discovery(new URL(base), "client", undefined, undefined, {
        [oidc.customFetch]: providerFetch,
        execute: [oidc.allowInsecureRequests],
        timeout: BREAK_OFF_TIMEOUT,
      })
      .then(
        () => undefined,
        (e: unknown) => discoveryError(base, e),
      );
    expect(error?.reason).toBe("Unable to initialize OpenID Connect Provider: unable to read response body: unexpected EOF");
  });

  it("a chunked token answer reset mid-body: `oauth2: cannot fetch token: read tcp <local>-><remote>: read: connection reset by peer`", async () => {
    let clientEnd = "";
    const base = await serve((req, res, b) => {
      if (req.url?.startsWith("/.well-known/")) return json(res, metadata(b));
      clientEnd = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"access_token":');
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    const error = await exchange(await configure(base, BREAK_OFF_TIMEOUT));
    expect(error?.code).toBe(500);
    expect(error?.message).toBe(
      `oauth2: cannot fetch token: read tcp ${clientEnd}->${base.slice("http://".length)}: read: connection reset by peer`,
    );
  });
});

describe("the JWKS fetch inside the code exchange is named as go-oidc names it", () => {
  it('unreachable keys: 400 `failed to verify signature: fetching keys oidc: get keys failed Get "<jwks_uri>": …`', async () => {
    const closed = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const jwks = `${closed}/jwks`;
    const base = await serve((req, res, b) => {
      if (req.url?.startsWith("/.well-known/")) return json(res, metadata(b, jwks));
      json(res, { access_token: "at", token_type: "Bearer", id_token: idToken(b) });
    });
    const error: KratosError | undefined = await exchange(await configure(base));
    expect(error?.code).toBe(400);
    expect(error?.reason).toBe(
      `failed to verify signature: fetching keys oidc: get keys failed Get "${jwks}": dial tcp ${closed.slice("http://".length)}: connect: connection refused`,
    );
  });
});

describe("the strategy's provider client", () => {
  it("runs on providerFetchFor's fetch with Kratos' 30 s Client.Timeout (RegistryDefault.HTTPClient)", async () => {
    const base = await serve((_req, res, b) => json(res, metadata(b)));
    const policy = { disallowPrivateIpRanges: false };
    const configuration = await providerConfiguration({
      id: "generic",
      label: "Generic",
      type: "generic",
      linkingLabel: "Generic",
      clientId: "client",
      clientSecret: "secret",
      issuerUrl: base,
      scopes: ["openid"],
      mapperUrl: "",
      claimsSource: "id_token",
      pkce: "auto",
      requestedClaims: undefined,
      additionalAudiences: [],
      privateIpPolicy: policy,
    });
    expect(configuration[oidc.customFetch]).toBe(providerFetchFor(policy));
    expect(PROVIDER_TIMEOUT_SECONDS).toBe(30);
    expect(configuration.timeout).toBe(30);
  });
});
