import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { goDiscover } from "./discovery";
import { discoveryError } from "./provider-errors";

/**
 * ory/go-oidc (69986dfaf891) oidc.go NewProvider on Kratos' provider
 * client (provider_generic_oidc.go withHTTPClientContext hands go-oidc
 * `reg.HTTPClient(ctx).HTTPClient`, a net/http Client with Go's redirect
 * policy and a 30 s Client.Timeout): `io.ReadAll(io.LimitReader(resp.Body,
 * 1<<20))`, redirects as net/http client.go Client.do follows them
 * (defaultCheckRedirect: `stopped after 10 redirects`), and failures as
 * Kratos' ProviderGenericOIDC.provider reports them. Real local servers;
 * each test has its own, so go-oidc's per-URL body cache never answers
 * for another test.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, base: string) => void): Promise<string> {
  const server = createServer((req, res) => handler(req, res, base));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return base;
}

const document = (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}/auth`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
});

const PREFIX = "Unable to initialize OpenID Connect Provider: ";

/** Kratos' default `clients.http` (the test providers listen on 127.0.0.1). */
const ALLOW_PRIVATE = { disallowPrivateIpRanges: false };

const failure = (issuer: string, timeoutSeconds = 5) =>
  goDiscover(issuer, timeoutSeconds, ALLOW_PRIVATE).then(
    () => undefined,
    (error: unknown) => discoveryError(issuer, error).reason,
  );

/** A server whose well-known URL redirects `hops` times (302, relative Locations) before the document. */
async function redirecting(hops: number, seen: string[] = []): Promise<string> {
  return serve((req, res, base) => {
    seen.push(req.url ?? "");
    const n = req.url === "/.well-known/openid-configuration" ? 0 : Number(req.url?.slice("/hop/".length));
    if (n < hops) return res.writeHead(302, { location: `/hop/${n + 1}` }).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document(base)));
  });
}

describe("discovery redirects (net/http client.go Client.do, defaultCheckRedirect)", () => {
  it("follows nine redirects to the document", async () => {
    const seen: string[] = [];
    const issuer = await redirecting(9, seen);
    expect((await goDiscover(issuer, 5, ALLOW_PRIVATE)).tokenEndpoint).toBe(`${issuer}/token`);
    expect(seen).toHaveLength(10);
  });

  it('refuses the tenth: `Get "<Location>": stopped after 10 redirects` (url.Error\'s URL is the Location as written)', async () => {
    const seen: string[] = [];
    const issuer = await redirecting(10, seen);
    expect(await failure(issuer)).toBe(`${PREFIX}Get "/hop/10": stopped after 10 redirects`);
    // Ten requests were sent; the tenth answer's redirect was not followed.
    expect(seen).toHaveLength(10);
  });

  it("a hop that cannot be reached is named by its own URL", async () => {
    const closed = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const issuer = await serve((_req, res) => res.writeHead(301, { location: `${closed}/moved` }).end());
    expect(await failure(issuer)).toBe(
      `${PREFIX}Get "${closed}/moved": dial tcp ${closed.slice("http://".length)}: connect: connection refused`,
    );
  });
});

describe("the discovery answer's body (NewProvider: io.LimitReader(resp.Body, 1<<20))", () => {
  it("reads 1 MiB and no further: a body that stalls after it does not hold discovery up", async () => {
    const issuer = await serve((_req, res, base) => {
      const json = JSON.stringify(document(base));
      res.writeHead(200, { "content-type": "application/json" });
      // The document padded with JSON whitespace to exactly 1 MiB, then more that never ends.
      res.write(json + " ".repeat((1 << 20) - json.length));
      res.write("  ");
    });
    expect((await goDiscover(issuer, 1, ALLOW_PRIVATE)).issuer).toBe(issuer);
  });

  it("a document longer than 1 MiB is cut there and fails to decode as Go's decoder fails it", async () => {
    const issuer = await serve((_req, res, base) => {
      const json = JSON.stringify({ ...document(base), padding: "x".repeat(1 << 20) });
      res.writeHead(200, { "content-type": "application/json" }).end(json);
    });
    expect(await failure(issuer)).toBe(
      `${PREFIX}oidc: failed to decode provider discovery object: got Content-Type = application/json, but could not unmarshal as JSON: unexpected end of JSON input`,
    );
  });

  it("a provider that answers nothing before the timeout: `context deadline exceeded (Client.Timeout exceeded while awaiting headers)`", async () => {
    const issuer = await serve(() => undefined);
    expect(await failure(issuer, 0.2)).toBe(
      `${PREFIX}Get "${issuer}/.well-known/openid-configuration": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    );
  });
});
