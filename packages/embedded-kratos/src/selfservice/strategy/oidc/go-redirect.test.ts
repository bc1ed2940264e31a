import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as oidc from "openid-client";
import { afterEach, describe, expect, it } from "vitest";
import { withTokenAuthProbe } from "./go-token-request";
import { userInfoError } from "./provider-errors";
import { providerFetchFor } from "./provider-fetch";

/** The provider calls under Kratos' default `clients.http` (the test providers listen on 127.0.0.1). */
const providerFetch = providerFetchFor({ disallowPrivateIpRanges: false });

/**
 * The provider calls' redirects as Go's http.Client follows them (net/http
 * client.go Client.do, redirectBehavior, makeHeadersCopier,
 * shouldCopyHeaderOnRedirect, refererForURL, defaultCheckRedirect): Kratos
 * gives go-oidc (userinfo, keys) and x/oauth2 (the token request) the
 * http.Client of its resilient client (provider_generic_oidc.go
 * withHTTPClientContext), which follows them; openid-client asks for none.
 * Real local servers; 127.0.0.1 and localhost are two hosts to Go.
 */

interface Seen {
  method: string;
  url: string;
  host: string;
  authorization: string | undefined;
  contentType: string | undefined;
  referer: string | undefined;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, base: string) => void, seen: Seen[] = []): Promise<string> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        host: req.headers.host ?? "",
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        referer: req.headers.referer,
        body,
      });
      handler(req, res, base);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return base;
}

const json = (res: ServerResponse, body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));

function configure(base: string): oidc.Configuration {
  const server: oidc.ServerMetadata = { issuer: base, token_endpoint: `${base}/token`, userinfo_endpoint: `${base}/userinfo` };
  const configuration = new oidc.Configuration(server, "client", "secret");
  configuration[oidc.customFetch] = providerFetch;
  oidc.allowInsecureRequests(configuration);
  return configuration;
}

const userInfo = async (base: string) =>
  oidc.fetchUserInfo(configure(base), "the-token", oidc.skipSubjectCheck).then(
    (info) => ({ info: { ...info } }),
    async (error: unknown) => ({ error: await userInfoError(`${base}/userinfo`, error) }),
  );

describe("go-oidc UserInfo's request follows redirects (client.go Client.do)", () => {
  it("a same-host redirect keeps the Authorization header and carries the previous URL as Referer", async () => {
    const seen: Seen[] = [];
    const base = await serve((req, res) => {
      if (req.url === "/userinfo") return res.writeHead(302, { location: "/moved" }).end();
      json(res, { sub: "s" });
    }, seen);
    expect(await userInfo(base)).toEqual({ info: { sub: "s" } });
    expect(seen.map((s) => [s.method, s.url, s.authorization, s.referer])).toEqual([
      ["GET", "/userinfo", "Bearer the-token", undefined],
      ["GET", "/moved", "Bearer the-token", `${base}/userinfo`],
    ]);
  });

  it("a 3xx without Location is the answer, no error (client.go do: issues #17773, #49281): go-oidc reports its status and body", async () => {
    const seen: Seen[] = [];
    const base = await serve((_req, res) => res.writeHead(302, { "content-type": "text/plain" }).end("no location"), seen);
    const result = await userInfo(base);
    expect("error" in result && result.error.message).toBe("302 Found: no location");
    expect(seen).toHaveLength(1);
  });

  it("a redirect to another host drops Authorization (shouldCopyHeaderOnRedirect), also on later hops back", async () => {
    const seen: Seen[] = [];
    let other = "";
    const base = await serve((req, res) => {
      if (req.url === "/userinfo") return res.writeHead(307, { location: `${other}/elsewhere` }).end();
      json(res, { sub: "s" });
    }, seen);
    other = (await serve((_req, res) => res.writeHead(308, { location: `${base}/back` }).end(), seen)).replace("127.0.0.1", "localhost");
    expect(await userInfo(base)).toEqual({ info: { sub: "s" } });
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ["/userinfo", "Bearer the-token"],
      ["/elsewhere", undefined],
      ["/back", undefined],
    ]);
  });

  it('the tenth redirect is refused: 500 `Get "<Location>": stopped after 10 redirects`', async () => {
    const seen: Seen[] = [];
    const base = await serve((_req, res) => res.writeHead(303, { location: `/again/${seen.length}` }).end(), seen);
    const outcome = await userInfo(base);
    expect("error" in outcome && outcome.error.message).toBe('Get "/again/10": stopped after 10 redirects');
    expect(seen).toHaveLength(10);
  });
});

describe("x/oauth2's token request follows redirects (redirectBehavior)", () => {
  const client = { clientId: "client", clientSecret: "secret", timeoutSeconds: 5 };
  const exchange = async (base: string) => {
    const configuration = configure(base);
    return withTokenAuthProbe(client, () => oidc.authorizationCodeGrant(configuration, new URL("http://rp.localhost/cb?code=c"))).then(
      (tokens) => tokens.access_token,
      () => undefined,
    );
  };
  const FORM = "application/x-www-form-urlencoded";
  const BASIC = `Basic ${Buffer.from("client:secret").toString("base64")}`;

  it("307 and 308 resend the POST with its body, Content-Type and (same host) Authorization", async () => {
    const seen: Seen[] = [];
    const base = await serve((req, res) => {
      if (req.url === "/token") return res.writeHead(307, { location: "/token2" }).end();
      if (req.url === "/token2") return res.writeHead(308, { location: "/token3" }).end();
      json(res, { access_token: "at", token_type: "Bearer" });
    }, seen);
    expect(await exchange(base)).toBe("at");
    expect(seen.map((s) => [s.method, s.url, s.contentType, s.authorization, s.body.includes("code=c")])).toEqual([
      ["POST", "/token", FORM, BASIC, true],
      ["POST", "/token2", FORM, BASIC, true],
      ["POST", "/token3", FORM, BASIC, true],
    ]);
  });

  it("301, 302 and 303 turn the POST into a GET without body or Content-Type, and a later 307 sends none either", async () => {
    const seen: Seen[] = [];
    const base = await serve((req, res) => {
      if (req.method === "POST") return res.writeHead(302, { location: "/as-get" }).end();
      if (req.url === "/as-get") return res.writeHead(307, { location: "/still-get" }).end();
      json(res, { access_token: "at", token_type: "Bearer" });
    }, seen);
    expect(await exchange(base)).toBe("at");
    expect(seen.map((s) => [s.method, s.url, s.contentType, s.body])).toEqual([
      ["POST", "/token", FORM, expect.stringContaining("code=c")],
      ["GET", "/as-get", undefined, ""],
      ["GET", "/still-get", undefined, ""],
    ]);
  });
});
