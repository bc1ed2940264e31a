import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { ANYWHERE, authorizeUrl, REDIRECT_URI, startCodeFlowSuite, tokenRequest } from "./testing/oauth";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./testing/sign-in";
import { acceptConsentChallenge, authorizationOutcome } from "./testing/verifiers";

/**
 * Hydra's challenges and verifiers are encrypted flows it never stores
 * (flow/flow_encoding.go): a challenge can be accepted or rejected again
 * until it expires, each time with a new verifier that continues the
 * authorization; a login verifier can be followed again (ConfirmLoginSession
 * upserts); a consent verifier works once per login (CreateConsentSession's
 * unique key on the flow).
 */
const CONSENT_USED = "The resource owner or authorization server denied the request. The consent verifier has already been used.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let clientId: string;
let clientSecret: string;

async function atLoginUi(browser: TestBrowser, state: string): Promise<string> {
  const at = await browser.navigate(authorizeUrl(hydra, clientId, { scope: "openid offline_access", state }), startsWith(LOGIN_UI));
  return at.url.searchParams.get("login_challenge") ?? "";
}

async function acceptLogin(loginChallenge: string, subject: string): Promise<{ status: number; redirectTo: string }> {
  const { status, data } = await hydra.admin.acceptOAuth2LoginRequest({
    loginChallenge,
    acceptOAuth2LoginRequest: { subject, remember: false },
  });
  return { status, redirectTo: data.redirect_to };
}

async function rejectLogin(loginChallenge: string): Promise<string> {
  const { data } = await hydra.admin.rejectOAuth2LoginRequest({
    loginChallenge,
    rejectOAuth2Request: { error: "access_denied", error_description: "Changed my mind" },
  });
  return data.redirect_to;
}

const acceptConsent = (consentChallenge: string) => acceptConsentChallenge(hydra, consentChallenge, ["openid", "offline_access"]);

async function consentChallengeAt(browser: TestBrowser, url: string): Promise<string> {
  const at = await browser.navigate(url, startsWith(CONSENT_UI));
  return at.url.searchParams.get("consent_challenge") ?? "";
}

async function consentRequest(consentChallenge: string) {
  const { data } = await hydra.admin.getOAuth2ConsentRequest({ consentChallenge });
  return data;
}

/** Moves a flow's expiry to `seconds` from now (by default into the past), as if ttl.login_consent_request had passed. */
async function expire(challenge: string, seconds = -1): Promise<void> {
  const database = new URL(hydra.dsn).pathname.slice(1);
  await pg.query(
    "UPDATE hydra_flows SET expires_at = now() + make_interval(secs => $2) WHERE challenge = $1",
    [challenge, seconds],
    database,
  );
}

beforeAll(async () => ({ postgres: pg, hydra, clientId, clientSecret } = await startCodeFlowSuite()));
afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("a login challenge handled again after its verifier was followed (consent/handler.go acceptOAuth2LoginRequest)", () => {
  it("accepting again hands out a new login_verifier that continues to a new consent challenge", async () => {
    // Hydra: the challenge decodes to the flow as forwardAuthenticationRequest encoded it (flow/flow.go HandleLoginRequest
    // allows LoginUnused), so the handler answers with a fresh verifier, never the request_url.
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "reaccept-state");
    const first = await acceptLogin(loginChallenge, "reaccept-user");
    await consentChallengeAt(browser, first.redirectTo);

    const second = await acceptLogin(loginChallenge, "reaccept-user");
    expect(second.status).toBe(200);
    expect(new URL(second.redirectTo).searchParams.get("login_verifier")).toBeTruthy();
    expect(second.redirectTo).not.toBe(first.redirectTo);
    const consentChallenge = await consentChallengeAt(browser, second.redirectTo);
    const request = await consentRequest(consentChallenge);
    expect(request).toMatchObject({ subject: "reaccept-user", login_challenge: loginChallenge });
    const callback = await browser.navigate(await acceptConsent(consentChallenge), ANYWHERE);
    expect(authorizationOutcome(callback.url)).toEqual({ at: REDIRECT_URI, error: null, code: true });
    expect(callback.url.searchParams.get("state")).toBe("reaccept-state");
  });

  it("accepting for another subject continues as that subject (f.Subject of a login that was not skipped is empty)", async () => {
    // Hydra: consent/handler.go acceptOAuth2LoginRequest compares the subject only with a skipped login's (f.Subject).
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "subject-state");
    await consentChallengeAt(browser, (await acceptLogin(loginChallenge, "first-subject")).redirectTo);
    const second = await acceptLogin(loginChallenge, "second-subject");
    const consentChallenge = await consentChallengeAt(browser, second.redirectTo);
    expect(await consentRequest(consentChallenge)).toMatchObject({ subject: "second-subject" });
  });

  it("rejecting after the accepted verifier was followed sends the rejection to the client", async () => {
    // Hydra: flow/flow.go HandleLoginError allows LoginUnused; verifyAuthentication returns the LoginError to the client.
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "late-reject-state");
    await consentChallengeAt(browser, (await acceptLogin(loginChallenge, "late-reject-user")).redirectTo);
    const rejected = await browser.navigate(await rejectLogin(loginChallenge), ANYWHERE);
    expect(authorizationOutcome(rejected.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", code: false });
    expect(rejected.url.searchParams.get("error_description")).toBe("Changed my mind");
    expect(rejected.url.searchParams.get("state")).toBe("late-reject-state");
  });

  it("accepting after a followed rejection continues the authorization", async () => {
    // Hydra: the accepted verifier is a new encoding of the flow; the rejected one does not stop it (stateless).
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "after-reject-state");
    const rejected = await browser.navigate(await rejectLogin(loginChallenge), ANYWHERE);
    expect(authorizationOutcome(rejected.url).error).toBe("access_denied");
    const accepted = await acceptLogin(loginChallenge, "after-reject-user");
    const consentChallenge = await consentChallengeAt(browser, accepted.redirectTo);
    expect(await consentRequest(consentChallenge)).toMatchObject({ subject: "after-reject-user" });
  });

  it("keeps every verifier handed out valid: an earlier accept still works after a later one", async () => {
    // Hydra: each verifier is the encrypted flow after its decision; a later decision does not revoke it.
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "two-verifiers");
    const first = await acceptLogin(loginChallenge, "two-verifiers-user");
    await acceptLogin(loginChallenge, "two-verifiers-user");
    const consentChallenge = await consentChallengeAt(browser, first.redirectTo);
    expect(await consentRequest(consentChallenge)).toMatchObject({ subject: "two-verifiers-user" });
  });
});

describe("following a verifier again (flow/flow_encoding.go, consent/strategy_default.go)", () => {
  it("a login verifier followed again in the same browser opens a new consent challenge (ConfirmLoginSession upserts)", async () => {
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "login-again");
    const { redirectTo } = await acceptLogin(loginChallenge, "login-again-user");
    const firstConsent = await consentChallengeAt(browser, redirectTo);
    const secondConsent = await consentChallengeAt(browser, redirectTo);
    expect(secondConsent).not.toBe(firstConsent);
    expect(await consentRequest(secondConsent)).toMatchObject({ subject: "login-again-user", login_challenge: loginChallenge });
    const callback = await browser.navigate(await acceptConsent(secondConsent), ANYWHERE);
    expect(authorizationOutcome(callback.url)).toEqual({ at: REDIRECT_URI, error: null, code: true });
  });

  it("a consent verifier works once: CreateConsentSession's unique key answers access_denied 'already been used'", async () => {
    // Hydra: consent/strategy_default.go verifyConsent (sqlcon.ErrUniqueViolation).
    const browser = new TestBrowser();
    const { redirectTo } = await acceptLogin(await atLoginUi(browser, "consent-once"), "consent-once-user");
    const consentChallenge = await consentChallengeAt(browser, redirectTo);
    const consentRedirect = await acceptConsent(consentChallenge);
    expect(authorizationOutcome((await browser.navigate(consentRedirect, ANYWHERE)).url).code).toBe(true);

    const again = await browser.navigate(consentRedirect, ANYWHERE);
    expect(authorizationOutcome(again.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", code: false });
    expect(again.url.searchParams.get("error_description")).toBe(CONSENT_USED);
    expect(again.url.searchParams.get("state")).toBe("consent-once");
    // Accepting the consent challenge again hands out a verifier, which meets the same key.
    const reaccepted = await browser.navigate(await acceptConsent(consentChallenge), ANYWHERE);
    expect(reaccepted.url.searchParams.get("error_description")).toBe(CONSENT_USED);
  });

  it("two consents of one login: the one followed last meets the consent session of the first (keyed by the login challenge)", async () => {
    const browser = new TestBrowser();
    const { redirectTo } = await acceptLogin(await atLoginUi(browser, "same-login"), "same-login-user");
    const firstConsent = await consentChallengeAt(browser, redirectTo);
    const secondConsent = await consentChallengeAt(browser, redirectTo);
    // The second consent request set this client's consent CSRF cookie anew (forwardConsentRequest), so it is followed first.
    expect(authorizationOutcome((await browser.navigate(await acceptConsent(secondConsent), ANYWHERE)).url).code).toBe(true);
    const first = await browser.navigate(await acceptConsent(firstConsent), ANYWHERE);
    expect(authorizationOutcome(first.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", code: false });
    expect(first.url.searchParams.get("error_description")).toBe(CONSENT_USED);
  });

  it("an accepted consent verifier followed after a rejection of the same request was followed issues the code (verifyConsent)", async () => {
    // Hydra: the accepted verifier still decodes; the followed rejection stopped at its ConsentError, before
    // CreateConsentSession, so this consent is the login's first and the authorization finishes with it.
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "consent-after-rejection");
    const consentChallenge = await consentChallengeAt(browser, (await acceptLogin(loginChallenge, "after-rejection-user")).redirectTo);
    const accepted = await acceptConsent(consentChallenge);
    const { data: rejected } = await hydra.admin.rejectOAuth2ConsentRequest({
      consentChallenge,
      rejectOAuth2Request: { error: "access_denied", error_description: "Not now" },
    });
    expect(authorizationOutcome((await browser.navigate(rejected.redirect_to, ANYWHERE)).url).error).toBe("access_denied");
    const issued = await browser.navigate(accepted, ANYWHERE);
    expect(authorizationOutcome(issued.url)).toEqual({ at: REDIRECT_URI, error: null, code: true });
    expect(issued.url.searchParams.get("state")).toBe("consent-after-rejection");
    const tokens = await tokenRequest(
      hydra,
      { grant_type: "authorization_code", code: issued.url.searchParams.get("code") ?? "", redirect_uri: REDIRECT_URI },
      { id: clientId, secret: clientSecret },
    );
    const body = tokens.body;
    expect(tokens.status).toBe(200);
    const claims = JSON.parse(Buffer.from((body.id_token ?? "").split(".")[1] ?? "", "base64url").toString()) as { sub?: string };
    expect(claims.sub).toBe("after-rejection-user");
    // The consent took effect: following it again meets CreateConsentSession's key.
    const again = await browser.navigate(accepted, ANYWHERE);
    expect(authorizationOutcome(again.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", code: false });
    expect(again.url.searchParams.get("error_description")).toBe(CONSENT_USED);
  });

  it("a login verifier past ttl.login_consent_request is request_unauthorized 'The login request has expired'", async () => {
    // Hydra: flow/flow_encoding.go decodeFlow (RequestedAt + ConsentRequestMaxAge), not decodeVerifier's access_denied.
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "expired-login");
    const { redirectTo } = await acceptLogin(loginChallenge, "expired-user");
    await consentChallengeAt(browser, redirectTo);
    await expire(loginChallenge);
    const late = await browser.navigate(redirectTo, ANYWHERE);
    expect(authorizationOutcome(late.url)).toEqual({ at: REDIRECT_URI, error: "request_unauthorized", code: false });
    expect(late.url.searchParams.get("error_description")).toBe(
      "The request could not be authorized. The login request has expired, please try again.",
    );
  });

  it("a consent request expires with its login request (the flow keeps the login's RequestedAt)", async () => {
    // Hydra: flow/flow_encoding.go decodeFlow checks RequestedAt + ttl.login_consent_request; forwardConsentRequest
    // (flow/state_transition.go ToStateConsentUnused) keeps the RequestedAt forwardAuthenticationRequest set.
    const browser = new TestBrowser();
    const loginChallenge = await atLoginUi(browser, "consent-expiry");
    const { redirectTo } = await acceptLogin(loginChallenge, "consent-expiry-user");
    await expire(loginChallenge, 2);
    const consentChallenge = await consentChallengeAt(browser, redirectTo);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const url = new URL("admin/oauth2/auth/requests/consent/accept", hydra.adminUrl);
    url.searchParams.set("consent_challenge", consentChallenge);
    const late = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({
      error: "request_unauthorized",
      error_description: "The request could not be authorized. The consent request has expired, please try again.",
    });
  });

  it("a login verifier followed in another browser is refused by its CSRF cookie check, also after the first use", async () => {
    // Hydra: verifyAuthentication → validateCSRFCookie (consent/csrf.go): no login_csrf_<suffix> cookie.
    const browser = new TestBrowser();
    const { redirectTo } = await acceptLogin(await atLoginUi(browser, "other-browser"), "other-browser-user");
    await consentChallengeAt(browser, redirectTo);
    const elsewhere = await new TestBrowser().navigate(redirectTo, ANYWHERE);
    expect(authorizationOutcome(elsewhere.url)).toEqual({ at: REDIRECT_URI, error: "request_forbidden", code: false });
    expect(elsewhere.url.searchParams.get("error_description")).toBe(
      "The request is not allowed. No CSRF value available in the session cookie.",
    );
  });
});
