import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KEY, TRUSTED_CERT, TRUSTED_ROOT_CERT } from "./testing/certificates";
import { exchangeFailure, genericProvider } from "./testing/generic-provider";

/**
 * An https issuer whose discovery document names an `http://` token
 * endpoint: Kratos sends the code and the client's secret there in the
 * clear, because nothing on its path looks at the scheme — go-oidc
 * (oidc.go NewProvider) keeps `token_endpoint` as the provider wrote it,
 * x/oauth2 (internal/token.go RetrieveToken, newTokenRequest) posts to
 * Endpoint.TokenURL whatever its scheme, and Go's http.Client speaks plain
 * http. It is the operator's configuration (the issuer is theirs to
 * choose), so this server does the same; pinned here.
 */

const servers: Server[] = [];
let defaults: string[] = [];
beforeAll(() => {
  defaults = getCACertificates("default");
  setDefaultCACertificates([...defaults, TRUSTED_ROOT_CERT]);
});
afterAll(() => setDefaultCACertificates(defaults));
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server, host: string): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

describe("an https issuer with a plain-http token endpoint (x/oauth2 RetrieveToken: no scheme check)", () => {
  it("posts the code with the client's secret to it, Basic first and in the form on the second attempt", async () => {
    const seen: { authorization: string | undefined; form: string }[] = [];
    const tokenPort = await listen(
      createHttpServer((req, res) => {
        let form = "";
        req.on("data", (chunk: Buffer) => (form += chunk.toString()));
        req.on("end", () => {
          seen.push({ authorization: req.headers.authorization, form });
          res.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid_grant"}');
        });
      }),
      "127.0.0.1",
    );
    const issuerPort = await listen(
      createHttpsServer({ key: KEY, cert: TRUSTED_CERT }, (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            issuer: `https://localhost:${issuerPort}`,
            authorization_endpoint: `https://localhost:${issuerPort}/auth`,
            token_endpoint: `http://127.0.0.1:${tokenPort}/token`,
            jwks_uri: `https://localhost:${issuerPort}/jwks`,
          }),
        );
      }),
      "127.0.0.1",
    );
    const error = await exchangeFailure(genericProvider(`https://localhost:${issuerPort}`), "the-code");
    expect(error).toMatchObject({ message: 'oauth2: "invalid_grant"' });
    // First attempt: Basic; second: the credentials in the form. Both carry the code.
    expect(seen.map((s) => s.authorization)).toEqual([`Basic ${Buffer.from("client:secret").toString("base64")}`, undefined]);
    expect(seen.map((s) => new URLSearchParams(s.form).get("code"))).toEqual(["the-code", "the-code"]);
    expect(new URLSearchParams(seen[1]?.form).get("client_secret")).toBe("secret");
  });
});
