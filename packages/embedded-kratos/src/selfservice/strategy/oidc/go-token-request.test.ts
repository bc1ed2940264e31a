import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { OidcProvider } from "./config";
import { GoTokenError, probeTokenRequest } from "./go-token-request";
import { exchangeFailure, genericProvider } from "./testing/generic-provider";

/**
 * The code exchange's token request as x/oauth2 v0.34.0 sends it for
 * Kratos' generic provider (internal/token.go RetrieveToken with
 * AuthStyleAutoDetect, because go-oidc's Provider.Endpoint sets no
 * AuthStyle): the credentials in a Basic header (url.QueryEscape'd) first,
 * in the form when that fails, the second attempt's error reported; no
 * style is remembered between exchanges, since Kratos' ProviderGenericOIDC
 * .OAuth2 builds a new oauth2.Config (and with it a new AuthStyleCache)
 * for each one. doTokenRoundTrip judges the answers. Real local servers.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

interface Seen {
  authorization: string | undefined;
  contentType: string | undefined;
  form: string;
}

type TokenHandler = (seen: Seen, res: ServerResponse) => void;

/** A provider whose discovery is fine and whose token endpoint `token` answers; every token request is recorded. */
async function tokenServer(token: TokenHandler): Promise<{ issuer: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/.well-known/openid-configuration") {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
          }),
        );
        return;
      }
      const request = {
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        form: Buffer.concat(chunks).toString(),
      };
      seen.push(request);
      token(request, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, seen };
}

const provider = (issuer: string, clientId = "my-app.client_1~x", clientSecret = "s3cr3t+/= é") =>
  genericProvider(issuer, { clientId, clientSecret });

const exchangeError = (p: OidcProvider) => exchangeFailure(p, "the%20code");

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

// Go's SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret)): `-_.~` stay as they are, a space is `+`.
const GO_BASIC = `Basic ${Buffer.from("my-app.client_1~x:s3cr3t%2B%2F%3D+%C3%A9").toString("base64")}`;

describe("x/oauth2's AuthStyleAutoDetect for the generic provider (internal/token.go RetrieveToken)", () => {
  it("a provider that refuses Basic and takes the form: the second attempt carries the credentials in the form, and its token is used", async () => {
    const { issuer, seen } = await tokenServer((request, res) => {
      if (request.authorization) return json(res, 401, { error: "invalid_client", error_description: "no basic here" });
      json(res, 200, { access_token: "at", token_type: "bearer" });
    });
    const error = await exchangeError(provider(issuer));
    // The token was taken: what fails next is Kratos' own check for the id_token (error.go ErrIDTokenMissing).
    expect(error.message).toBe("authentication failed because id_token is missing");
    expect(seen).toEqual([
      {
        authorization: GO_BASIC,
        contentType: "application/x-www-form-urlencoded",
        form: "code=the+code&grant_type=authorization_code&redirect_uri=http%3A%2F%2Frp.localhost%2Fself-service%2Fmethods%2Foidc%2Fcallback%2Fp",
      },
      {
        authorization: undefined,
        contentType: "application/x-www-form-urlencoded",
        // url.Values.Encode: keys sorted, the credentials among them.
        form:
          "client_id=my-app.client_1~x&client_secret=s3cr3t%2B%2F%3D+%C3%A9&code=the+code&grant_type=authorization_code" +
          "&redirect_uri=http%3A%2F%2Frp.localhost%2Fself-service%2Fmethods%2Foidc%2Fcallback%2Fp",
      },
    ]);
  });

  it("a provider that refuses both: the second attempt's error is the one reported (a 500 with x/oauth2's text)", async () => {
    const { issuer, seen } = await tokenServer((request, res) => {
      if (request.authorization) return json(res, 401, { error: "invalid_client", error_description: "basic refused" });
      json(res, 400, { error: "invalid_request", error_description: "form refused" });
    });
    const error = await exchangeError(provider(issuer));
    expect(error.code).toBe(500);
    expect(error.message).toBe('oauth2: "invalid_request" "form refused"');
    expect(seen).toHaveLength(2);
  });

  it("a Basic answer x/oauth2 accepts is used at once; nothing is remembered for the next exchange (a new oauth2.Config each time)", async () => {
    const { issuer, seen } = await tokenServer((request, res) => {
      if (request.authorization) return json(res, 200, { access_token: "at" });
      json(res, 400, { error: "invalid_request" });
    });
    const p = provider(issuer);
    await exchangeError(p);
    await exchangeError(p);
    expect(seen.map((s) => s.authorization)).toEqual([GO_BASIC, GO_BASIC]);
  });

  it("also probes after a first answer that is no token at all (200 without access_token), and keeps the second's failure", async () => {
    let n = 0;
    const { issuer, seen } = await tokenServer((_request, res) => {
      n++;
      if (n === 1) return json(res, 200, { token_type: "bearer" });
      res.writeHead(503, "Service Unavailable", { "content-type": "text/html" }).end("<html>down</html>");
    });
    const error = await exchangeError(provider(issuer));
    expect(error.message).toBe("oauth2: cannot fetch token: 503 Service Unavailable\nResponse: <html>down</html>");
    expect(seen).toHaveLength(2);
  });
});

describe("doTokenRoundTrip's read of the answer (x/oauth2 internal/token.go: io.ReadAll(io.LimitReader(r.Body, 1<<20)))", () => {
  it("reads the first MiB and never waits for the rest: a token there is taken though the answer goes on and stalls", async () => {
    const { issuer, seen } = await tokenServer((_request, res) => {
      const token = JSON.stringify({ access_token: "at", token_type: "bearer" });
      res.writeHead(200, { "content-type": "application/json" });
      // The first MiB is the token and white space (valid JSON); what follows it never ends.
      res.write(token.padEnd(1 << 20, " "));
      res.write("garbage that x/oauth2 never reads");
    });
    const error = await exchangeError(provider(issuer));
    // The token was taken at the first attempt: what fails next is Kratos' own check for the id_token.
    expect(error.message).toBe("authentication failed because id_token is missing");
    expect(seen).toHaveLength(1);
  }, 10_000);
});

describe("doTokenRoundTrip's verdict on an answer (x/oauth2 internal/token.go)", () => {
  /** Both probing attempts get this answer: the token openid-client is handed (its JSON), or x/oauth2's error text. */
  const verdict = async (status: number, contentType: string, body: string) => {
    const send = () =>
      Promise.resolve({ response: new Response(null, { status, headers: { "content-type": contentType } }), body: Buffer.from(body) });
    const client = { clientId: "client", clientSecret: "secret", timeoutSeconds: 5 };
    try {
      const response = await probeTokenRequest("http://provider.test/token", new URLSearchParams({ code: "c" }), client, send);
      const token: unknown = await response.json();
      return { token };
    } catch (error) {
      return { error: error instanceof GoTokenError ? error.message : String(error) };
    }
  };

  it("takes any 2xx and a form-encoded answer (GitHub's), and reads id_token as Token.Extra does", async () => {
    expect(await verdict(201, "application/json", '{"access_token":"a","id_token":"x.y.z"}')).toMatchObject({
      token: { access_token: "a", id_token: "x.y.z" },
    });
    expect(await verdict(200, "application/x-www-form-urlencoded", "access_token=a&token_type=bearer&expires_in=60")).toMatchObject({
      token: { access_token: "a", token_type: "bearer", expires_in: 60 },
    });
    // tokenJSON's keys match case-insensitively; expires_in may be a string (PayPal).
    expect(await verdict(200, "application/json", '{"ACCESS_TOKEN":"a","expires_in":"30"}')).toMatchObject({
      token: { access_token: "a", expires_in: 30 },
    });
  });

  it("refuses with x/oauth2's texts", async () => {
    expect(await verdict(200, "application/json", '{"access_token":"a","error":"e","error_uri":"u"}')).toEqual({
      error: 'oauth2: "e" "u"',
    });
    expect(await verdict(200, "application/json", "{")).toEqual({ error: "oauth2: cannot parse json: unexpected end of JSON input" });
    expect(await verdict(200, "application/json", '{"access_token":1}')).toEqual({
      error: "oauth2: cannot parse json: json: cannot unmarshal number into Go struct field tokenJSON.access_token of type string",
    });
    expect(await verdict(200, "application/json", '{"access_token":"a","expires_in":1.5}')).toEqual({
      error: 'oauth2: cannot parse json: strconv.ParseInt: parsing "1.5": invalid syntax',
    });
    expect(await verdict(200, "text/plain", "access_token=a;b")).toEqual({
      error: "oauth2: cannot parse response: invalid semicolon separator in query",
    });
    expect(await verdict(200, "text/plain", "access_token=%zz")).toEqual({
      error: 'oauth2: cannot parse response: invalid URL escape "%zz"',
    });
    expect(await verdict(400, "text/plain", "error=invalid_grant&error_description=used")).toEqual({
      error: 'oauth2: "invalid_grant" "used"',
    });
    expect(await verdict(200, "application/json", "null")).toEqual({ error: "oauth2: server response missing access_token" });
  });

  it("quotes the provider's texts as %q does: runes Go does not print escaped (x/oauth2 RetrieveError.Error)", async () => {
    expect(await verdict(400, "application/json", '{"error":"invalid_grant","error_description":"used\\u00a0up\\u2028"}')).toEqual({
      error: 'oauth2: "invalid_grant" "used\\u00a0up\\u2028"',
    });
  });
});
