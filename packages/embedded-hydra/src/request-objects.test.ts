import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import {
  startHydraWithConfig,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "./testing/harness";
import { acceptConsent, acceptLogin, authorizeUrl, ERROR_UI, REDIRECT_URI, responseParams, toLoginUi } from "./testing/oauth";

/**
 * Request objects at /oauth2/auth, compared with fosite
 * (authorize_request_handler.go authorizeRequestParametersFromOpenIDConnectRequest,
 * client_authentication.go findPublicKey) and its tests
 * (authorize_request_handler_oidc_request_test.go).
 */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

const INVALID_REQUEST_OBJECT = "The request parameter contains an invalid Request Object.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let signer: PrivateKey;
let stranger: PrivateKey;
let objectServer: Server;
let objectUrl: string;
let served = "";
let clientId: string;
let strictClientId: string;
let keylessClientId: string;

async function signed(claims: Record<string, unknown>, key: PrivateKey = signer, kid = "ro-key"): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid }).sign(key);
}

/** Where the browser ends: the login UI (with its login request) or the error UI (with the error). */
async function authorize(id: string, params: Record<string, string | undefined>) {
  const browser = new TestBrowser();
  const at = await toLoginUi(browser, authorizeUrl(hydra, id, params));
  if (at.challenge) {
    const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: at.challenge });
    return { browser, login: data, challenge: at.challenge };
  }
  return { browser, url: at.url, error: at.url.searchParams.get("error"), description: at.url.searchParams.get("error_description") };
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  const pair = await generateKeyPair("ES256", { extractable: true });
  signer = pair.privateKey;
  stranger = (await generateKeyPair("ES256")).privateKey;
  const exported = await exportJWK(pair.publicKey);
  const jwk = { ...exported, kty: exported.kty ?? "EC", kid: "ro-key", use: "sig", alg: "ES256" };
  objectServer = createServer((_req, res) => {
    res.writeHead(served === "" ? 404 : 200, { "content-type": "application/oauth-authz-req+jwt" }).end(served);
  });
  await new Promise<void>((resolve) => objectServer.listen(0, "127.0.0.1", resolve));
  objectUrl = `http://127.0.0.1:${(objectServer.address() as AddressInfo).port}/object.jwt`;
  const base = {
    redirect_uris: [REDIRECT_URI],
    scope: "openid profile email",
    grant_types: ["authorization_code"],
    response_types: ["code"],
  };
  clientId = (await createClient(hydra, { ...base, jwks: { keys: [jwk] }, request_uris: [objectUrl] })).id;
  strictClientId = (await createClient(hydra, { ...base, jwks: { keys: [jwk] }, request_object_signing_alg: "RS256" })).id;
  keylessClientId = (await createClient(hydra, base)).id;
}, 60_000);

afterAll(async () => {
  objectServer?.close();
  await stopHydraAndPostgres(hydra, pg);
});

describe("request objects (fosite authorizeRequestParametersFromOpenIDConnectRequest)", () => {
  it("applies a signed request object: its claims replace the query's, the query's scopes are added, request_url stays as sent", async () => {
    const request = await signed({ scope: "profile", state: "state-from-object", nonce: "nonce-from-object", client_id: "someone-else" });
    const result = await authorize(clientId, { request, state: "state-from-query" });
    expect(result.login?.requested_scope).toEqual(["profile", "openid"]);
    expect(result.login?.client?.client_id).toBe(clientId);
    const requestUrl = new URL(result.login?.request_url ?? "");
    expect(requestUrl.searchParams.get("request")).toBe(request);
    expect(requestUrl.searchParams.get("state")).toBe("state-from-query");
    // The whole authorization ends at the client with the object's state.
    const consent = await acceptLogin(hydra, result.browser, result.challenge ?? "", { subject: "ro-user" });
    const callback = await acceptConsent(hydra, result.browser, consent);
    expect(responseParams(callback).get("state")).toBe("state-from-object");
    expect(responseParams(callback).get("code")).toBeTruthy();
  });

  it("fetches request_uri when the client registered it, and refuses others (invalid_request_uri)", async () => {
    served = await signed({ scope: "email" });
    expect((await authorize(clientId, { request_uri: objectUrl })).login?.requested_scope).toEqual(["email", "openid"]);
    const other = `${objectUrl}?other`;
    expect(await authorize(clientId, { request_uri: other })).toMatchObject({
      error: "invalid_request_uri",
      description: `The request_uri in the Authorization Request returns an error or contains invalid data. Request URI '${other}' is not whitelisted by the OAuth 2.0 Client.`,
    });
    served = "";
    expect(await authorize(clientId, { request_uri: objectUrl })).toMatchObject({
      error: "invalid_request_uri",
      description: expect.stringContaining("because status code '200' was expected, but got '404'.") as unknown,
    });
  });

  it("refuses an object signed with a key the client did not register", async () => {
    const result = await authorize(clientId, { request: await signed({ scope: "profile" }, stranger) });
    expect(result.url?.toString().startsWith(ERROR_UI)).toBe(true);
    expect(result).toMatchObject({
      error: "invalid_request_object",
      description: `${INVALID_REQUEST_OBJECT} Unable to verify the request object's signature.`,
    });
    expect(await authorize(clientId, { request: await signed({ scope: "profile" }, stranger, "unknown-kid") })).toMatchObject({
      error: "invalid_request_object",
      description: `${INVALID_REQUEST_OBJECT} Unable to retrieve ECDSA signing key from OAuth 2.0 Client. The JSON Web Token uses signing key with kid 'unknown-kid', which could not be found.`,
    });
  });

  it("enforces the client's request_object_signing_alg, and allows `none` only when the client names no other", async () => {
    expect(await authorize(strictClientId, { request: await signed({ scope: "profile" }) })).toMatchObject({
      error: "invalid_request_object",
      description: `${INVALID_REQUEST_OBJECT} The request object uses signing algorithm 'ES256', but the requested OAuth 2.0 Client enforces signing algorithm 'RS256'.`,
    });
    const unsigned = new UnsecuredJWT({ scope: "email" }).encode();
    expect((await authorize(clientId, { request: unsigned })).login?.requested_scope).toEqual(["email", "openid"]);
    expect(await authorize(strictClientId, { request: unsigned })).toMatchObject({ error: "invalid_request_object" });
  });

  it("refuses both parameters at once, a client without keys, and an expired object (server_error, as fosite's bare error)", async () => {
    const request = await signed({ scope: "profile" });
    expect(await authorize(clientId, { request, request_uri: objectUrl })).toMatchObject({
      error: "invalid_request",
      description: expect.stringContaining(
        "OpenID Connect parameters 'request' and 'request_uri' were both given, but you can use at most one.",
      ) as unknown,
    });
    expect(await authorize(keylessClientId, { request })).toMatchObject({
      error: "invalid_request",
      description: expect.stringContaining("the OAuth 2.0 Client does not have any JSON Web Keys registered.") as unknown,
    });
    const expired = await signed({ scope: "profile", exp: Math.floor(Date.now() / 1000) - 60 });
    expect(await authorize(clientId, { request: expired })).toMatchObject({
      error: "server_error",
      description: "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.",
    });
  });

  it("ignores request and request_uri without the openid scope, as fosite does", async () => {
    const result = await authorize(keylessClientId, {
      scope: "profile",
      request: "not-even-a-jwt",
      request_uri: "https://nowhere.example/x",
    });
    expect(result.login?.requested_scope).toEqual(["profile"]);
  });
});

describe("fetching jwks_uri and request_uri (fosite DefaultJWKSFetcherStrategy, Hydra's RegistrySQL.HTTPClient)", () => {
  let keyServer: Server;
  let jwksUrl: string;
  let fetches = 0;
  let servedKeys: Record<string, unknown>[] = [];
  let uriClientId: string;

  beforeAll(async () => {
    keyServer = createServer((req, res) => {
      if (req.url === "/moved") return void res.writeHead(302, { location: "/jwks.json" }).end();
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: servedKeys }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/moved`;
    uriClientId = (
      await createClient(hydra, {
        redirect_uris: [REDIRECT_URI],
        scope: "openid profile",
        grant_types: ["authorization_code"],
        jwks_uri: jwksUrl,
      })
    ).id;
  });

  afterAll(() => {
    keyServer?.close();
  });

  it("keeps a fetched key set for later objects, follows redirects, and fetches anew once when no key fits", async () => {
    const first = await generateKeyPair("ES256", { extractable: true });
    servedKeys = [{ ...(await exportJWK(first.publicKey)), kid: "k1", use: "sig", alg: "ES256" }];
    fetches = 0;
    for (const state of ["state-one-1", "state-two-2"]) {
      const request = await signed({ scope: "profile", state }, first.privateKey, "k1");
      expect((await authorize(uriClientId, { request })).login?.requested_scope).toEqual(["profile", "openid"]);
    }
    expect(fetches).toBe(1);
    // A key the cached set does not have: fosite resolves the set again, ignoring its cache.
    const second = await generateKeyPair("ES256", { extractable: true });
    servedKeys = [...servedKeys, { ...(await exportJWK(second.publicKey)), kid: "k2", use: "sig", alg: "ES256" }];
    const rotated = await signed({ scope: "profile" }, second.privateKey, "k2");
    expect((await authorize(uriClientId, { request: rotated })).login?.requested_scope).toEqual(["profile", "openid"]);
    expect(fetches).toBe(2);
  });
});

describe("clients.http.disallow_private_ip_ranges (Hydra's HTTPClient: ResilientClientDisallowInternalIPs)", () => {
  // The same database as the other instance: its client was registered where the validator let the loopback request_uri pass.
  const guardedWith = (exceptions?: string[]) =>
    startHydraWithConfig(
      pg,
      (config) => {
        config.clients = { http: { disallow_private_ip_ranges: true, ...(exceptions ? { private_ip_exception_urls: exceptions } : {}) } };
      },
      { database: new URL(hydra.dsn).pathname.slice(1) },
    );

  it("refuses a request_uri on an internal address", async () => {
    const guarded = await guardedWith();
    try {
      served = await signed({ scope: "openid" });
      const at = await toLoginUi(new TestBrowser(), authorizeUrl(guarded, clientId, { request_uri: objectUrl }));
      expect(at.url.searchParams.get("error")).toBe("invalid_request_uri");
      expect(at.url.searchParams.get("error_description")).toContain(
        "Unable to fetch OpenID Connect request parameters from 'request_uri' because: ",
      );
    } finally {
      await guarded.close();
    }
  });

  it("fetches it when it matches clients.http.private_ip_exception_urls (ResilientClientAllowInternalIPRequestsTo)", async () => {
    const guarded = await guardedWith([objectUrl.replace(/object\.jwt$/, "*.jwt")]);
    try {
      served = await signed({ scope: "email" });
      const at = await toLoginUi(new TestBrowser(), authorizeUrl(guarded, clientId, { request_uri: objectUrl }));
      expect(at.url.searchParams.get("error")).toBeNull();
      expect(at.challenge).toBeTruthy();
    } finally {
      await guarded.close();
    }
  });
});
