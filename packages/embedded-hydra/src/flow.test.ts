import { Configuration as OryConfiguration, JwkApi, OidcApi } from "@ory/client";
import { decodeProtectedHeader } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { CONSENT_UI, LOGIN_UI, LOGOUT_UI, relyingParty as relyingPartyOf, startsWith } from "./testing/sign-in";

const REGISTRATION_UI = "http://ciam.localhost:3000/registration";
const REDIRECT_URI = "http://rp.localhost:5555/callback";
const POST_LOGOUT_URI = "http://rp.localhost:5555/bye";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let clientId: string;
let clientSecret: string;

/** openid-client as this file's client. */
const relyingParty = (): Promise<oidc.Configuration> => relyingPartyOf(hydra, clientId, clientSecret);

/** Runs authorize → login UI → consent UI → callback, accepting both with the given subject. */
async function signIn(
  browser: TestBrowser,
  config: oidc.Configuration,
  subject: string,
  remember = false,
  prompt?: string,
  extra: Record<string, string> = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorizeUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: "openid offline_access email",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    ...(prompt ? { prompt } : {}),
    ...extra,
  });
  // CIAM's hydra.yml sets urls.registration: prompt=registration lands on the sign-up page.
  const loginUi = prompt?.split(" ").includes("registration") ? REGISTRATION_UI : LOGIN_UI;
  const atLogin = await browser.navigate(authorizeUrl.toString(), startsWith(loginUi));
  const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
  const { data: loginRequest } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge });
  const { data: loginAccepted } = await hydra.admin.acceptOAuth2LoginRequest({
    loginChallenge,
    acceptOAuth2LoginRequest: { subject, remember, remember_for: 3600, acr: "aal2", amr: ["password", "totp"], context: { via: "test" } },
  });
  const atConsent = await browser.navigate(loginAccepted.redirect_to, startsWith(CONSENT_UI));
  const consentChallenge = atConsent.url.searchParams.get("consent_challenge") ?? "";
  const { data: consentRequest } = await hydra.admin.getOAuth2ConsentRequest({ consentChallenge });
  const { data: consentAccepted } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge,
    acceptOAuth2ConsentRequest: {
      grant_scope: consentRequest.requested_scope ?? [],
      grant_access_token_audience: consentRequest.requested_access_token_audience ?? [],
      remember,
      session: { id_token: { email: `${subject}@example.com`, email_verified: true, name: "Ada" }, access_token: { tier: "gold" } },
    },
  });
  const atCallback = await browser.navigate(consentAccepted.redirect_to, startsWith(REDIRECT_URI));
  return { loginRequest, consentRequest, callback: atCallback.url, verifier, state };
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  ({ id: clientId, secret: clientSecret } = await createClient(hydra, {
    client_name: "Relying party",
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [POST_LOGOUT_URI],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    scope: "openid offline_access email",
  }));
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("authorization code flow with openid-client as the relying party", () => {
  it("runs login, consent, code exchange, userinfo, refresh, revoke, introspection and RP logout", async () => {
    const config = await relyingParty();
    const browser = new TestBrowser();
    const { loginRequest, consentRequest, callback, verifier, state } = await signIn(browser, config, "user-1");

    expect(loginRequest.skip).toBe(false);
    expect(loginRequest.subject).toBe("");
    expect(loginRequest.client.client_id).toBe(clientId);
    expect(loginRequest.client.client_secret).toBeUndefined();
    expect(loginRequest.requested_scope).toEqual(["openid", "offline_access", "email"]);
    expect(loginRequest.request_url).toContain("/oauth2/auth?");
    expect(consentRequest.subject).toBe("user-1");
    expect(consentRequest.skip).toBe(false);
    expect(consentRequest.context).toEqual({ via: "test" });

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.refresh_token).toBeTruthy();
    const claims = tokens.claims();
    expect(claims?.sub).toBe("user-1");
    expect(claims?.iss).toBe(hydra.issuer);
    expect(claims?.email).toBe("user-1@example.com");
    expect(claims?.name).toBe("Ada");
    // The login's assurance travels into the ID token, as in Hydra.
    expect(claims?.acr).toBe("aal2");
    expect(claims?.amr).toEqual(["password", "totp"]);
    expect(typeof claims?.auth_time).toBe("number");

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, "user-1");
    expect(userinfo.email).toBe("user-1@example.com");

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? "");
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token ?? "")).rejects.toMatchObject({ error: "invalid_grant" });

    // Reusing the rotated refresh token revoked the whole grant (reuse detection).
    const { data: afterReuse } = await hydra.admin.introspectOAuth2Token({ token: refreshed.access_token });
    expect(afterReuse.active).toBe(false);

    // A fresh sign-in (remembered session absent: skip stays false) for the rest.
    const second = await signIn(new TestBrowser(), config, "user-2", true);
    const fresh = await oidc.authorizationCodeGrant(config, second.callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });
    const { data: active } = await hydra.admin.introspectOAuth2Token({ token: fresh.access_token });
    expect(active).toMatchObject({ active: true, sub: "user-2", client_id: clientId, token_use: "access_token", ext: { tier: "gold" } });
    expect(active.scope?.split(" ")).toContain("openid");

    await oidc.tokenRevocation(config, fresh.access_token);
    const { data: revoked } = await hydra.admin.introspectOAuth2Token({ token: fresh.access_token });
    expect(revoked.active).toBe(false);
  });
});

describe("prompt=registration (Hydra 2.2+)", () => {
  it("sends the login challenge to urls.registration, keeps the prompt in request_url and completes like a sign-in", async () => {
    const config = await relyingParty();
    const { loginRequest, callback, verifier, state } = await signIn(new TestBrowser(), config, "new-customer", false, "registration");
    expect(new URL(loginRequest.request_url).searchParams.get("prompt")).toBe("registration");
    expect(loginRequest.request_url).not.toContain("olympus_");
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()?.sub).toBe("new-customer");
  });

  it("keeps the other prompt values: prompt=login registration", async () => {
    const config = await relyingParty();
    const { loginRequest } = await signIn(new TestBrowser(), config, "new-customer-2", false, "login registration");
    expect(new URL(loginRequest.request_url).searchParams.get("prompt")?.split(" ").sort()).toEqual(["login", "registration"]);
  });

  it("refuses registration together with none, as Hydra refuses none with anything else", async () => {
    const config = await relyingParty();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: "openid",
      prompt: "none registration",
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
      state: "s-1",
    });
    const back = await new TestBrowser().navigate(url.toString(), startsWith(REDIRECT_URI));
    expect(back.url.searchParams.get("error")).toBe("invalid_request");
    expect(back.url.searchParams.get("state")).toBe("s-1");
  });
});

describe("remembered sessions and RP-initiated logout", () => {
  it("skips login for a remembered session, then logs out through the logout challenge", async () => {
    const config = await relyingParty();
    const browser = new TestBrowser();
    const first = await signIn(browser, config, "user-3", true);
    const tokens = await oidc.authorizationCodeGrant(config, first.callback, {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
    });

    const sessionCookie = browser.setCookieHeaders.find((header) => header.startsWith("ciam_hydra_session="));
    expect(sessionCookie).toBeDefined();
    expect(sessionCookie).toMatch(/httponly/i);
    expect(sessionCookie).toMatch(/samesite=lax/i);
    expect(sessionCookie).not.toMatch(/domain=/i);

    // Second authorization in the same browser: login and consent are both remembered.
    const again = await signIn(browser, config, "user-3", true);
    expect(again.loginRequest.skip).toBe(true);
    expect(again.loginRequest.subject).toBe("user-3");
    expect(again.consentRequest.skip).toBe(true);

    const { data: consents } = await hydra.admin.listOAuth2ConsentSessions({ subject: "user-3" });
    expect(consents.length).toBeGreaterThanOrEqual(1);
    expect(consents[0]?.grant_scope).toContain("openid");

    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token ?? "",
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: "bye-state",
    });
    const atLogoutUi = await browser.navigate(logoutUrl.toString(), startsWith(LOGOUT_UI));
    const logoutChallenge = atLogoutUi.url.searchParams.get("logout_challenge") ?? "";
    const { data: logoutRequest } = await hydra.admin.getOAuth2LogoutRequest({ logoutChallenge });
    expect(logoutRequest).toMatchObject({ subject: "user-3", rp_initiated: true });
    expect(logoutRequest.client?.client_id).toBe(clientId);
    const { data: logoutAccepted } = await hydra.admin.acceptOAuth2LogoutRequest({ logoutChallenge });
    const done = await browser.navigate(logoutAccepted.redirect_to, startsWith(POST_LOGOUT_URI));
    expect(done.url.searchParams.get("state")).toBe("bye-state");

    // The login session is gone: the next authorization is not skipped.
    const afterLogout = await signIn(browser, config, "user-3");
    expect(afterLogout.loginRequest.skip).toBe(false);
  });
});

describe("signing key rotation", () => {
  it("signs new ID tokens with the newest key while older keys stay published", async () => {
    const rotated = await fetch(new URL("admin/keys/hydra.openid.id-token", hydra.adminUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ alg: "RS256", use: "sig" }),
    });
    const newKid = ((await rotated.json()) as { keys: Array<{ kid: string }> }).keys[0]?.kid;
    const config = await relyingParty();
    const { callback, verifier, state } = await signIn(new TestBrowser(), config, "user-4");
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const header = JSON.parse(Buffer.from((tokens.id_token ?? "").split(".")[0] ?? "", "base64url").toString()) as {
      kid: string;
      alg: string;
    };
    expect(header).toMatchObject({ kid: newKid, alg: "RS256" });
    const jwks = (await fetch(new URL(".well-known/jwks.json", hydra.publicUrl)).then((r) => r.json())) as { keys: unknown[] };
    // Both ID token keys, then the access token set's key (Hydra publishes both sets).
    expect(jwks.keys.length).toBe(3);

    // Revoking the subject's consent sessions revokes the tokens issued under them.
    expect((await hydra.admin.introspectOAuth2Token({ token: tokens.access_token })).data.active).toBe(true);
    expect((await hydra.admin.revokeOAuth2ConsentSessions({ subject: "user-4", all: true })).status).toBe(204);
    expect((await hydra.admin.introspectOAuth2Token({ token: tokens.access_token })).data.active).toBe(false);
    expect((await hydra.admin.listOAuth2ConsentSessions({ subject: "user-4" })).data).toEqual([]);
    expect((await hydra.admin.revokeOAuth2LoginSessions({ subject: "user-4" })).status).toBe(204);
  });
});

describe("Hydra's login and consent request fields", () => {
  it("carries the requested audience, oidc_context and login session id, and grants the audience into the access token", async () => {
    const client = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid offline_access email",
      audience: ["https://api.ciam.localhost", "https://other.localhost"],
    });
    const config = await relyingPartyOf(hydra, client.id, client.secret);
    const { loginRequest, consentRequest, callback, verifier, state } = await signIn(
      new TestBrowser(),
      config,
      "aud-user",
      false,
      undefined,
      {
        audience: "https://api.ciam.localhost",
        ui_locales: "de en",
        login_hint: "ada@example.com",
        acr_values: "aal2",
      },
    );

    expect(loginRequest.requested_access_token_audience).toEqual(["https://api.ciam.localhost"]);
    expect(loginRequest.oidc_context).toMatchObject({ ui_locales: ["de", "en"], login_hint: "ada@example.com", acr_values: ["aal2"] });
    expect(loginRequest.session_id).toEqual(expect.any(String));
    expect(loginRequest.session_id).not.toBe("");
    expect(consentRequest.requested_access_token_audience).toEqual(["https://api.ciam.localhost"]);
    expect(consentRequest.oidc_context).toEqual(loginRequest.oidc_context);
    // The consent request names the login it followed.
    expect(consentRequest.login_session_id).toBe(loginRequest.session_id);
    expect(consentRequest.login_challenge).toBe(loginRequest.challenge);

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const { data: introspected } = await hydra.admin.introspectOAuth2Token({ token: tokens.access_token });
    expect(introspected.aud).toEqual(["https://api.ciam.localhost"]);
    const { data: consents } = await hydra.admin.listOAuth2ConsentSessions({
      subject: "aud-user",
      loginSessionId: loginRequest.session_id ?? "",
    });
    expect(consents[0]?.grant_access_token_audience).toEqual(["https://api.ciam.localhost"]);
  });
});

describe("@ory/client OidcApi and JwkApi", () => {
  it("discovers the configuration, reads userinfo and lists the signing key set", async () => {
    const oidcApi = new OidcApi(new OryConfiguration({ basePath: hydra.publicUrl.replace(/\/$/, "") }));
    const { data: discovery } = await oidcApi.discoverOidcConfiguration();
    expect(discovery.issuer).toBe(hydra.issuer);
    // Hydra's list (oauth2/handler.go discoverOidcConfiguration): code, implicit and hybrid.
    expect(discovery.response_types_supported).toEqual([
      "code",
      "code id_token",
      "id_token",
      "token id_token",
      "token",
      "token id_token code",
    ]);
    expect(discovery.userinfo_endpoint).toMatch(/\/userinfo$/);

    const config = await relyingParty();
    const { callback, verifier, state } = await signIn(new TestBrowser(), config, "sdk-user");
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const asUser = new OidcApi(new OryConfiguration({ basePath: hydra.publicUrl.replace(/\/$/, ""), accessToken: tokens.access_token }));
    const { data: userinfo } = await asUser.getOidcUserInfo();
    expect(userinfo).toMatchObject({ sub: "sdk-user", email: "sdk-user@example.com", email_verified: true });
    const anonymous = await oidcApi.getOidcUserInfo().catch((error: { response: { status: number } }) => error.response);
    expect(anonymous.status).toBe(401);

    const jwkApi = new JwkApi(new OryConfiguration({ basePath: hydra.adminUrl.replace(/\/$/, "") }));
    const { data: keySet } = await jwkApi.getJsonWebKeySet({ set: "hydra.openid.id-token" });
    const { kid } = decodeProtectedHeader(tokens.id_token ?? "");
    if (kid === undefined) throw new Error("the ID token names no signing key");
    expect(keySet.keys?.map((key) => key.kid)).toContain(kid);
    // Hydra's admin API returns private keys (jwk/handler.go getJsonWebKeySet).
    for (const key of keySet.keys ?? []) expect(key).toHaveProperty("d");
    const { data: single } = await jwkApi.getJsonWebKey({ set: "hydra.openid.id-token", kid });
    expect(single.keys).toHaveLength(1);
  });
});

describe("consent revocation per client", () => {
  it("revokes the subject's consent and tokens for one client and leaves the other client's alone", async () => {
    const other = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid offline_access email",
    });
    const otherConfig = await relyingPartyOf(hydra, other.id, other.secret);
    const config = await relyingParty();
    const first = await signIn(new TestBrowser(), config, "two-apps");
    const second = await signIn(new TestBrowser(), otherConfig, "two-apps");
    const revokedTokens = await oidc.authorizationCodeGrant(config, first.callback, {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
    });
    const keptTokens = await oidc.authorizationCodeGrant(otherConfig, second.callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });

    expect((await hydra.admin.revokeOAuth2ConsentSessions({ subject: "two-apps", client: clientId })).status).toBe(204);
    expect((await hydra.admin.introspectOAuth2Token({ token: revokedTokens.access_token })).data.active).toBe(false);
    await expect(oidc.refreshTokenGrant(config, revokedTokens.refresh_token ?? "")).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await hydra.admin.introspectOAuth2Token({ token: keptTokens.access_token })).data.active).toBe(true);
    const { data: remaining } = await hydra.admin.listOAuth2ConsentSessions({ subject: "two-apps" });
    expect(remaining.map((session) => session.consent_request?.client?.client_id)).toEqual([other.id]);
  });
});
