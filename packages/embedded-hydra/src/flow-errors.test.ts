import * as oidc from "openid-client";
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
import { authorizeUrl } from "./testing/oauth";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./testing/sign-in";

const ERROR_UI = "http://ciam.localhost:3000/error";
const REDIRECT_URI = "http://rp.localhost:5555/callback";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let confidential: { id: string; secret: string };
let publicClientId: string;
let machine: { id: string; secret: string };

function rp(id: string, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(hydra.issuer), id, secret, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

async function authorize(config: oidc.Configuration, params: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: "openid",
    state: "state-123",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...params,
  });
  return { url: url.toString(), verifier };
}

async function acceptLogin(browser: TestBrowser, authorizeUrl: string, subject = "alice") {
  const atLogin = await browser.navigate(authorizeUrl, startsWith(LOGIN_UI));
  const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
  const { data } = await hydra.admin.acceptOAuth2LoginRequest({ loginChallenge, acceptOAuth2LoginRequest: { subject } });
  return browser.navigate(data.redirect_to, startsWith(CONSENT_UI, REDIRECT_URI));
}

async function acceptConsent(browser: TestBrowser, consentUrl: URL) {
  const consentChallenge = consentUrl.searchParams.get("consent_challenge") ?? "";
  const { data } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge,
    acceptOAuth2ConsentRequest: { grant_scope: ["openid"] },
  });
  return browser.navigate(data.redirect_to, startsWith(REDIRECT_URI));
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  confidential = await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid email", skip_consent: false });
  publicClientId = (
    await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid", token_endpoint_auth_method: "none", skip_consent: true })
  ).id;
  machine = await createClient(hydra, { grant_types: ["client_credentials"], scope: "reports.read reports.write" });
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("refusals reach the client as OAuth2 errors", () => {
  it("login reject redirects to the client with error=access_denied", async () => {
    const browser = new TestBrowser();
    const { url } = await authorize(await rp(confidential.id, confidential.secret));
    const atLogin = await browser.navigate(url, startsWith(LOGIN_UI));
    const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
    const { data } = await hydra.admin.rejectOAuth2LoginRequest({
      loginChallenge,
      rejectOAuth2Request: { error: "access_denied", error_description: "The user cancelled" },
    });
    const back = await browser.navigate(data.redirect_to, startsWith(REDIRECT_URI));
    expect(back.url.searchParams.get("error")).toBe("access_denied");
    expect(back.url.searchParams.get("state")).toBe("state-123");
    // Hydra's challenges are stateless (flow/flow_encoding.go): a handled one still reads as the request it was.
    const again = await hydra.admin.getOAuth2LoginRequest({ loginChallenge });
    expect(again.status).toBe(200);
    expect(again.data.challenge).toBe(loginChallenge);
  });

  it("consent reject redirects to the client with error=access_denied", async () => {
    const browser = new TestBrowser();
    const { url } = await authorize(await rp(confidential.id, confidential.secret));
    const atConsent = await acceptLogin(browser, url);
    const consentChallenge = atConsent.url.searchParams.get("consent_challenge") ?? "";
    const { data } = await hydra.admin.rejectOAuth2ConsentRequest({ consentChallenge, rejectOAuth2Request: { error: "access_denied" } });
    const back = await browser.navigate(data.redirect_to, startsWith(REDIRECT_URI));
    expect(back.url.searchParams.get("error")).toBe("access_denied");
  });

  it("a rejection under one of fosite's own names keeps its own description and hint (flow/consent_types.go ToRFCError, fosite errors.go GetDescription)", async () => {
    // fositex/config.go GetMessageCatalog is nil, so i18n.GetMessageOrDefault keeps the rejection's description;
    // GetDescription appends the hint after a space (also to an empty description) and turns `"` into `'`.
    const rejectedAt = async (kind: "login" | "consent", body: Record<string, string>, params: Record<string, string> = {}) => {
      const browser = new TestBrowser();
      const { url } = await authorize(await rp(confidential.id, confidential.secret), params);
      let redirectTo: string;
      if (kind === "login") {
        const atLogin = await browser.navigate(url, startsWith(LOGIN_UI));
        const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
        redirectTo = (await hydra.admin.rejectOAuth2LoginRequest({ loginChallenge, rejectOAuth2Request: body })).data.redirect_to;
      } else {
        const atConsent = await acceptLogin(browser, url);
        const consentChallenge = atConsent.url.searchParams.get("consent_challenge") ?? "";
        redirectTo = (await hydra.admin.rejectOAuth2ConsentRequest({ consentChallenge, rejectOAuth2Request: body })).data.redirect_to;
      }
      const back = await browser.navigate(redirectTo, startsWith(REDIRECT_URI));
      const answer = back.url.hash.length > 1 ? new URLSearchParams(back.url.hash.slice(1)) : back.url.searchParams;
      return Object.fromEntries(answer);
    };
    expect(
      await rejectedAt("login", { error: "access_denied", error_description: "The user cancelled.", error_hint: 'Press "retry".' }),
    ).toEqual({ error: "access_denied", error_description: "The user cancelled. Press 'retry'.", state: "state-123" });
    expect(await rejectedAt("consent", { error: "login_required", error_description: "Sign in again." })).toEqual({
      error: "login_required",
      error_description: "Sign in again.",
      state: "state-123",
    });
    // No description: fosite's default is not put in its place.
    expect(await rejectedAt("login", { error: "access_denied" })).toEqual({
      error: "access_denied",
      error_description: "",
      state: "state-123",
    });
    expect(await rejectedAt("consent", { error: "invalid_request", error_hint: "Only a hint." }, { response_mode: "fragment" })).toEqual({
      error: "invalid_request",
      error_description: " Only a hint.",
      state: "state-123",
    });
  });

  it("oidc-provider's own authorization errors still reach the client in fosite's words (fosite/authorize_request_handler.go)", async () => {
    const browser = new TestBrowser();
    const { url } = await authorize(await rp(confidential.id, confidential.secret), { prompt: "bogus" });
    const back = await browser.navigate(url, startsWith(REDIRECT_URI));
    expect(back.url.searchParams.get("error")).toBe("invalid_request");
    expect(back.url.searchParams.get("error_description")).toBe(
      "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Used unknown value 'bogus' for prompt parameter",
    );
  });

  it("rejects a code exchange with the wrong PKCE verifier", async () => {
    const config = await rp(confidential.id, confidential.secret);
    const browser = new TestBrowser();
    const { url } = await authorize(config);
    const atConsent = await acceptLogin(browser, url);
    const callback = await acceptConsent(browser, atConsent.url);
    await expect(
      oidc.authorizationCodeGrant(config, callback.url, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: "state-123" }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("sends a mismatched redirect_uri to the error UI, never to the client", async () => {
    const { url } = await authorize(await rp(confidential.id, confidential.secret), { redirect_uri: "http://evil.localhost/callback" });
    const result = await new TestBrowser().navigate(url, startsWith(ERROR_UI, "http://evil.localhost"));
    expect(result.url.toString().startsWith(ERROR_UI)).toBe(true);
    // Hydra: fosite/authorize_helper.go MatchRedirectURIWithClientRedirectURIs (invalid_request).
    expect(result.url.searchParams.get("error")).toBe("invalid_request");
  });

  it("refuses a public client that sends no PKCE challenge", async () => {
    const config = await rp(publicClientId);
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: "openid", state: "state-123" });
    const result = await new TestBrowser().navigate(url.toString(), startsWith(REDIRECT_URI, LOGIN_UI));
    expect(result.url.toString().startsWith(REDIRECT_URI)).toBe(true);
    expect(result.url.searchParams.get("error")).toBe("invalid_request");
  });

  it("lets a public client with PKCE through; skip_consent is left to the consent UI", async () => {
    // Hydra: consent/strategy_default.go requestConsent (only a remembered consent sets skip; the client's
    // skip_consent is for the consent UI to read).
    const config = await rp(publicClientId);
    const browser = new TestBrowser();
    const { url, verifier } = await authorize(config);
    const atConsent = await acceptLogin(browser, url, "bob");
    const { data: consent } = await hydra.admin.getOAuth2ConsentRequest({
      consentChallenge: atConsent.url.searchParams.get("consent_challenge") ?? "",
    });
    expect(consent.skip).toBe(false);
    expect(consent.client?.skip_consent).toBe(true);
    const callback = await acceptConsent(browser, atConsent.url);
    const tokens = await oidc.authorizationCodeGrant(config, callback.url, { pkceCodeVerifier: verifier, expectedState: "state-123" });
    expect(tokens.claims()?.sub).toBe("bob");
  });
});

describe("no implicit or hybrid flow", () => {
  it.each(["token", "id_token token", "code id_token", "id_token"])(
    "refuses response_type=%s with an OAuth2 error and never issues a token",
    async (responseType) => {
      const url = new URL("oauth2/auth", hydra.publicUrl);
      url.search = new URLSearchParams({
        client_id: confidential.id,
        redirect_uri: REDIRECT_URI,
        response_type: responseType,
        scope: "openid",
        state: "state-implicit",
        nonce: "n-implicit",
      }).toString();
      const end = await new TestBrowser().navigate(url.toString(), startsWith(REDIRECT_URI, ERROR_UI, LOGIN_UI));
      // Never handed to the login UI, so no token can follow.
      expect(end.url.toString().startsWith(LOGIN_UI)).toBe(false);
      const params = new URLSearchParams(end.url.hash.slice(1) || end.url.search);
      expect(["unsupported_response_type", "invalid_request"]).toContain(params.get("error"));
      if (end.url.toString().startsWith(REDIRECT_URI)) expect(params.get("state")).toBe("state-implicit");
      for (const leaked of ["access_token", "id_token", "code"]) {
        expect(end.url.searchParams.has(leaked)).toBe(false);
        expect(new URLSearchParams(end.url.hash.slice(1)).has(leaked)).toBe(false);
      }
    },
  );
});

describe("client_credentials", () => {
  it("issues a token for registered scopes and refuses others", async () => {
    const config = await rp(machine.id, machine.secret);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: "reports.read" });
    expect(tokens.scope).toBe("reports.read");
    const { data } = await hydra.admin.introspectOAuth2Token({ token: tokens.access_token });
    expect(data).toMatchObject({ active: true, client_id: machine.id, sub: machine.id, scope: "reports.read" });
    await expect(oidc.clientCredentialsGrant(config, { scope: "admin" })).rejects.toMatchObject({ error: "invalid_scope" });
  });

  it("answers a wrong secret with 401 invalid_client", async () => {
    const response = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${machine.id}:wrong-secret`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  it("answers malformed token requests with 400 JSON", async () => {
    const response = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=nonsense",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toHaveProperty("error");
  });
});

describe("oauth2.expose_internal_errors (driver/config/provider.go GetSendDebugMessagesToClients)", () => {
  it("a rejection's error_debug follows the hint in the client's error_description only when it is on (fosite errors.go GetDescription, WriteAuthorizeError)", async () => {
    const exposing = await startHydraWithConfig(pg, (config) => {
      Object.assign((config.oauth2 ??= {}), { expose_internal_errors: true });
    });
    try {
      const descriptionAt = async (target: HydraUnderTest) => {
        const client = await createClient(target, { redirect_uris: [REDIRECT_URI], scope: "openid" });
        const browser = new TestBrowser();
        const atLogin = await browser.navigate(authorizeUrl(target, client.id, {}), startsWith(LOGIN_UI));
        const { data } = await target.admin.rejectOAuth2LoginRequest({
          loginChallenge: atLogin.url.searchParams.get("login_challenge") ?? "",
          rejectOAuth2Request: {
            error: "user_cancelled",
            error_description: "The user cancelled.",
            error_hint: "Try again.",
            error_debug: 'upstream said "no"',
          },
        });
        const back = await browser.navigate(data.redirect_to, startsWith(REDIRECT_URI));
        return [back.url.searchParams.get("error"), back.url.searchParams.get("error_description")];
      };
      expect(await descriptionAt(hydra)).toEqual(["user_cancelled", "The user cancelled. Try again."]);
      // GetDescription turns the debug text's double quotes into single ones as well.
      expect(await descriptionAt(exposing)).toEqual(["user_cancelled", "The user cancelled. Try again. upstream said 'no'"]);
    } finally {
      await exposing.close();
    }
  });
});
