import { decodeJwt } from "jose";
import * as oidc from "openid-client";
import { beforeAll, describe, expect, it } from "vitest";
import { LOGOUT_CLIENT_SCOPE, POST_LOGOUT_URI } from "./testing/backchannel";
import { TestBrowser } from "./testing/browser";
import { useLogoutSuite } from "./testing/logout-suite";
import { REDIRECT_URI } from "./testing/oauth";
import { CONSENT_UI, LOGIN_UI, LOGOUT_UI, relyingParty, startsWith } from "./testing/sign-in";

/**
 * Hydra's login session id belongs to the login request, not to the browser
 * (consent/strategy_default.go forwardAuthenticationRequest: `uuid.New()` for
 * every request it does not skip, the remembered session's id for a skipped
 * one). It is the consent's `login_session_id`, the ID token's `sid`
 * (oauth2/handler.go updateSessionWithRequest) and what logout and
 * revocation by `sid` end (issueLogoutVerifier, completeLogout,
 * HandleHeadlessLogout, performBackChannelLogoutAndDeleteSession).
 */

const suite = useLogoutSuite();
const { delivered } = suite;
let config: oidc.Configuration;

/** One browser tab's authorization, step by step. */
class Tab {
  private readonly verifier = oidc.randomPKCECodeVerifier();
  private readonly state = oidc.randomState();
  loginChallenge = "";
  consentChallenge = "";

  constructor(
    private readonly browser: TestBrowser,
    private readonly scope = LOGOUT_CLIENT_SCOPE,
  ) {}

  /** Starts the authorization and stops at the login UI: the login request Hydra hands it. */
  async start(extra: Record<string, string> = {}) {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: this.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(this.verifier),
      code_challenge_method: "S256",
      state: this.state,
      ...extra,
    });
    const at = await this.browser.navigate(url.toString(), startsWith(LOGIN_UI));
    this.loginChallenge = at.url.searchParams.get("login_challenge") ?? "";
    return (await suite.hydra.admin.getOAuth2LoginRequest({ loginChallenge: this.loginChallenge })).data;
  }

  /** The login UI accepts; the browser follows to the consent UI: the consent request Hydra hands it. */
  async login(subject: string, remember: boolean) {
    const { data } = await suite.hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge: this.loginChallenge,
      acceptOAuth2LoginRequest: { subject, remember, remember_for: 3600 },
    });
    const at = await this.browser.navigate(data.redirect_to, startsWith(CONSENT_UI));
    this.consentChallenge = at.url.searchParams.get("consent_challenge") ?? "";
    return (await suite.hydra.admin.getOAuth2ConsentRequest({ consentChallenge: this.consentChallenge })).data;
  }

  /** The consent UI accepts; the browser follows to the client, which exchanges the code: the ID token. */
  async consent(): Promise<string> {
    return (await this.tokens()).id_token ?? "";
  }

  /** The consent UI accepts; the browser follows to the client, which exchanges the code. */
  async tokens() {
    const { data } = await suite.hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge: this.consentChallenge,
      acceptOAuth2ConsentRequest: { grant_scope: this.scope.split(" ") },
    });
    const callback = await this.browser.navigate(data.redirect_to, startsWith(REDIRECT_URI));
    return oidc.authorizationCodeGrant(config, callback.url, { pkceCodeVerifier: this.verifier, expectedState: this.state });
  }
}

function sidOf(idToken: string): unknown {
  return decodeJwt(idToken).sid;
}

/** Logout tokens that arrived within `ms` (they are posted in the background). */
async function logoutTokens(ms = 500): Promise<Record<string, unknown>[]> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return delivered.splice(0).map((form) => decodeJwt(form.get("logout_token") ?? ""));
}

/** Two tabs of one browser: the first login not remembered, the second (prompt=login) remembered. */
async function twoTabs(browser: TestBrowser, subject: string) {
  const first = new Tab(browser);
  const second = new Tab(browser);
  const firstLogin = await first.start();
  const firstConsent = await first.login(subject, false);
  // The second tab asks for a fresh login while the first one waits at the consent UI.
  const secondLogin = await second.start({ prompt: "login" });
  const firstIdToken = await first.consent();
  const secondConsent = await second.login(subject, true);
  const secondIdToken = await second.consent();
  return { firstLogin, firstConsent, firstIdToken, secondLogin, secondConsent, secondIdToken };
}

beforeAll(async () => {
  config = await relyingParty(suite.hydra, suite.client.id, suite.client.secret);
});

describe("a login session id per login request", () => {
  it("gives two non-skipped login requests of one browser two ids, each tab's consent and ID token its own", async () => {
    // Hydra: consent/strategy_default.go forwardAuthenticationRequest (sessionID := uuid.New() unless skipped),
    // verifyAuthentication (ConfirmLoginSession under the flow's SessionID), oauth2/handler.go updateSessionWithRequest (sid).
    const tabs = await twoTabs(new TestBrowser(), "two-tabs");
    expect(tabs.firstLogin.skip).toBe(false);
    expect(tabs.secondLogin.skip).toBe(false);
    expect(tabs.firstLogin.session_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(tabs.secondLogin.session_id).toMatch(/^[0-9a-f]{8}-/);
    expect(tabs.secondLogin.session_id).not.toBe(tabs.firstLogin.session_id);
    expect(tabs.firstConsent.login_session_id).toBe(tabs.firstLogin.session_id);
    expect(tabs.secondConsent.login_session_id).toBe(tabs.secondLogin.session_id);
    expect(sidOf(tabs.firstIdToken)).toBe(tabs.firstLogin.session_id);
    expect(sidOf(tabs.secondIdToken)).toBe(tabs.secondLogin.session_id);
  });

  it("keeps the remembered login's id for a skipped login request, in its consent and ID token", async () => {
    // Hydra: consent/strategy_default.go forwardAuthenticationRequest (a remembered session: sessionID = session.ID, skip).
    const browser = new TestBrowser();
    const tabs = await twoTabs(browser, "skipped-later");
    const third = new Tab(browser);
    const skipped = await third.start();
    expect(skipped).toMatchObject({ skip: true, subject: "skipped-later", session_id: tabs.secondLogin.session_id });
    const consent = await third.login("skipped-later", false);
    expect(consent.login_session_id).toBe(tabs.secondLogin.session_id);
    expect(sidOf(await third.consent())).toBe(tabs.secondLogin.session_id);
  });
});

describe("tokens of two tabs", () => {
  it("stay active after the other tab's authorization and after the logout of its login session", async () => {
    // Hydra: oauth2/handler.go, fosite: access tokens are not bound to the login session (nothing revokes them at
    // another authorization or a logout; consent/strategy_default.go completeLogout deletes only the login session).
    const browser = new TestBrowser();
    const first = new Tab(browser, "openid");
    const second = new Tab(browser, "openid");
    await first.start();
    await first.login("token-tabs", false);
    const firstTokens = await first.tokens();
    await second.start({ prompt: "login" });
    await second.login("token-tabs", true);
    const secondTokens = await second.tokens();
    const active = async (token: string) => (await suite.hydra.admin.introspectOAuth2Token({ token })).data.active;
    expect(await active(firstTokens.access_token)).toBe(true);
    expect(await active(secondTokens.access_token)).toBe(true);
    expect((await suite.hydra.admin.revokeOAuth2LoginSessions({ sid: String(sidOf(secondTokens.id_token ?? "")) })).status).toBe(204);
    expect(await active(firstTokens.access_token)).toBe(true);
    expect(await active(secondTokens.access_token)).toBe(true);
  });
});

describe("logout and revocation by sid", () => {
  it("sends an id_token_hint of the login that was not remembered straight back, and logs out the remembered one", async () => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier (GetRememberedLoginSession(hint sid)), completeLogout,
    // executeBackChannelLogout (clients whose flows have that login_session_id and subject).
    const browser = new TestBrowser();
    const tabs = await twoTabs(browser, "two-logouts");
    delivered.length = 0;

    const notRemembered = oidc.buildEndSessionUrl(config, {
      id_token_hint: tabs.firstIdToken,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: "first",
    });
    const back = await browser.navigate(notRemembered.toString(), startsWith(LOGOUT_UI, POST_LOGOUT_URI));
    expect(`${back.url.origin}${back.url.pathname}`).toBe(POST_LOGOUT_URI);
    expect(back.url.searchParams.get("state")).toBe("first");
    expect(await logoutTokens()).toEqual([]);
    // Still remembered: the next authorization is skipped with the second tab's id.
    expect(await new Tab(browser).start()).toMatchObject({ skip: true, session_id: tabs.secondLogin.session_id });

    const remembered = oidc.buildEndSessionUrl(config, {
      id_token_hint: tabs.secondIdToken,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: "second",
    });
    const atUi = await browser.navigate(remembered.toString(), startsWith(LOGOUT_UI, POST_LOGOUT_URI));
    const logoutChallenge = atUi.url.searchParams.get("logout_challenge") ?? "";
    const { data: request } = await suite.hydra.admin.getOAuth2LogoutRequest({ logoutChallenge });
    expect(request).toMatchObject({ subject: "two-logouts", sid: tabs.secondLogin.session_id, rp_initiated: true });
    const { data: accepted } = await suite.hydra.admin.acceptOAuth2LogoutRequest({ logoutChallenge });
    await browser.navigate(accepted.redirect_to, startsWith(POST_LOGOUT_URI));
    // One notice, for the login session that ended (the first tab's consent belongs to the other one).
    const tokens = await logoutTokens();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ sid: tabs.secondLogin.session_id, aud: [suite.client.id] });
    expect((await new Tab(browser).start()).skip).toBe(false);
  });

  it("without a hint, names the browser's remembered login session", async () => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier (OP-initiated: SessionID = the cookie's session.ID).
    const browser = new TestBrowser();
    const tabs = await twoTabs(browser, "op-logout");
    const atUi = await browser.navigate(new URL("oauth2/sessions/logout", suite.hydra.publicUrl).toString(), startsWith(LOGOUT_UI));
    const { data: request } = await suite.hydra.admin.getOAuth2LogoutRequest({
      logoutChallenge: atUi.url.searchParams.get("logout_challenge") ?? "",
    });
    expect(request).toMatchObject({ subject: "op-logout", sid: tabs.secondLogin.session_id, rp_initiated: false });
  });

  it("revokes by the remembered sid (back-channel notice, no skip any more); a sid that was not remembered ends nothing", async () => {
    // Hydra: consent/strategy_default.go HandleHeadlessLogout (GetRememberedLoginSession(sid); not found: nothing),
    // performBackChannelLogoutAndDeleteSession.
    const browser = new TestBrowser();
    const tabs = await twoTabs(browser, "headless");
    delivered.length = 0;

    expect((await suite.hydra.admin.revokeOAuth2LoginSessions({ sid: tabs.firstLogin.session_id ?? "" })).status).toBe(204);
    expect(await logoutTokens()).toEqual([]);
    expect((await new Tab(browser).start()).skip).toBe(true);

    expect((await suite.hydra.admin.revokeOAuth2LoginSessions({ sid: tabs.secondLogin.session_id ?? "" })).status).toBe(204);
    const tokens = await logoutTokens();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ sid: tabs.secondLogin.session_id });
    expect((await new Tab(browser).start()).skip).toBe(false);
  });
});
