import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { createLogoutClient, LOGOUT_CLIENT_SCOPE, POST_LOGOUT_URI } from "./testing/backchannel";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithConfig } from "./testing/harness";
import { useLogoutSuite } from "./testing/logout-suite";
import { REDIRECT_URI } from "./testing/oauth";
import { LOGIN_UI, LOGOUT_UI, relyingParty, signIn, startsWith } from "./testing/sign-in";

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

const suite = useLogoutSuite();
const { delivered, signedIn, nextLogoutToken } = suite;

/** An authorization in the same browser that stops at the login UI: the login request Hydra hands that UI. */
async function pendingLogin(browser: TestBrowser, config: oidc.Configuration) {
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: LOGOUT_CLIENT_SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: "S256",
    state: oidc.randomState(),
  });
  const atLogin = await browser.navigate(url.toString(), startsWith(LOGIN_UI));
  const { data } = await suite.hydra.admin.getOAuth2LoginRequest({ loginChallenge: atLogin.url.searchParams.get("login_challenge") ?? "" });
  return data;
}

/** Whether Hydra would skip the login UI for this browser (a remembered login session). */
async function loginSkip(browser: TestBrowser, config: oidc.Configuration): Promise<boolean> {
  return (await pendingLogin(browser, config)).skip;
}

async function startLogout(browser: TestBrowser, config: oidc.Configuration, idToken: string): Promise<string> {
  const url = oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: "bye" });
  const atLogoutUi = await browser.navigate(url.toString(), startsWith(LOGOUT_UI));
  return atLogoutUi.url.searchParams.get("logout_challenge") ?? "";
}

describe("back-channel logout", () => {
  it("posts a logout token signed with the published keys, naming the session, when the logout is accepted", async () => {
    // Hydra: consent/strategy_default.go executeBackChannelLogout (iss, aud, iat, jti, events, sid; no sub).
    const browser = new TestBrowser();
    const { config, tokens } = await signedIn(browser, "bc-user");
    const idClaims = tokens.claims();
    expect(idClaims?.sid).toBeTruthy();

    const logoutChallenge = await startLogout(browser, config, tokens.id_token ?? "");
    // Nothing is sent before the logout UI accepts.
    expect(delivered).toEqual([]);
    const { data: accepted } = await suite.hydra.admin.acceptOAuth2LogoutRequest({ logoutChallenge });
    const done = await browser.navigate(accepted.redirect_to, startsWith(POST_LOGOUT_URI));
    expect(done.url.searchParams.get("state")).toBe("bye");

    const logoutToken = await nextLogoutToken();
    const jwks = (await fetch(new URL(".well-known/jwks.json", suite.hydra.publicUrl)).then((response) =>
      response.json(),
    )) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(logoutToken, createLocalJWKSet(jwks), {
      issuer: suite.hydra.issuer,
      audience: suite.client.id,
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).not.toHaveProperty("sub");
    expect(payload.sid).toBe(idClaims?.sid);
    expect(payload.events).toEqual({ [BACKCHANNEL_EVENT]: {} });
    expect(payload.jti).toBeTruthy();
    // A logout token never carries a nonce (OpenID Back-Channel Logout 1.0, 2.4).
    expect(payload).not.toHaveProperty("nonce");
  });
});

describe("back-channel logout under clients.http.disallow_private_ip_ranges", () => {
  it("is posted through the guarded client: an IPv4-mapped unspecified address gets no connection (executeBackChannelLogout, s.r.HTTPClient)", async () => {
    let connections = 0;
    const listener = createNetServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const { port } = listener.address() as AddressInfo;
    const guarded = await startHydraWithConfig(suite.postgres, (config) => {
      config.clients = { http: { disallow_private_ip_ranges: true } };
    });
    try {
      // ory/x ipx (Validate) does not count [::ffff:0.0.0.0] as internal, so the client is created;
      // the dialler's check at connect time (httpx ssrf.go) is what must refuse it.
      const mapped = await createLogoutClient(guarded, {
        redirectUri: REDIRECT_URI,
        postLogoutUri: POST_LOGOUT_URI,
        scope: LOGOUT_CLIENT_SCOPE,
        backchannelUrl: `http://[::ffff:0.0.0.0]:${port}/backchannel`,
      });
      const config = await relyingParty(guarded, mapped.id, mapped.secret);
      const browser = new TestBrowser();
      const { tokens } = await signIn(guarded, browser, config, {
        subject: "bc-guarded",
        redirectUri: REDIRECT_URI,
        scope: LOGOUT_CLIENT_SCOPE,
        remember: true,
      });
      const url = oidc.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token ?? "",
        post_logout_redirect_uri: POST_LOGOUT_URI,
        state: "bye",
      });
      const atLogoutUi = await browser.navigate(url.toString(), startsWith(LOGOUT_UI));
      const { data: accepted } = await guarded.admin.acceptOAuth2LogoutRequest({
        logoutChallenge: atLogoutUi.url.searchParams.get("logout_challenge") ?? "",
      });
      await browser.navigate(accepted.redirect_to, startsWith(POST_LOGOUT_URI));
      // The unguarded post arrived within milliseconds; the guarded client's refusals and retries take 3 s.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(connections).toBe(0);
    } finally {
      await guarded.close();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe("front-channel logout", () => {
  it("ends with Hydra's page loading each client's frontchannel_logout_uri with iss and sid, then moving on", async () => {
    // Hydra: consent/strategy_default.go generateFrontChannelLogoutURLs, oauth2/handler.go performOidcFrontOrBackChannelLogout.
    const frontChannel = await createClient(suite.hydra, {
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      scope: LOGOUT_CLIENT_SCOPE,
      frontchannel_logout_uri: "http://rp.localhost:5555/frontchannel",
    });
    const browser = new TestBrowser();
    const { config, tokens } = await signedIn(browser, "fc-user", { client: frontChannel });
    const sid = tokens.claims()?.sid;
    if (typeof sid !== "string") throw new Error("the ID token carries no sid");
    const logoutChallenge = await startLogout(browser, config, tokens.id_token ?? "");
    const { data: accepted } = await suite.hydra.admin.acceptOAuth2LogoutRequest({ logoutChallenge });
    const page = await browser.navigate(accepted.redirect_to, startsWith(POST_LOGOUT_URI));
    expect(page.response?.status).toBe(200);
    const html = (await page.response?.text()) ?? "";
    const frame = new URL(
      `http://rp.localhost:5555/frontchannel?iss=${encodeURIComponent(suite.hydra.issuer)}&sid=${encodeURIComponent(sid)}`,
    );
    expect(html).toContain(`<iframe src="${frame.toString().replace(/&/g, "&#38;")}" onload="done(this)"></iframe>`);
    expect(html).toContain(`content="7; URL=${POST_LOGOUT_URI}?state=bye"`);
  });
});

describe("rejecting a logout request", () => {
  it("answers 204 without a redirect, ends no session and sends no logout token", async () => {
    const browser = new TestBrowser();
    const { config, tokens } = await signedIn(browser, "stays-in");
    const logoutChallenge = await startLogout(browser, config, tokens.id_token ?? "");

    const rejected = await fetch(
      new URL(`admin/oauth2/auth/requests/logout/reject?logout_challenge=${logoutChallenge}`, suite.hydra.adminUrl),
      { method: "PUT" },
    );
    // Hydra gives no redirect_to: the logout UI decides where the browser goes next.
    expect(rejected.status).toBe(204);
    expect(await rejected.text()).toBe("");
    // persister_consent.go RejectLogoutRequest stores the rejection; GetLogoutRequest then finds nothing (sqlcon.ErrNoRows).
    const later = await fetch(new URL(`admin/oauth2/auth/requests/logout?logout_challenge=${logoutChallenge}`, suite.hydra.adminUrl));
    expect(later.status).toBe(404);
    expect(await later.json()).toEqual({ error: "Unable to locate the resource", error_description: "" });

    // The user is still signed in: the RP's tokens work and the next authorization is remembered.
    expect((await suite.hydra.admin.introspectOAuth2Token({ token: tokens.access_token })).data.active).toBe(true);
    expect(await loginSkip(browser, config)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toEqual([]);
  });
});

describe("login session revocation", () => {
  it("by subject: the next authorization in the same browser is no longer skipped", async () => {
    const browser = new TestBrowser();
    const { config } = await signedIn(browser, "revoked-by-subject");
    // Control: the session is remembered before the revocation.
    expect(await loginSkip(browser, config)).toBe(true);
    expect((await suite.hydra.admin.revokeOAuth2LoginSessions({ subject: "revoked-by-subject" })).status).toBe(204);
    expect(await loginSkip(browser, config)).toBe(false);
  });

  it("by sid: only that login session is forgotten", async () => {
    const revokedBrowser = new TestBrowser();
    const otherBrowser = new TestBrowser();
    const { config } = await signedIn(revokedBrowser, "two-browsers");
    await signedIn(otherBrowser, "two-browsers");

    // The login request's session_id is the sid Hydra's revocation takes.
    const pending = await pendingLogin(revokedBrowser, config);
    expect(pending.skip).toBe(true);
    expect(pending.session_id).toBeTruthy();

    expect((await suite.hydra.admin.revokeOAuth2LoginSessions({ sid: pending.session_id ?? "" })).status).toBe(204);
    expect(await loginSkip(revokedBrowser, config)).toBe(false);
    expect(await loginSkip(otherBrowser, config)).toBe(true);
  });
});
