import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as clients from "./testing/clients";
import {
  startHydraWithConfig,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "./testing/harness";
import { REDIRECT_URI, tokenRequest, type ClientCredentials } from "./testing/oauth";
import * as tokens from "./testing/tokens";
import { authorizeCode, redeemCode } from "./testing/tokens";

/**
 * The token endpoint's answers as Hydra (fosite) gives them: error names,
 * statuses and descriptions (fosite's description, then the handler's hint).
 */
const UNAUTHORIZED_CLIENT = "The client is not authorized to request a token using this method.";
const INVALID_CLIENT =
  "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).";
const INVALID_GRANT =
  "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let codeOnly: ClientCredentials;
let webApp: ClientCredentials;
let postClient: ClientCredentials;
let machine: ClientCredentials;

const createClient = (body: Record<string, unknown>) => clients.createClient(hydra, body);
/** A whole authorization for `client` ending in a code exchange (PKCE). */
const codeTokens = (client: ClientCredentials, scope: string) => tokens.codeExchange(hydra, client, scope, "token-user");
const introspect = (token: string | undefined) => tokens.introspect(hydra, token);

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  codeOnly = await createClient({ redirect_uris: [REDIRECT_URI], scope: "openid offline_access", grant_types: ["authorization_code"] });
  webApp = await createClient({
    redirect_uris: [REDIRECT_URI],
    scope: "openid offline_access",
    grant_types: ["authorization_code", "refresh_token"],
  });
  postClient = await createClient({
    grant_types: ["client_credentials"],
    token_endpoint_auth_method: "client_secret_post",
    scope: "reports.read",
  });
  machine = await createClient({
    grant_types: ["client_credentials"],
    scope: "reports.read",
    audience: ["https://api.example.com", "https://other.example.com/v1"],
  });
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("a grant the client was not registered for", () => {
  it("is unauthorized_client (400) for client_credentials", async () => {
    // Hydra: fosite/handler/oauth2/flow_client_credentials.go PopulateTokenEndpointResponse (ErrUnauthorizedClient).
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials" }, codeOnly);
    expect(answer).toEqual({
      status: 400,
      body: {
        error: "unauthorized_client",
        error_description: `${UNAUTHORIZED_CLIENT} The OAuth 2.0 Client is not allowed to use authorization grant 'client_credentials'.`,
      },
    });
  });

  it("is unauthorized_client (400) for refresh_token", async () => {
    // Hydra: fosite/handler/oauth2/flow_refresh.go HandleTokenEndpointRequest (ErrUnauthorizedClient).
    const answer = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: "anything" }, codeOnly);
    expect(answer).toEqual({
      status: 400,
      body: {
        error: "unauthorized_client",
        error_description: `${UNAUTHORIZED_CLIENT} The OAuth 2.0 Client is not allowed to use authorization grant 'refresh_token'.`,
      },
    });
  });

  it("is invalid_request for a grant type Hydra has no handler for, and for a missing grant_type", async () => {
    // Hydra: fosite/access_request_handler.go NewAccessRequest (no handler: ErrInvalidRequest; no grant_type: its hint).
    const unknown = await tokenRequest(hydra, { grant_type: "nonsense" }, machine);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe("invalid_request");
    expect(unknown.body.error_description).toMatch(
      new RegExp(`^${INVALID_REQUEST.replace(/[.()]/g, "\\$&")} Make sure that the various parameters are correct`),
    );
    const missing = await tokenRequest(hydra, { scope: "" }, machine);
    expect(missing).toEqual({
      status: 400,
      body: { error: "invalid_request", error_description: `${INVALID_REQUEST} Request parameter 'grant_type' is missing` },
    });
    // An empty r.PostForm is refused first (pairs Go's ParseForm drops do not count).
    for (const body of ["", "grant_type=client_credentials;x"]) {
      const empty = await fetch(new URL("oauth2/token", hydra.publicUrl), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      expect([empty.status, await empty.json()]).toEqual([
        400,
        { error: "invalid_request", error_description: `${INVALID_REQUEST} The POST body can not be empty.` },
      ]);
    }
  });
});

describe("client authentication", () => {
  it("refuses a client_secret_basic client authenticating with client_secret_post: 401 invalid_client", async () => {
    // Hydra: fosite/client_authentication.go DefaultClientAuthenticationStrategy (method mismatch hint).
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials" }, machine, "post");
    expect(answer).toEqual({
      status: 401,
      body: {
        error: "invalid_client",
        error_description: `${INVALID_CLIENT} The OAuth 2.0 Client supports client authentication method 'client_secret_basic', but method 'client_secret_post' was requested. You must configure the OAuth 2.0 client's 'token_endpoint_auth_method' value to accept 'client_secret_post'.`,
      },
    });
  });

  it("refuses a client_secret_post client authenticating with client_secret_basic, and accepts its own method", async () => {
    // Hydra: fosite/client_authentication.go DefaultClientAuthenticationStrategy.
    const basic = await tokenRequest(hydra, { grant_type: "client_credentials" }, postClient, "basic");
    expect(basic.status).toBe(401);
    expect(basic.body.error_description).toContain(
      "supports client authentication method 'client_secret_post', but method 'client_secret_basic' was requested",
    );
    const post = await tokenRequest(hydra, { grant_type: "client_credentials" }, postClient, "post");
    expect(post.status).toBe(200);
  });

  it("answers a wrong secret and an unknown client with 401 invalid_client and fosite's description", async () => {
    // Hydra: fosite/client_authentication.go checkClientSecret / GetClient failure (ErrInvalidClient without hint).
    for (const client of [
      { id: machine.id, secret: "wrong-secret" },
      { id: "no-such-client", secret: "whatever" },
    ]) {
      expect(await tokenRequest(hydra, { grant_type: "client_credentials" }, client)).toEqual({
        status: 401,
        body: { error: "invalid_client", error_description: INVALID_CLIENT },
      });
    }
  });
});

describe("refresh token rotation", () => {
  it("makes the old access token inactive and the old refresh token unusable", async () => {
    // Hydra: persistence/sql/persister_oauth2.go strictRefreshRotation (deletes the request's access tokens,
    // deactivates its refresh tokens) and fosite/handler/oauth2/flow_refresh.go (reuse: "The refresh token was already used.").
    const first = await codeTokens(webApp, "openid offline_access");
    expect(first.status).toBe(200);
    expect((await introspect(first.body.access_token)).active).toBe(true);
    const second = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: first.body.refresh_token }, webApp);
    expect(second.status).toBe(200);
    expect((await introspect(first.body.access_token)).active).toBe(false);
    expect((await introspect(first.body.refresh_token)).active).toBe(false);
    expect((await introspect(second.body.access_token)).active).toBe(true);
    const reused = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: first.body.refresh_token }, webApp);
    expect(reused).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: `${INVALID_GRANT} The refresh token was already used.` },
    });
  });

  it("answers an unknown refresh token with invalid_grant and fosite's hint", async () => {
    // Hydra: fosite/handler/oauth2/flow_refresh.go HandleTokenEndpointRequest (ErrNotFound).
    const answer = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: "ory_rt_unknown" }, webApp);
    expect(answer).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: `${INVALID_GRANT} The refresh token is malformed or not valid.` },
    });
  });
});

describe("client_credentials audience and scope", () => {
  it("grants a whitelisted requested audience, which introspection shows as aud", async () => {
    // Hydra: oauth2/handler.go oauth2TokenExchange (grants requested audiences matching the client's) and introspectOAuth2Token (aud).
    const answer = await tokenRequest(
      hydra,
      { grant_type: "client_credentials", scope: "reports.read", audience: "https://api.example.com https://other.example.com/v1/sub" },
      machine,
    );
    expect(answer.status).toBe(200);
    expect(await introspect(answer.body.access_token)).toMatchObject({
      active: true,
      aud: ["https://api.example.com", "https://other.example.com/v1/sub"],
      scope: "reports.read",
    });
    const none = await tokenRequest(hydra, { grant_type: "client_credentials" }, machine);
    expect((await introspect(none.body.access_token)).aud).toEqual([]);
  });

  it("refuses an audience the client may not request with invalid_request", async () => {
    // Hydra: fosite/handler/oauth2/flow_client_credentials.go HandleTokenEndpointRequest (DefaultAudienceMatchingStrategy).
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials", audience: "https://evil.example.com" }, machine);
    expect(answer).toEqual({
      status: 400,
      body: {
        error: "invalid_request",
        error_description: `${INVALID_REQUEST} Requested audience 'https://evil.example.com' has not been whitelisted by the OAuth 2.0 Client.`,
      },
    });
  });

  it("refuses a scope the client may not request with invalid_scope", async () => {
    // Hydra: fosite/handler/oauth2/flow_client_credentials.go HandleTokenEndpointRequest (scope strategy).
    const answer = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "reports.read admin" }, machine);
    expect(answer).toEqual({
      status: 400,
      body: {
        error: "invalid_scope",
        error_description:
          "The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client is not allowed to request scope 'admin'.",
      },
    });
  });
});

describe("token values (fosite's HMAC strategies: token/hmac/hmacsha.go Generate, handler/oauth2/strategy_hmacsha_prefixed.go)", () => {
  const hmacValue = (kind: string) => new RegExp(`^ory_${kind}_[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}$`);

  it("issues ory_ac_ codes, ory_at_ access tokens and ory_rt_ refresh tokens that work everywhere", async () => {
    const authorized = await authorizeCode(hydra, webApp.id, "openid offline_access", "token-user");
    expect(authorized.code).toMatch(hmacValue("ac"));
    const tokens = await redeemCode(hydra, webApp, authorized);
    expect(tokens.body.access_token).toMatch(hmacValue("at"));
    expect(tokens.body.refresh_token).toMatch(hmacValue("rt"));
    expect(await introspect(tokens.body.access_token)).toMatchObject({ active: true, token_use: "access_token" });
    const userinfo = await fetch(new URL("userinfo", hydra.publicUrl), {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    const refreshed = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: tokens.body.refresh_token }, webApp);
    expect(refreshed.body.refresh_token).toMatch(hmacValue("rt"));
    const machineToken = await tokenRequest(hydra, { grant_type: "client_credentials", scope: "reports.read" }, machine);
    expect(machineToken.body.access_token).toMatch(hmacValue("at"));
    // A value whose signature was altered names no token.
    const forged = `${(machineToken.body.access_token ?? "").slice(0, -4)}AAAA`;
    expect((await introspect(forged)).active).toBe(false);
  });
});

describe("oauth2.expose_internal_errors at the token endpoint (fosite access_error.go writeJsonError, WithExposeDebug)", () => {
  it("appends fosite's debug text to an invalid_grant's description only when it is on", async () => {
    const exposing = await startHydraWithConfig(pg, (config) => {
      Object.assign((config.oauth2 ??= {}), { expose_internal_errors: true });
    });
    try {
      const refused = async (target: HydraUnderTest) => {
        const client = await clients.createClient(target, {
          redirect_uris: [REDIRECT_URI],
          scope: "openid offline_access",
          grant_types: ["authorization_code", "refresh_token"],
        });
        const refresh = await tokenRequest(target, { grant_type: "refresh_token", refresh_token: "ory_rt_unknown" }, client);
        const code = await tokenRequest(
          target,
          { grant_type: "authorization_code", code: "ory_ac_unknown", redirect_uri: REDIRECT_URI, code_verifier: "v".repeat(43) },
          client,
        );
        return [refresh.body.error_description, code.body.error_description];
      };
      expect(await refused(hydra)).toEqual([`${INVALID_GRANT} The refresh token is malformed or not valid.`, INVALID_GRANT]);
      // flow_refresh.go's own debug text; flow_authorize_code_token.go's err.Error() of the persister's fosite.ErrNotFound.
      expect(await refused(exposing)).toEqual([
        `${INVALID_GRANT} The refresh token is malformed or not valid. The refresh token can not be found.`,
        `${INVALID_GRANT} not_found`,
      ]);
    } finally {
      await exposing.close();
    }
  });
});
