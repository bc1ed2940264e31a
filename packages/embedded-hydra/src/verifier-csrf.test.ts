import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfCookieName } from "./csrf-cookie";
import { TestBrowser } from "./testing/browser";
import { stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { ANYWHERE, ERROR_UI, REDIRECT_URI, startCodeFlowSuite, tokenRequest } from "./testing/oauth";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./testing/sign-in";
import { acceptConsentChallenge, acceptLoginChallenge, authorizationOutcome } from "./testing/verifiers";

/**
 * A login or consent verifier only works in the browser that started the
 * authorization: the one holding the CSRF cookie Hydra set when it sent that
 * browser to the login/consent UI. Anywhere else it ends in request_forbidden,
 * and the authorization cannot be finished by anyone.
 */
const FORBIDDEN_NO_COOKIE = "The request is not allowed. No CSRF value available in the session cookie.";
const FORBIDDEN_MISMATCH = "The request is not allowed. The CSRF value from the token does not match the CSRF value from the data store.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let clientId: string;
let clientSecret: string;
/** PKCE verifiers of the authorizations started, by state. */
const pkce = new Map<string, string>();

function authorizeUrl(state: string): string {
  const url = new URL("oauth2/auth", hydra.publicUrl);
  const verifier = randomBytes(32).toString("base64url");
  pkce.set(state, verifier);
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid offline_access",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

/** The resume path of the authorization pending in this browser (oidc-provider's resume cookie is scoped to it). */
function resumeUrl(browser: TestBrowser): string {
  const cookie = browser.cookies.filter((c) => c.path.startsWith("/oauth2/auth/")).at(-1);
  if (!cookie) throw new Error("no pending authorization in this browser");
  return new URL(cookie.path.slice(1), hydra.publicUrl).toString();
}

async function atLoginUi(browser: TestBrowser, state: string): Promise<string> {
  const at = await browser.navigate(authorizeUrl(state), startsWith(LOGIN_UI));
  return at.url.searchParams.get("login_challenge") ?? "";
}

const acceptLogin = (loginChallenge: string, subject: string) =>
  acceptLoginChallenge(hydra, loginChallenge, { subject, remember: true, remember_for: 3600 });
const acceptConsent = (consentChallenge: string) => acceptConsentChallenge(hydra, consentChallenge, ["openid", "offline_access"]);

beforeAll(async () => ({ postgres: pg, hydra, clientId, clientSecret } = await startCodeFlowSuite()));
afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("login verifier bound to the browser that started the authorization", () => {
  it("answers request_forbidden to a login verifier followed in another browser; the starting browser's resume yields no code", async () => {
    // Hydra: consent/strategy_default.go verifyAuthentication → validateCSRFCookie (consent/csrf.go).
    // Attack: login CSRF / session fixation — the attacker's login_challenge is accepted with the victim's session in the victim's browser, then resumed in the attacker's.
    const attacker = new TestBrowser();
    const victim = new TestBrowser();
    const loginChallenge = await atLoginUi(attacker, "attacker-state");
    const redirectTo = await acceptLogin(loginChallenge, "csrf-victim");

    const atVictim = await victim.navigate(redirectTo, ANYWHERE);
    expect(authorizationOutcome(atVictim.url)).toEqual({ at: REDIRECT_URI, error: "request_forbidden", code: false });
    expect(atVictim.url.searchParams.get("error_description")).toBe(FORBIDDEN_NO_COOKIE);
    expect(atVictim.url.searchParams.get("state")).toBe("attacker-state");
    // Hydra does not implement RFC 9207: no iss on authorization responses, none advertised (fosite/authorize_error.go).
    const discovery = (await fetch(new URL(".well-known/openid-configuration", hydra.publicUrl)).then((r) => r.json())) as Record<
      string,
      unknown
    >;
    expect(discovery).not.toHaveProperty("authorization_response_iss_parameter_supported");
    expect(atVictim.url.searchParams.has("iss")).toBe(false);

    // The attacker's own browser may resume oidc-provider's interaction: it must lead nowhere.
    const resumed = await attacker.navigate(resumeUrl(attacker), ANYWHERE);
    expect(authorizationOutcome(resumed.url)).toMatchObject({ at: ERROR_UI, code: false });
    // Nor can the verifier be followed again, not even in the browser that holds the cookie. Stricter than Hydra,
    // whose stateless verifier (flow/flow_encoding.go) would pass validateCSRFCookie there: Olympus drops the flow's
    // CSRF value after a refusal (flows/repository.ts spoil), so every browser now fails the check.
    const replayed = await attacker.navigate(redirectTo, ANYWHERE);
    expect(authorizationOutcome(replayed.url)).toMatchObject({ at: REDIRECT_URI, error: "request_forbidden", code: false });
    expect(replayed.url.searchParams.get("error_description")).toBe(FORBIDDEN_MISMATCH);
    const { data: consents } = await hydra.admin.listOAuth2ConsentSessions({ subject: "csrf-victim" });
    expect(consents).toEqual([]);
  });

  it("gives the attacker only a fresh login challenge when he resumes before the victim's browser follows the verifier", async () => {
    // Hydra: consent/strategy_default.go HandleOAuth2AuthorizationRequest (the accepted login takes effect only at verifyAuthentication).
    // Attack: login CSRF — resuming the interaction right after the login UI accepted the attacker's challenge for the victim.
    const attacker = new TestBrowser();
    const loginChallenge = await atLoginUi(attacker, "early-state");
    const redirectTo = await acceptLogin(loginChallenge, "early-victim");

    const resumed = await attacker.navigate(resumeUrl(attacker), ANYWHERE);
    expect(authorizationOutcome(resumed.url)).toMatchObject({ at: LOGIN_UI, code: false });
    const { data: fresh } = await hydra.admin.getOAuth2LoginRequest({
      loginChallenge: resumed.url.searchParams.get("login_challenge") ?? "",
    });
    expect(fresh).toMatchObject({ skip: false, subject: "" });

    const atVictim = await new TestBrowser().navigate(redirectTo, ANYWHERE);
    expect(authorizationOutcome(atVictim.url).code).toBe(false);
  });

  it("refuses a verifier in a browser whose own CSRF cookie for the client belongs to another authorization", async () => {
    // Hydra: consent/csrf.go validateCSRFCookie (cookie present, value differs from the flow's).
    // Attack: login CSRF against a victim who has an authorization of the same client pending.
    const attacker = new TestBrowser();
    const victim = new TestBrowser();
    await atLoginUi(victim, "victim-own");
    const redirectTo = await acceptLogin(await atLoginUi(attacker, "attacker-state"), "csrf-victim-2");

    const atVictim = await victim.navigate(redirectTo, ANYWHERE);
    expect(authorizationOutcome(atVictim.url)).toEqual({ at: REDIRECT_URI, error: "request_forbidden", code: false });
    expect(atVictim.url.searchParams.get("error_description")).toBe(FORBIDDEN_MISMATCH);
    expect(atVictim.url.searchParams.get("state")).toBe("attacker-state");
  });

  it("still delivers a rejected login to the client from any browser, as Hydra checks the rejection before the cookie", async () => {
    // Hydra: consent/strategy_default.go verifyAuthentication (LoginError is returned before validateCSRFCookie).
    // Attack: none succeeds — a refusal followed in another browser only ends the attacker's authorization.
    const attacker = new TestBrowser();
    const loginChallenge = await atLoginUi(attacker, "rejected-state");
    const { data } = await hydra.admin.rejectOAuth2LoginRequest({
      loginChallenge,
      rejectOAuth2Request: { error: "access_denied", error_description: "No thanks" },
    });
    const elsewhere = await new TestBrowser().navigate(data.redirect_to, ANYWHERE);
    expect(authorizationOutcome(elsewhere.url)).toEqual({ at: REDIRECT_URI, error: "access_denied", code: false });
    expect(elsewhere.url.searchParams.get("state")).toBe("rejected-state");
    const resumed = await attacker.navigate(resumeUrl(attacker), ANYWHERE);
    expect(authorizationOutcome(resumed.url)).toMatchObject({ at: ERROR_UI, code: false });
  });

  it("sets the per-client login CSRF cookie like Hydra: <login_csrf>_<murmur3 of client_id>, HttpOnly, Path=/, SameSite from config", async () => {
    // Hydra: consent/strategy_default.go forwardAuthenticationRequest → setCSRFCookie (consent/csrf.go); client/client.go CookieSuffix.
    // Attack: none — the cookie is what binds a verifier to its browser.
    const browser = new TestBrowser();
    await atLoginUi(browser, "cookie-state");
    const name = csrfCookieName("ciam_hydra_login_csrf", clientId);
    expect(name).toMatch(/^ciam_hydra_login_csrf_\d+$/);
    const header = browser.setCookieHeaders.find((h) => h.startsWith(`${name}=`));
    expect(header).toBeDefined();
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; Path=\/(;|$)/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).toMatch(/; Max-Age=1800/i);
    expect(header).not.toMatch(/domain=/i);
    expect(header).not.toMatch(/; Secure/i);
  });
});

describe("consent verifier bound to the browser that started the authorization", () => {
  it("answers request_forbidden to a consent verifier followed in another browser; the starting browser's resume yields no code", async () => {
    // Hydra: consent/strategy_default.go verifyConsent → validateCSRFCookie (consent/csrf.go).
    // Attack: consent CSRF — the consent_challenge of one browser accepted and followed elsewhere while the starting browser resumes oidc-provider's interaction.
    const starter = new TestBrowser();
    const other = new TestBrowser();
    const loginRedirect = await acceptLogin(await atLoginUi(starter, "consent-state"), "consent-victim");
    const atConsent = await starter.navigate(loginRedirect, startsWith(CONSENT_UI));
    const consentRedirect = await acceptConsent(atConsent.url.searchParams.get("consent_challenge") ?? "");

    const elsewhere = await other.navigate(consentRedirect, ANYWHERE);
    expect(authorizationOutcome(elsewhere.url)).toEqual({ at: REDIRECT_URI, error: "request_forbidden", code: false });
    expect(elsewhere.url.searchParams.get("error_description")).toBe(FORBIDDEN_NO_COOKIE);
    expect(elsewhere.url.searchParams.get("state")).toBe("consent-state");
    expect(elsewhere.url.searchParams.has("iss")).toBe(false);

    const resumed = await starter.navigate(resumeUrl(starter), ANYWHERE);
    expect(authorizationOutcome(resumed.url)).toMatchObject({ at: ERROR_UI, code: false });
    const replayed = await starter.navigate(consentRedirect, ANYWHERE);
    expect(authorizationOutcome(replayed.url)).toMatchObject({ at: REDIRECT_URI, error: "access_denied", code: false });
  });

  it("completes in the starting browser: code, then tokens for the accepted subject", async () => {
    // Hydra: consent/strategy_default.go verifyConsent (matching consent CSRF cookie).
    // Attack: none — the control for the two refusals above.
    const browser = new TestBrowser();
    const loginRedirect = await acceptLogin(await atLoginUi(browser, "happy-state"), "happy-user");
    const atConsent = await browser.navigate(loginRedirect, startsWith(CONSENT_UI));
    const consentRedirect = await acceptConsent(atConsent.url.searchParams.get("consent_challenge") ?? "");
    const callback = await browser.navigate(consentRedirect, ANYWHERE);
    expect(authorizationOutcome(callback.url)).toEqual({ at: REDIRECT_URI, error: null, code: true });
    expect(callback.url.searchParams.get("state")).toBe("happy-state");
    expect(browser.setCookieHeaders.some((h) => h.startsWith(`${csrfCookieName("ciam_hydra_consent_csrf", clientId)}=`))).toBe(true);

    const response = await tokenRequest(
      hydra,
      {
        grant_type: "authorization_code",
        code: callback.url.searchParams.get("code") ?? "",
        redirect_uri: REDIRECT_URI,
        code_verifier: pkce.get("happy-state") ?? "",
      },
      { id: clientId, secret: clientSecret },
    );
    const tokens = response.body;
    expect(response.status).toBe(200);
    const { data: introspected } = await hydra.admin.introspectOAuth2Token({ token: tokens.access_token ?? "" });
    expect(introspected).toMatchObject({ active: true, sub: "happy-user" });
  });
});
