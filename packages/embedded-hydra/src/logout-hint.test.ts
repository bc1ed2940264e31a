import { decodeJwt, importJWK, SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { POST_LOGOUT_URI } from "./testing/backchannel";
import { TestBrowser } from "./testing/browser";
import { LOGGED_OUT, LOGOUT_ANYWHERE as ANYWHERE, useLogoutSuite } from "./testing/logout-suite";
import { ERROR_UI } from "./testing/oauth";
import { LOGOUT_UI } from "./testing/sign-in";

/**
 * RP-initiated logout as Hydra does it: with an id_token_hint the logout
 * request is about the hint's login session (its subject and sid), whoever
 * is signed in in the browser that carries the link; without one, about the
 * browser's own remembered session.
 */
const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

const suite = useLogoutSuite();
const { delivered, signedIn, logoutUrl, loginSkip } = suite;

/** An ID token signed with Hydra's own key but with the claims a test chooses. */
async function forgedHint(claims: Record<string, unknown>): Promise<string> {
  const { hydra, postgres, client } = suite;
  const database = new URL(hydra.dsn).pathname.slice(1);
  const { rows } = await postgres.query(
    "SELECT private_jwk FROM hydra_jwks WHERE set_id = 'hydra.openid.id-token' ORDER BY pk DESC LIMIT 1",
    [],
    database,
  );
  const jwk = (rows[0] as { private_jwk: JWK & { kid: string } }).private_jwk;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: hydra.issuer, aud: client.id, iat: now, exp: now + 600, ...claims })
    .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
    .sign(await importJWK(jwk, "RS256"));
}

const nextLogoutClaims = async () => decodeJwt(await suite.nextLogoutToken());

describe("id_token_hint of another person", () => {
  it("names the hint's subject and sid in the logout request, not the person signed in in the browser", async () => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier (Subject from the hint's sid session, SessionID = hint sid, RPInitiated).
    // Attack: sign-out by someone else's ID token — Hera must see that the request is not about the person in the browser.
    const alice = await signedIn(new TestBrowser(), "alice");
    const bobsBrowser = new TestBrowser();
    const bob = await signedIn(bobsBrowser, "bob");
    expect(alice.sid).not.toBe(bob.sid);

    const atUi = await bobsBrowser.navigate(
      logoutUrl({ id_token_hint: alice.idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: "s-hint" }),
      ANYWHERE,
    );
    expect(`${atUi.url.origin}${atUi.url.pathname}`).toBe(LOGOUT_UI);
    const { data: request } = await suite.hydra.admin.getOAuth2LogoutRequest({
      logoutChallenge: atUi.url.searchParams.get("logout_challenge") ?? "",
    });
    expect(request).toMatchObject({ subject: "alice", sid: alice.sid, rp_initiated: true });
    // flow.LogoutRequest: the RP-initiated request is stored without RequestedAt/ExpiresAt, answered as null.
    expect(request).toMatchObject({ requested_at: null, expires_at: null });
    expect(request.client?.client_id).toBe(suite.client.id);
    expect(request.client?.client_secret).toBeUndefined();
  });

  it("accepted, ends the hinted session (back-channel with its sid) and, as Hydra does, the browser's own session too", async () => {
    // Hydra: consent/strategy_default.go completeLogout (deleteSession(hint sid), then revokeAuthenticationSession of the browser's cookie).
    // Attack: sign-out by someone else's ID token — once the logout UI accepted, what ends is what Hydra ends.
    const alicesBrowser = new TestBrowser();
    const alice = await signedIn(alicesBrowser, "alice-2");
    const bobsBrowser = new TestBrowser();
    await signedIn(bobsBrowser, "bob-2");
    const atUi = await bobsBrowser.navigate(
      logoutUrl({ id_token_hint: alice.idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: "s-accept" }),
      ANYWHERE,
    );
    const logoutChallenge = atUi.url.searchParams.get("logout_challenge") ?? "";
    expect(delivered).toEqual([]);

    const { data: accepted } = await suite.hydra.admin.acceptOAuth2LogoutRequest({ logoutChallenge });
    const done = await bobsBrowser.navigate(accepted.redirect_to, ANYWHERE);
    expect(`${done.url.origin}${done.url.pathname}`).toBe(POST_LOGOUT_URI);
    expect(done.url.searchParams.get("state")).toBe("s-accept");

    expect(await nextLogoutClaims()).toMatchObject({ sid: alice.sid });
    // Bob's own session ends without a back-channel call (Hydra's revokeAuthenticationSession sends none).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toEqual([]);
    expect(await loginSkip(alicesBrowser)).toBe(false);
    expect(await loginSkip(bobsBrowser)).toBe(false);
    // Hydra's logout verifiers are stateless: a replay finds the session gone, ends nothing more and
    // goes where the logout went (consent/strategy_default.go completeLogout, deleteSession → ErrNoRows).
    const replay = await bobsBrowser.navigate(accepted.redirect_to, ANYWHERE);
    expect(`${replay.url.origin}${replay.url.pathname}`).toBe(POST_LOGOUT_URI);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toEqual([]);
  });
});

describe("id_token_hint whose session is not (or no longer) remembered", () => {
  it("redirects straight to the post-logout URI with state, without a logout challenge, once the session was revoked", async () => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier (GetRememberedLoginSession(hintSid) not found → redirect).
    // Attack: none — a stale link must neither error nor ask anyone.
    const browser = new TestBrowser();
    const carol = await signedIn(browser, "carol");
    expect((await suite.hydra.admin.revokeOAuth2LoginSessions({ subject: "carol" })).status).toBe(204);
    const end = await browser.navigate(
      logoutUrl({ id_token_hint: carol.idToken, post_logout_redirect_uri: POST_LOGOUT_URI, state: "s-gone" }),
      ANYWHERE,
    );
    expect(`${end.url.origin}${end.url.pathname}`).toBe(POST_LOGOUT_URI);
    expect(end.url.searchParams.get("state")).toBe("s-gone");
  });

  it("redirects straight away for a login accepted without remember, and to urls.post_logout_redirect without a post_logout_redirect_uri", async () => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier (only remembered login sessions; redir defaults to LogoutRedirectURL).
    // Attack: none — Hydra keeps no browser session for such a login.
    const dave = await signedIn(new TestBrowser(), "dave", { remember: false });
    const end = await new TestBrowser().navigate(logoutUrl({ id_token_hint: dave.idToken }), ANYWHERE);
    expect(end.url.toString()).toBe(LOGGED_OUT);
  });
});

describe("malformed logout requests", () => {
  it.each([
    ["without sid", { sid: undefined, sub: "erin" }, "Logout failed because query parameter id_token_hint is missing sid claim."],
    ["without sub", { sid: "some-sid", sub: undefined }, "Logout failed because query parameter id_token_hint is missing sub claim."],
  ])("refuses a hint %s with invalid_request at the error UI", async (_what, claims, hint) => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier (sid and sub claims are required).
    // Attack: sign-out by a crafted hint — a token naming no session must not become a logout request.
    const token = await forgedHint(claims);
    const end = await new TestBrowser().navigate(logoutUrl({ id_token_hint: token }), ANYWHERE);
    expect(`${end.url.origin}${end.url.pathname}`).toBe(ERROR_UI);
    expect(end.url.searchParams.get("error")).toBe("invalid_request");
    expect(end.url.searchParams.get("error_description")).toBe(`${INVALID_REQUEST} ${hint}`);
  });

  it("refuses a hint from another issuer, an unregistered post_logout_redirect_uri, and state or post_logout_redirect_uri without a hint", async () => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier (iss check, whitelisted post_logout_redirect_uri, OP-initiated parameters).
    // Attack: open redirect / confused deputy through the logout endpoint.
    const frank = await signedIn(new TestBrowser(), "frank");
    const cases: Array<[Record<string, string>, string]> = [
      [
        { id_token_hint: await forgedHint({ sub: "frank", sid: frank.sid, iss: "http://evil.localhost/" }) },
        "issuer claim value 'http://evil.localhost/'",
      ],
      [
        { id_token_hint: frank.idToken, post_logout_redirect_uri: "http://evil.localhost/bye" },
        "post_logout_redirect_uri is not a whitelisted",
      ],
      [{ state: "s" }, "query parameter state is set but id_token_hint is missing"],
      [{ post_logout_redirect_uri: POST_LOGOUT_URI }, "query parameter post_logout_redirect_uri is set but id_token_hint is missing"],
    ];
    for (const [params, hint] of cases) {
      const end = await new TestBrowser().navigate(logoutUrl(params), ANYWHERE);
      expect(`${end.url.origin}${end.url.pathname}`, JSON.stringify(params)).toBe(ERROR_UI);
      expect(end.url.searchParams.get("error")).toBe("invalid_request");
      expect(end.url.searchParams.get("error_description")).toContain(hint);
    }
  });
});

describe("logout without id_token_hint", () => {
  it("is about the browser's own remembered session (rp_initiated false), and without one goes to urls.post_logout_redirect", async () => {
    // Hydra: consent/strategy_default.go issueLogoutVerifier and completeLogout (OP-initiated branch).
    // Attack: none — the logout UI sees exactly who is signed in here.
    const browser = new TestBrowser();
    await signedIn(browser, "grace");
    const atUi = await browser.navigate(logoutUrl({}), ANYWHERE);
    expect(`${atUi.url.origin}${atUi.url.pathname}`).toBe(LOGOUT_UI);
    const { data: request } = await suite.hydra.admin.getOAuth2LogoutRequest({
      logoutChallenge: atUi.url.searchParams.get("logout_challenge") ?? "",
    });
    expect(request).toMatchObject({ subject: "grace", rp_initiated: false });
    expect(request.client ?? undefined).toBeUndefined();
    // issueLogoutVerifier: RequestedAt/ExpiresAt are Round(time.Second), so Go's JSON has no fraction.
    expect(request.requested_at).toMatch(/T\d\d:\d\d:\d\dZ$/);
    expect(request.expires_at).toMatch(/T\d\d:\d\d:\d\dZ$/);
    const { data: accepted } = await suite.hydra.admin.acceptOAuth2LogoutRequest({
      logoutChallenge: atUi.url.searchParams.get("logout_challenge") ?? "",
    });
    expect((await browser.navigate(accepted.redirect_to, ANYWHERE)).url.toString()).toBe(LOGGED_OUT);
    expect(await loginSkip(browser)).toBe(false);

    const nobody = await new TestBrowser().navigate(logoutUrl({}), ANYWHERE);
    expect(nobody.url.toString()).toBe(LOGGED_OUT);
  });

  it("accepted in a browser where someone else has signed in meanwhile, ends nobody's session", async () => {
    // Hydra: consent/strategy_default.go completeLogout (session.Subject != lr.Subject → redirect only).
    // Attack: a logout verifier carried into another person's browser must not sign that person out.
    const browser = new TestBrowser();
    await signedIn(browser, "heidi");
    const atUi = await browser.navigate(logoutUrl({}), ANYWHERE);
    const { data: accepted } = await suite.hydra.admin.acceptOAuth2LogoutRequest({
      logoutChallenge: atUi.url.searchParams.get("logout_challenge") ?? "",
    });
    const ivansBrowser = new TestBrowser();
    await signedIn(ivansBrowser, "ivan");
    const end = await ivansBrowser.navigate(accepted.redirect_to, ANYWHERE);
    expect(end.url.toString()).toBe(LOGGED_OUT);
    expect(await loginSkip(ivansBrowser)).toBe(true);
    expect(await loginSkip(browser)).toBe(true);
  });
});
