import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { LOGIN_UI, relyingParty, signIn, startsWith } from "./testing/sign-in";

/** When Hydra lets the login UI skip authentication (`skip: true`), and when a client's request forbids it. */
const REDIRECT_URI = "http://rp.localhost:5555/callback";
const SCOPE = "openid offline_access";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: { id: string; secret: string };

/** The login request Hydra hands the login UI for an authorization with these extra parameters in this browser. */
async function loginRequest(browser: TestBrowser, extra: Record<string, string> = {}) {
  const url = new URL("oauth2/auth", hydra.publicUrl);
  url.search = new URLSearchParams({
    client_id: client.id,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state: "skip-state",
    ...extra,
  }).toString();
  const at = await browser.navigate(url.toString(), startsWith(LOGIN_UI));
  const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: at.url.searchParams.get("login_challenge") ?? "" });
  return data;
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createClient(hydra, { redirect_uris: [REDIRECT_URI], grant_types: ["authorization_code", "refresh_token"], scope: SCOPE });
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("a remembered login is not skipped when the client asks for a fresh one", () => {
  it("prompt=login gives skip: false and no subject; without it the same browser is skipped", async () => {
    // Hydra: consent/strategy_default.go requestAuthentication (prompt login/select_account → forwardAuthenticationRequest without session).
    // Attack: re-authentication bypass — a client demanding a fresh login (e.g. before a sensitive action) gets a remembered one.
    const browser = new TestBrowser();
    const config = await relyingParty(hydra, client.id, client.secret);
    await signIn(hydra, browser, config, { subject: "reauth-user", redirectUri: REDIRECT_URI, scope: SCOPE, remember: true });
    expect(await loginRequest(browser)).toMatchObject({ skip: true, subject: "reauth-user" });
    expect(await loginRequest(browser, { prompt: "login" })).toMatchObject({ skip: false, subject: "" });
  });

  it("max_age older than the remembered login gives skip: false; a max_age it satisfies does not", async () => {
    // Hydra: consent/strategy_default.go requestAuthentication (AuthenticatedAt + max_age before now → forwardAuthenticationRequest without session).
    // Attack: re-authentication bypass through max_age.
    const browser = new TestBrowser();
    const config = await relyingParty(hydra, client.id, client.secret);
    await signIn(hydra, browser, config, { subject: "aged-user", redirectUri: REDIRECT_URI, scope: SCOPE, remember: true });
    expect(await loginRequest(browser, { max_age: "3600" })).toMatchObject({ skip: true, subject: "aged-user" });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await loginRequest(browser, { max_age: "1" })).toMatchObject({ skip: false, subject: "" });
    expect(await loginRequest(browser, { max_age: "0" })).toMatchObject({ skip: false, subject: "" });
  });

  it("a fresh login after prompt=login completes and gives a new auth_time", async () => {
    // Hydra: consent/strategy_default.go verifyAuthentication (a non-skipped login confirms a new authentication time).
    // Attack: none — the control: re-authentication still ends in tokens.
    const browser = new TestBrowser();
    const config = await relyingParty(hydra, client.id, client.secret);
    const first = await signIn(hydra, browser, config, { subject: "fresh-user", redirectUri: REDIRECT_URI, scope: SCOPE, remember: true });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      prompt: "login",
      state: "fresh-state",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const atLogin = await browser.navigate(url.toString(), startsWith(LOGIN_UI));
    const loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
    const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge,
      acceptOAuth2LoginRequest: { subject: "fresh-user", remember: true, remember_for: 3600 },
    });
    const atConsent = await browser.navigate(login.redirect_to, startsWith("http://ciam.localhost:3000/consent"));
    const { data: consent } = await hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge: atConsent.url.searchParams.get("consent_challenge") ?? "",
      acceptOAuth2ConsentRequest: { grant_scope: ["openid", "offline_access"] },
    });
    const callback = await browser.navigate(consent.redirect_to, startsWith(REDIRECT_URI));
    const tokens = await oidc.authorizationCodeGrant(config, callback.url, { pkceCodeVerifier: verifier, expectedState: "fresh-state" });
    expect(tokens.claims()?.sub).toBe("fresh-user");
    expect(Number(tokens.claims()?.auth_time)).toBeGreaterThan(Number(first.tokens.claims()?.auth_time));
  });
});
