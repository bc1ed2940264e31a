import { createHash } from "node:crypto";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashClientSecret } from "./clients/secret-hash";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import {
  startHydraWithConfig,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "./testing/harness";
import {
  acceptConsent,
  acceptLogin,
  authorizeUrl,
  decodeJwtPayload,
  ERROR_UI,
  newVerifier,
  REDIRECT_URI,
  responseParams,
  s256,
  tokenRequest,
  toLoginUi,
  type ClientCredentials,
} from "./testing/oauth";
import { rawRequest } from "./testing/raw-request";
import { codeExchange } from "./testing/tokens";

/** Hydra's public surface beyond the code flow: discovery, implicit and hybrid responses, fallbacks, and no secret rotation (not in v26.2.0). */
let pg: TestPostgres;
let hydra: HydraUnderTest;
let hybrid: ClientCredentials;

const leftHalfHash = (value: string) => createHash("sha256").update(value).digest().subarray(0, 16).toString("base64url");

/** Runs login and consent for an authorization URL and returns where the browser ends (the client's callback). */
async function authorize(url: string, subject: string): Promise<URL> {
  const browser = new TestBrowser();
  const login = await toLoginUi(browser, url);
  if (!login.challenge) return login.url;
  const consent = await acceptLogin(hydra, browser, login.challenge, { subject });
  return acceptConsent(hydra, browser, consent);
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  hybrid = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI],
    scope: "openid offline_access",
    grant_types: ["authorization_code", "implicit", "refresh_token"],
    response_types: ["code", "id_token token", "code id_token", "id_token"],
  });
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("discovery", () => {
  it("is Hydra's document at both well-known paths", async () => {
    // Hydra: oauth2/handler.go discoverOidcConfiguration.
    for (const path of [".well-known/openid-configuration", ".well-known/oauth-authorization-server"]) {
      const document = (await fetch(new URL(path, hydra.publicUrl)).then((r) => r.json())) as Record<string, unknown>;
      expect(document).toMatchObject({
        issuer: hydra.issuer,
        authorization_endpoint: `${hydra.publicUrl}oauth2/auth`,
        token_endpoint: `${hydra.publicUrl}oauth2/token`,
        jwks_uri: `${hydra.issuer}.well-known/jwks.json`,
        subject_types_supported: ["public"],
        response_types_supported: ["code", "code id_token", "id_token", "token id_token", "token", "token id_token code"],
        claims_supported: ["sub"],
        grant_types_supported: [
          "authorization_code",
          "implicit",
          "client_credentials",
          "refresh_token",
          "urn:ietf:params:oauth:grant-type:device_code",
        ],
        scopes_supported: ["offline_access", "offline", "openid"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic", "private_key_jwt", "none"],
        id_token_signing_alg_values_supported: ["RS256"],
        end_session_endpoint: `${hydra.issuer}oauth2/sessions/logout`,
        revocation_endpoint: `${hydra.issuer}oauth2/revoke`,
        backchannel_logout_supported: true,
      });
      expect(document).not.toHaveProperty("authorization_response_iss_parameter_supported");
      expect(document).not.toHaveProperty("registration_endpoint");
    }
  });
});

describe("authorization responses", () => {
  it("code flow: code, scope and state, no iss", async () => {
    // Hydra: fosite/handler/oauth2/flow_authorize_code_auth.go (scope next to the code); fosite sends no iss.
    const verifier = newVerifier();
    const callback = await authorize(
      authorizeUrl(hydra, hybrid.id, { scope: "openid", code_challenge: s256(verifier), code_challenge_method: "S256" }),
      "code-user",
    );
    expect([...callback.searchParams.keys()].sort()).toEqual(["code", "scope", "state"]);
    expect(callback.searchParams.get("scope")).toBe("openid");
  });

  it("implicit id_token token: tokens in the fragment with at_hash, scope and state", async () => {
    // Hydra: fosite/handler/openid/flow_implicit.go, handler/oauth2/flow_authorize_implicit.go.
    const callback = await authorize(
      authorizeUrl(hydra, hybrid.id, {
        response_type: "id_token token",
        scope: "openid",
        nonce: "nonce-implicit-1",
        state: "implicit-state",
      }),
      "implicit-user",
    );
    const params = responseParams(callback);
    expect(params.get("token_type")?.toLowerCase()).toBe("bearer");
    expect(params.get("state")).toBe("implicit-state");
    expect(params.get("scope")).toBe("openid");
    expect(params.has("iss")).toBe(false);
    const idToken = decodeJwtPayload(params.get("id_token") ?? "");
    expect(idToken).toMatchObject({
      sub: "implicit-user",
      nonce: "nonce-implicit-1",
      at_hash: leftHalfHash(params.get("access_token") ?? ""),
    });
    expect((await hydra.admin.introspectOAuth2Token({ token: params.get("access_token") ?? "" })).data).toMatchObject({
      active: true,
      sub: "implicit-user",
    });
  });

  it("hybrid code id_token: a code and an ID token with c_hash, the code redeemable", async () => {
    // Hydra: fosite/handler/openid/flow_hybrid.go.
    const callback = await authorize(
      authorizeUrl(hydra, hybrid.id, { response_type: "code id_token", scope: "openid", nonce: "nonce-hybrid-1" }),
      "hybrid-user",
    );
    const params = responseParams(callback);
    const code = params.get("code") ?? "";
    expect(decodeJwtPayload(params.get("id_token") ?? "")).toMatchObject({ sub: "hybrid-user", c_hash: leftHalfHash(code) });
    const tokens = await tokenRequest(hydra, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI }, hybrid);
    expect(tokens.status).toBe(200);
  });

  it("implicit without a nonce, or with a short one, is refused at the client", async () => {
    // Hydra: fosite/handler/openid/flow_implicit.go (nonce required, MinParameterEntropy).
    const missing = await authorize(authorizeUrl(hydra, hybrid.id, { response_type: "id_token token", scope: "openid" }), "x");
    expect(responseParams(missing).get("error")).toBe("invalid_request");
    expect(responseParams(missing).get("error_description")).toContain(
      "Parameter 'nonce' must be set when using the OpenID Connect Implicit Flow.",
    );
    const short = await authorize(
      authorizeUrl(hydra, hybrid.id, { response_type: "id_token token", scope: "openid", nonce: "short" }),
      "x",
    );
    expect(responseParams(short).get("error")).toBe("insufficient_entropy");
  });

  it("a response type the client did not register is unsupported_response_type", async () => {
    // Hydra: fosite/authorize_request_handler.go validateResponseTypes.
    const end = await authorize(
      authorizeUrl(hydra, hybrid.id, { response_type: "token", scope: "openid", nonce: "nonce-token-only" }),
      "x",
    );
    const params = responseParams(end);
    expect(params.get("error")).toBe("unsupported_response_type");
    expect(params.get("error_description")).toBe(
      "The authorization server does not support obtaining a token using this method. The client is not allowed to request response_type 'token'.",
    );
  });

  it("a redirect_uri the client did not register goes to the error UI as invalid_request", async () => {
    // Hydra: fosite/authorize_helper.go MatchRedirectURIWithClientRedirectURIs, oauth2/handler.go forwardError.
    const end = await authorize(authorizeUrl(hydra, hybrid.id, { redirect_uri: "http://evil.localhost/cb" }), "x");
    expect(`${end.origin}${end.pathname}`).toBe(ERROR_UI);
    expect(end.searchParams.get("error")).toBe("invalid_request");
    expect(end.searchParams.get("error_description")).toContain(
      "The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's pre-registered redirect urls.",
    );
  });
});

describe("fallback pages", () => {
  it("serves Hydra's fallback pages", async () => {
    // Hydra: oauth2/handler_fallback_endpoints.go.
    const login = await fetch(new URL("oauth2/fallbacks/login", hydra.publicUrl));
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("<code>urls.login</code>");
    const error = await fetch(
      new URL("oauth2/fallbacks/error?error=invalid_request&error_description=%3Cb%3Ebad%3C%2Fb%3E", hydra.publicUrl),
    );
    expect(error.status).toBe(500);
    const html = await error.text();
    expect(html).toContain("Error: invalid_request");
    expect(html).toContain("&#60;b&#62;bad");
    expect(await fetch(new URL("oauth2/fallbacks/logout/callback", hydra.publicUrl)).then((r) => r.text())).toContain(
      "You logged out successfully!",
    );
  });
});

describe("pairwise subjects", () => {
  it("ID token and userinfo carry Hydra's pairwise subject; the access token keeps the real one", async () => {
    // Hydra: consent/subject_identifier_pairwise.go pairwiseObfuscate (hex SHA-256 of sector host, subject, salt).
    const instance = await startHydraWithConfig(pg, (config) => {
      config.oidc = { subject_identifiers: { supported_types: ["public", "pairwise"], pairwise: { salt: "pairwise-salt-123" } } };
    });
    try {
      const rp = await createClient(instance, { redirect_uris: [REDIRECT_URI], scope: "openid", subject_type: "pairwise" });
      const tokens = await codeExchange(instance, rp, "openid", "pairwise-user");
      const expected = createHash("sha256").update("rp.localhost:5555").update("pairwise-user").update("pairwise-salt-123").digest("hex");
      expect(decodeJwtPayload(tokens.body.id_token ?? "").sub).toBe(expected);
      const userinfo = (await fetch(new URL("userinfo", instance.publicUrl), {
        headers: { authorization: `Bearer ${tokens.body.access_token}` },
      }).then((r) => r.json())) as { sub: string };
      expect(userinfo.sub).toBe(expected);
      // oauth2/handler.go introspectOAuth2Token: the ID token's (pairwise) subject as obfuscated_subject.
      const introspected = (await instance.admin.introspectOAuth2Token({ token: tokens.body.access_token ?? "" })).data;
      expect(introspected.sub).toBe("pairwise-user");
      expect(introspected.obfuscated_subject).toBe(expected);
      const discovery = (await fetch(new URL(".well-known/openid-configuration", instance.publicUrl)).then((r) => r.json())) as {
        subject_types_supported: string[];
      };
      expect(discovery.subject_types_supported).toEqual(["public", "pairwise"]);
    } finally {
      await instance.close();
    }
  });
});

describe("dynamic client registration", () => {
  it("is 404 unless enabled", async () => {
    // Hydra: client/handler.go requireDynamicAuth.
    const response = await fetch(new URL("oauth2/register", hydra.publicUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: "The requested resource could not be found",
      error_description: "Dynamic registration is not enabled.",
    });
  });

  it("registers, reads, updates and deletes a client with its registration access token", async () => {
    // Hydra: client/handler.go createOidcDynamicClient, getOidcDynamicClient, setOidcDynamicClient, deleteOidcDynamicClient.
    const instance = await startHydraWithConfig(pg, (config) => {
      config.oidc = { dynamic_client_registration: { enabled: true } };
    });
    const call = async (method: string, target: string, body?: unknown, token?: string) => {
      const response = await fetch(new URL(target, instance.publicUrl), {
        method,
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    try {
      expect(await call("POST", "oauth2/register", { client_secret: "my-own-secret" })).toEqual({
        status: 400,
        body: {
          error: "The request was malformed or contained invalid parameters",
          error_description: "It is not allowed to choose your own OAuth2 Client secret.",
        },
      });
      expect((await call("POST", "oauth2/register", { metadata: { a: 1 } })).body.error).toBe("invalid_client_metadata");
      expect(await call("POST", "oauth2/register", { skip_consent: true })).toMatchObject({
        status: 400,
        body: { error: "invalid_request" },
      });

      const created = await call("POST", "oauth2/register", { client_name: "self-made", redirect_uris: [REDIRECT_URI] });
      expect(created.status).toBe(201);
      const id = String(created.body.client_id);
      const token = String(created.body.registration_access_token);
      expect(created.body).toMatchObject({
        client_name: "self-made",
        registration_client_uri: `${instance.publicUrl}oauth2/register/${id}`,
      });
      expect(created.body.client_secret).toMatch(/^[A-Za-z0-9._~-]{26}$/);

      const read = await call("GET", `oauth2/register/${id}`, undefined, token);
      expect(read.status).toBe(200);
      expect(read.body).not.toHaveProperty("metadata");
      expect(read.body).not.toHaveProperty("client_secret");
      expect(await call("GET", `oauth2/register/${id}`, undefined, "ory_at_wrong")).toEqual({
        status: 401,
        body: {
          error: "The request could not be authorized",
          error_description: "The requested OAuth 2.0 client does not exist or you provided incorrect credentials.",
        },
      });

      const updated = await call("PUT", `oauth2/register/${id}`, { client_name: "renamed", redirect_uris: [REDIRECT_URI] }, token);
      expect(updated).toMatchObject({ status: 200, body: { client_name: "renamed" } });
      const newToken = String(updated.body.registration_access_token);
      expect(newToken).not.toBe(token);
      expect((await call("GET", `oauth2/register/${id}`, undefined, token)).status).toBe(401);
      expect((await call("PUT", `oauth2/register/${id}`, { client_secret: "changed-secret" }, newToken)).status).toBe(403);
      // client/handler.go setOidcDynamicClient: Go's decoding error goes to the debug field only, which is not shown.
      expect(await call("PUT", `oauth2/register/${id}`, { client_name: 5 }, newToken)).toEqual({
        status: 400,
        body: {
          error: "The request was malformed or contained invalid parameters",
          error_description: "Unable to decode the request body. Is it valid JSON?",
        },
      });

      // A client created through the admin API can manage itself with the token it was given.
      const { data: adminMade } = await instance.admin.createOAuth2Client({ oAuth2Client: { redirect_uris: [REDIRECT_URI] } });
      expect((await call("GET", `oauth2/register/${adminMade.client_id}`, undefined, adminMade.registration_access_token)).status).toBe(
        200,
      );

      expect((await call("DELETE", `oauth2/register/${id}`, undefined, newToken)).status).toBe(204);
      expect((await call("GET", `oauth2/register/${id}`, undefined, newToken)).status).toBe(401);
    } finally {
      await instance.close();
    }
  });

  it("hands an escaped dot segment to the handler as the id `..` or `.` (ServeMux r.PathValue; client/handler.go ValidDynamicAuth)", async () => {
    const instance = await startHydraWithConfig(pg, (config) => {
      config.oidc = { dynamic_client_registration: { enabled: true } };
    });
    try {
      const unauthorized = {
        error: "The request could not be authorized",
        error_description: "The requested OAuth 2.0 client does not exist or you provided incorrect credentials.",
      };
      for (const [method, target] of [
        ["GET", "/oauth2/register/%2E%2E"],
        ["DELETE", "/oauth2/register/%2e"],
      ] as const) {
        // Sent raw: fetch would resolve the escaped dots itself.
        const answer = await rawRequest(instance.publicUrl, method, target, { authorization: "Bearer ory_at_x" });
        expect([answer.status, JSON.parse(answer.body)]).toEqual([401, unauthorized]);
      }
    } finally {
      await instance.close();
    }
  });

  it("fetches a sector_identifier_uri through the guarded client: no connection to a private address (validator.go ValidateSectorIdentifierURL, v.r.HTTPClient)", async () => {
    const connections: number[] = [];
    const listener = createNetServer((socket) => {
      connections.push(1);
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const { port } = listener.address() as AddressInfo;
    const instance = await startHydraWithConfig(pg, (config) => {
      config.oidc = { dynamic_client_registration: { enabled: true } };
      config.clients = { http: { disallow_private_ip_ranges: true } };
    });
    try {
      const response = await fetch(new URL("oauth2/register", instance.publicUrl), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ redirect_uris: [REDIRECT_URI], sector_identifier_uri: `https://127.0.0.1:${port}/sector` }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe("invalid_client_metadata");
      expect(connections).toHaveLength(0);
    } finally {
      await instance.close();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe("client secret rotation, which Hydra v26.2.0 does not have", () => {
  const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  const database = () => hydra.dsn.split("/").pop();
  const rotatePath = (id: string) => new URL(`admin/clients/${encodeURIComponent(id)}/secrets/rotate`, hydra.adminUrl);
  const deviceAuth = (client: ClientCredentials) =>
    fetch(new URL("oauth2/device/auth", hydra.publicUrl), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret ?? "")}`).toString("base64")}`,
      },
      body: new URLSearchParams({ client_id: client.id, scope: "jobs.run" }),
    });
  const newClient = (): Promise<ClientCredentials> =>
    createClient(hydra, { grant_types: ["client_credentials", DEVICE_GRANT], scope: "jobs.run" });
  /** The client as GET /admin/clients/{id} shows it. */
  const shown = async (id: string) =>
    (await fetch(new URL(`admin/clients/${id}`, hydra.adminUrl))).json() as Promise<Record<string, unknown>>;

  it("answers POST and DELETE …/secrets/rotate as Go's ServeMux answers a path no route takes", async () => {
    // client/handler.go SetAdminRoutes (v26.2.0) registers no …/secrets/rotate; the admin router (cmd/server/handler.go
    // adminServer: oryx/httprouterx on http.ServeMux, whose catch-all is only the exact /admin) answers with http.NotFound.
    const client = await newClient();
    for (const method of ["POST", "DELETE"]) {
      const response = await fetch(rotatePath(client.id), { method });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await response.text()).toBe("404 page not found\n");
    }
    // Nothing happened to the client: its secret is the same and still authenticates.
    expect((await tokenRequest(hydra, { grant_type: "client_credentials" }, client)).status).toBe(200);
  });

  it("loads a row an earlier version stored with rotated_secrets, never shows them, and they do not authenticate", async () => {
    // client/client.go Client (v26.2.0) has no RotatedSecrets, so fosite's client_authentication.go
    // checkClientSecret finds no ClientWithSecretRotation: only the current secret authenticates.
    const client = await newClient();
    const former = "a-secret-rotated-away-by-an-earlier-version";
    await pg.query(
      "UPDATE hydra_clients SET data = data || jsonb_build_object('rotated_secrets', jsonb_build_array($2::text)) WHERE id = $1",
      [client.id, await hashClientSecret(former)],
      database(),
    );
    const stored = await shown(client.id);
    expect(stored.client_id).toBe(client.id);
    expect(stored).not.toHaveProperty("rotated_secrets");
    const formerCredentials = { id: client.id, secret: former };
    expect((await tokenRequest(hydra, { grant_type: "client_credentials" }, formerCredentials)).status).toBe(401);
    expect((await deviceAuth(formerCredentials)).status).toBe(401);
    expect((await tokenRequest(hydra, { grant_type: "client_credentials" }, client)).status).toBe(200);
    expect((await deviceAuth(client)).status).toBe(200);
  });

  it("stores nothing a PATCH adds at /rotated_secrets (json.Unmarshal into v26.2.0's client.Client drops it)", async () => {
    // client/handler.go patchOAuth2Client: the member is added to the text, then ignored by the decoder.
    const client = await newClient();
    const former = "a-secret-someone-patched-in";
    const response = await fetch(new URL(`admin/clients/${client.id}`, hydra.adminUrl), {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ op: "add", path: "/rotated_secrets", value: [await hashClientSecret(former)] }]),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).not.toHaveProperty("rotated_secrets");
    expect(await shown(client.id)).not.toHaveProperty("rotated_secrets");
    const { rows } = await pg.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM hydra_clients WHERE id = $1",
      [client.id],
      database(),
    );
    expect(rows[0]?.data).not.toHaveProperty("rotated_secrets");
    expect((await tokenRequest(hydra, { grant_type: "client_credentials" }, { id: client.id, secret: former })).status).toBe(401);
    expect((await deviceAuth({ id: client.id, secret: former })).status).toBe(401);
  });
});

describe("admin server paths", () => {
  it("adds the /admin prefix when it is missing, serves health and the version under /admin", async () => {
    // Hydra: cmd/server/handler.go adminServer (httprouterx.AddAdminPrefixIfNotPresentNegroni);
    // driver/registry_sql.go RegisterAdminRoutes (SetHealthRoutes(admin), SetVersionRoutes(admin)).
    const client = await fetch(new URL(`clients/${encodeURIComponent(hybrid.id)}`, hydra.adminUrl));
    expect(client.status).toBe(200);
    expect(((await client.json()) as { client_id: string }).client_id).toBe(hybrid.id);
    for (const path of ["admin/health/alive", "admin/health/ready", "health/ready"]) {
      const health = await fetch(new URL(path, hydra.adminUrl));
      expect([path, health.status, await health.json()]).toEqual([path, 200, { status: "ok" }]);
    }
    for (const path of ["admin/version", "version"]) {
      const version = await fetch(new URL(path, hydra.adminUrl));
      expect([path, version.status, await version.json()]).toEqual([path, 200, { version: "v26.2.0" }]);
    }
  });
});
