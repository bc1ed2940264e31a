import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
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
import { CONSENT_UI } from "./testing/sign-in";
import { codeExchange, redeemCode } from "./testing/tokens";
import { createClient } from "./testing/clients";

/**
 * The authorization endpoint and the ID token as Hydra's consent strategy
 * (consent/strategy_default.go) and fosite shape them.
 */
const SCOPE = "openid offline_access";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: ClientCredentials;

const atHash = (token: string) => createHash("sha256").update(token).digest().subarray(0, 16).toString("base64url");

async function remembered(browser: TestBrowser, subject: string, options: { rememberConsent?: boolean } = {}) {
  const verifier = newVerifier();
  const login = await toLoginUi(
    browser,
    authorizeUrl(hydra, client.id, { scope: SCOPE, code_challenge: s256(verifier), code_challenge_method: "S256" }),
  );
  const { data: loginRequest } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: login.challenge ?? "" });
  const consent = await acceptLogin(hydra, browser, login.challenge ?? "", { subject, remember: true, remember_for: 3600 });
  const { data: consentRequest } = await hydra.admin.getOAuth2ConsentRequest({
    consentChallenge: consent.searchParams.get("consent_challenge") ?? "",
  });
  const callback = await acceptConsent(hydra, browser, consent, { remember: options.rememberConsent ?? true, remember_for: 3600 });
  const tokens = await redeemCode(hydra, client, { code: responseParams(callback).get("code") ?? "", verifier });
  return { loginRequest, consentRequest, tokens };
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI],
    grant_types: ["authorization_code", "refresh_token"],
    scope: `${SCOPE} email`,
    audience: ["https://api.example.com/v1"],
  });
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("ID token claims", () => {
  it("carry the login session's id as sid (the login request's session_id) and at_hash of the access token", async () => {
    // Hydra: oauth2/handler.go updateSessionWithRequest (claims.Add("sid", flow.SessionID));
    // fosite/handler/openid/flow_explicit_token.go PopulateTokenEndpointResponse (AccessTokenHash).
    const { loginRequest, consentRequest, tokens } = await remembered(new TestBrowser(), "claims-user");
    const claims = decodeJwtPayload(tokens.body.id_token ?? "");
    expect(claims.sid).toBe(loginRequest.session_id);
    expect(consentRequest.login_session_id).toBe(loginRequest.session_id);
    expect(claims.at_hash).toBe(atHash(tokens.body.access_token ?? ""));
  });

  it("carry at_hash of the new access token after a refresh", async () => {
    // Hydra: fosite/handler/openid/flow_refresh_token.go PopulateTokenEndpointResponse (AccessTokenHash).
    const { tokens } = await remembered(new TestBrowser(), "refresh-claims-user");
    const refreshed = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: tokens.body.refresh_token }, client);
    expect(refreshed.status).toBe(200);
    const claims = decodeJwtPayload(refreshed.body.id_token ?? "");
    expect(claims.at_hash).toBe(atHash(refreshed.body.access_token ?? ""));
    expect(claims.sid).toBe(decodeJwtPayload(tokens.body.id_token ?? "").sid);
  });

  it("carry `aud` as a list naming the client and a new `jti` in every ID token", async () => {
    // Hydra: fosite/token/jwt/claims_id_token.go IDTokenClaims.ToMap (`aud` the []string
    // updateSessionWithRequest and GenerateIDToken set; `jti` a new uuid.New() when the
    // session has none, as Hydra's never has).
    const { tokens } = await remembered(new TestBrowser(), "aud-jti-user");
    const refreshed = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: tokens.body.refresh_token }, client);
    const first = decodeJwtPayload(tokens.body.id_token ?? "");
    const second = decodeJwtPayload(refreshed.body.id_token ?? "");
    for (const claims of [first, second]) {
      expect(claims.aud).toEqual([client.id]);
      expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(second.jti).not.toBe(first.jti);
  });

  it("carry every session.id_token claim whatever the scope, and the login request's time as rat", async () => {
    // Hydra: oauth2/handler.go updateSessionWithRequest (Extra: flow.SessionIDToken, RequestedAt:
    // flow.RequestedAt, the login request's second); fosite/token/jwt/claims_id_token.go
    // IDTokenClaims.ToMap copies Extra and then sets or drops the claims it owns.
    const browser = new TestBrowser();
    const verifier = newVerifier();
    const before = Math.floor(Date.now() / 1000);
    const login = await toLoginUi(
      browser,
      authorizeUrl(hydra, client.id, { scope: SCOPE, code_challenge: s256(verifier), code_challenge_method: "S256" }),
    );
    const after = Math.floor(Date.now() / 1000);
    const consent = await acceptLogin(hydra, browser, login.challenge ?? "", { subject: "extras-user" });
    const idToken = { email: "x@example.com", custom: { tier: 1 }, nbf: 7, azp: "party", sub: "evil", jti: "fixed", rat: 1 };
    const callback = await acceptConsent(hydra, browser, consent, { session: { id_token: idToken } });
    const tokens = await redeemCode(hydra, client, { code: responseParams(callback).get("code") ?? "", verifier });
    const refreshed = await tokenRequest(hydra, { grant_type: "refresh_token", refresh_token: tokens.body.refresh_token }, client);
    for (const token of [tokens.body.id_token, refreshed.body.id_token]) {
      const claims = decodeJwtPayload(token ?? "");
      // `email` without the email scope, `custom` listed nowhere: both are the session's.
      expect(claims).toMatchObject({ email: "x@example.com", custom: { tier: 1 }, nbf: 7, azp: "party", sub: "extras-user" });
      expect(claims.jti).not.toBe("fixed");
      expect(claims.rat).toBeGreaterThanOrEqual(before);
      expect(claims.rat).toBeLessThanOrEqual(after);
    }
  });
});

describe("nonce", () => {
  it("shorter than eight characters makes the code exchange fail with insufficient_entropy", async () => {
    // Hydra: fosite/handler/openid/strategy_jwt.go GenerateIDToken (MinParameterEntropy for nonce).
    const answer = await codeExchange(hydra, client, SCOPE, "nonce-user", { authorize: { nonce: "n-short" } });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: "insufficient_entropy",
        error_description:
          "The request used a security parameter (e.g., anti-replay, anti-csrf) with insufficient entropy. Parameter 'nonce' is set but does not satisfy the minimum entropy of 8 characters.",
      },
    });
  });
});

describe("prompt=none", () => {
  it("with a remembered login and consent, goes through the login and consent UIs with skip: true and ends in a code", async () => {
    // Hydra: consent/strategy_default.go requestAuthentication → forwardAuthenticationRequest (skip, no login_required);
    // requestConsent → forwardConsentRequest (canSkipConsent, no consent_required).
    const browser = new TestBrowser();
    await remembered(browser, "none-user");
    const login = await toLoginUi(browser, authorizeUrl(hydra, client.id, { scope: SCOPE, prompt: "none", state: "none-state-1" }));
    expect(login.challenge).toBeTruthy();
    const { data: loginRequest } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: login.challenge ?? "" });
    expect(loginRequest).toMatchObject({ skip: true, subject: "none-user" });
    expect(new URL(loginRequest.request_url).searchParams.get("prompt")).toBe("none");
    const consent = await acceptLogin(hydra, browser, login.challenge ?? "", { subject: "none-user" });
    expect(consent.toString().startsWith(CONSENT_UI)).toBe(true);
    const { data: consentRequest } = await hydra.admin.getOAuth2ConsentRequest({
      consentChallenge: consent.searchParams.get("consent_challenge") ?? "",
    });
    expect(consentRequest.skip).toBe(true);
    const callback = await acceptConsent(hydra, browser, consent);
    expect(responseParams(callback).get("code")).toBeTruthy();
    expect(responseParams(callback).get("state")).toBe("none-state-1");
  });

  it("without a login session is login_required at the client, before any UI", async () => {
    // Hydra: consent/strategy_default.go forwardAuthenticationRequest ("Prompt 'none' was requested, but no existing login session was found.").
    const end = await toLoginUi(new TestBrowser(), authorizeUrl(hydra, client.id, { scope: SCOPE, prompt: "none", state: "none-state-2" }));
    expect(end.challenge).toBeUndefined();
    const params = responseParams(end.url);
    expect(params.get("error")).toBe("login_required");
    expect(params.get("error_description")).toBe(
      "The Authorization Server requires End-User authentication. Prompt 'none' was requested, but no existing login session was found.",
    );
    expect(params.get("state")).toBe("none-state-2");
  });

  it("with a remembered login but no remembered consent is consent_required after the skipped login", async () => {
    // Hydra: consent/strategy_default.go forwardConsentRequest ("Prompt 'none' was requested, but no previous consent was found.").
    const browser = new TestBrowser();
    await remembered(browser, "no-consent-user", { rememberConsent: false });
    const login = await toLoginUi(browser, authorizeUrl(hydra, client.id, { scope: SCOPE, prompt: "none", state: "none-state-3" }));
    const end = await acceptLogin(hydra, browser, login.challenge ?? "", { subject: "no-consent-user" });
    const params = responseParams(end);
    expect(`${end.origin}${end.pathname}`).toBe(REDIRECT_URI);
    expect(params.get("error")).toBe("consent_required");
    expect(params.get("error_description")).toBe(
      "The Authorization Server requires End-User consent. Prompt 'none' was requested, but no previous consent was found.",
    );
    expect(params.get("state")).toBe("none-state-3");
  });

  it("with a remembered login older than max_age is login_required", async () => {
    // Hydra: consent/strategy_default.go requestAuthentication ("… authentication time reached 'max_age'.").
    const browser = new TestBrowser();
    await remembered(browser, "aged-none-user");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const end = await toLoginUi(
      browser,
      authorizeUrl(hydra, client.id, { scope: SCOPE, prompt: "none", max_age: "1", state: "none-state-4" }),
    );
    expect(end.challenge).toBeUndefined();
    expect(responseParams(end.url).get("error")).toBe("login_required");
    expect(responseParams(end.url).get("error_description")).toContain(
      "Request failed because prompt is set to 'none' and authentication time reached 'max_age'.",
    );
  });
});

describe("re-authentication", () => {
  it("prompt=select_account is treated like prompt=login: skip: false", async () => {
    // Hydra: consent/strategy_default.go requestAuthentication (select_account → forwardAuthenticationRequest without session).
    const browser = new TestBrowser();
    await remembered(browser, "select-user");
    const login = await toLoginUi(browser, authorizeUrl(hydra, client.id, { scope: SCOPE, prompt: "select_account" }));
    const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: login.challenge ?? "" });
    expect(data).toMatchObject({ skip: false, subject: "" });
    expect(new URL(data.request_url).searchParams.get("prompt")).toBe("select_account");
  });

  it("an id_token_hint naming another subject than the remembered login is login_required", async () => {
    // Hydra: consent/strategy_default.go requestAuthentication ("… subject claim from id_token_hint does not match subject from authentication session.").
    const other = await remembered(new TestBrowser(), "hint-other");
    const browser = new TestBrowser();
    await remembered(browser, "hint-self");
    const end = await toLoginUi(
      browser,
      authorizeUrl(hydra, client.id, { scope: SCOPE, id_token_hint: other.tokens.body.id_token, state: "hint-state" }),
    );
    expect(end.challenge).toBeUndefined();
    const params = responseParams(end.url);
    expect(params.get("error")).toBe("login_required");
    expect(params.get("error_description")).toBe(
      "The Authorization Server requires End-User authentication. Request failed because subject claim from id_token_hint does not match subject from authentication session.",
    );
    // A hint naming the remembered subject is a skipped login as usual.
    const own = await remembered(browser, "hint-self");
    const again = await toLoginUi(browser, authorizeUrl(hydra, client.id, { scope: SCOPE, id_token_hint: own.tokens.body.id_token }));
    const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: again.challenge ?? "" });
    expect(data).toMatchObject({ skip: true, subject: "hint-self" });
    expect(data.oidc_context?.id_token_hint_claims).toMatchObject({ sub: "hint-self" });
  });

  it("a skipped login keeps the remembered login's auth_time", async () => {
    // Hydra: consent/handler.go acceptOAuth2LoginRequest (a skipped login keeps LoginAuthenticatedAt) and
    // consent/strategy_default.go forwardAuthenticationRequest (authenticatedAt from the remembered session).
    const browser = new TestBrowser();
    const first = await remembered(browser, "auth-time-user");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await remembered(browser, "auth-time-user");
    expect(second.loginRequest.skip).toBe(true);
    expect(decodeJwtPayload(second.tokens.body.id_token ?? "").auth_time).toBe(
      decodeJwtPayload(first.tokens.body.id_token ?? "").auth_time,
    );
  });
});

describe("what the authorization endpoint refuses before the login UI", () => {
  it("a scope the client may not request: invalid_scope at the client", async () => {
    // Hydra: fosite/authorize_request_handler.go validateAuthorizeScope.
    const end = await toLoginUi(new TestBrowser(), authorizeUrl(hydra, client.id, { scope: "openid admin", state: "scope-state" }));
    expect(end.challenge).toBeUndefined();
    const params = responseParams(end.url);
    expect(`${end.url.origin}${end.url.pathname}`).toBe(REDIRECT_URI);
    expect(params.get("error")).toBe("invalid_scope");
    expect(params.get("error_description")).toBe(
      "The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client is not allowed to request scope 'admin'.",
    );
    expect(params.get("state")).toBe("scope-state");
  });

  it("an audience the client has not whitelisted: invalid_request at the client; a whitelisted one (or a sub-path) reaches the login request", async () => {
    // Hydra: fosite/audience_strategy.go DefaultAudienceMatchingStrategy (validateAudience in NewAuthorizeRequest).
    const end = await toLoginUi(
      new TestBrowser(),
      authorizeUrl(hydra, client.id, { scope: "openid", audience: "https://evil.example.com", state: "aud-state" }),
    );
    expect(end.challenge).toBeUndefined();
    expect(responseParams(end.url).get("error")).toBe("invalid_request");
    expect(responseParams(end.url).get("error_description")).toContain(
      "Requested audience 'https://evil.example.com' has not been whitelisted by the OAuth 2.0 Client.",
    );
    const ok = await toLoginUi(
      new TestBrowser(),
      authorizeUrl(hydra, client.id, { scope: "openid", audience: "https://api.example.com/v1/orders" }),
    );
    const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: ok.challenge ?? "" });
    expect(data.requested_access_token_audience).toEqual(["https://api.example.com/v1/orders"]);
  });

  it("a state shorter than eight characters (or none): invalid_state at the client", async () => {
    // Hydra: fosite/authorize_request_handler.go newAuthorizeRequest (MinParameterEntropy, ErrInvalidState).
    for (const state of ["short", undefined]) {
      const end = await toLoginUi(new TestBrowser(), authorizeUrl(hydra, client.id, { state }));
      expect(end.challenge).toBeUndefined();
      const params = responseParams(end.url);
      expect(params.get("error")).toBe("invalid_state");
      expect(params.get("error_description")).toBe(
        "The state is missing or does not have enough characters and is therefore considered too weak. Request parameter 'state' must be at least be 8 characters long to ensure sufficient entropy.",
      );
      if (state) expect(params.get("state")).toBe(state);
    }
  });

  it("the login and consent UI are reached by Hydra's 302, the code by fosite's 303", async () => {
    // consent/strategy_default.go forwardAuthenticationRequest / forwardConsentRequest: http.Redirect(…, http.StatusFound);
    // fosite/authorize_write.go WriteAuthorizeResponse: http.StatusSeeOther.
    const browser = new TestBrowser();
    const toLogin = await browser.request(authorizeUrl(hydra, client.id, { state: "state-12345" }));
    expect(toLogin.status).toBe(302);
    const loginChallenge = new URL(toLogin.headers.get("location") ?? "").searchParams.get("login_challenge") ?? "";
    const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge,
      acceptOAuth2LoginRequest: { subject: "status-user" },
    });
    const statuses: number[] = [];
    let next = login.redirect_to;
    for (let hop = 0; hop < 5 && !next.startsWith(CONSENT_UI); hop++) {
      const answer = await browser.request(next);
      statuses.push(answer.status);
      next = new URL(answer.headers.get("location") ?? "", next).toString();
    }
    expect(next.startsWith(CONSENT_UI)).toBe(true);
    expect(statuses.every((status) => status === 302)).toBe(true);
    const consentChallenge = new URL(next).searchParams.get("consent_challenge") ?? "";
    const { data: consent } = await hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge,
      acceptOAuth2ConsentRequest: { grant_scope: ["openid"] },
    });
    let toClient = await browser.request(consent.redirect_to);
    for (let hop = 0; hop < 5 && !(toClient.headers.get("location") ?? "").startsWith(REDIRECT_URI); hop++) {
      toClient = await browser.request(new URL(toClient.headers.get("location") ?? "", consent.redirect_to).toString());
    }
    expect(toClient.status).toBe(303);
  });

  it("with response_mode=form_post: fosite's own form_post page (200, its template, fosite's words, no iss)", async () => {
    // fosite/authorize_error.go WriteAuthorizeError (form_post) → authorize_helper.go WriteAuthorizeFormPostResponse
    // with DefaultFormPostTemplate (fositex/config.go GetFormPostHTMLTemplate); the parameters in sorted key order.
    const answer = await new TestBrowser().request(
      authorizeUrl(hydra, client.id, { scope: "openid admin", state: "form<&>'state", response_mode: "form_post" }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/html;charset=UTF-8");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("pragma")).toBe("no-cache");
    const input = (name: string, value: string) =>
      `\n            \n\t\t      <input type="hidden" name="${name}" value="${value}"/>\n            \n         `;
    expect(await answer.text()).toBe(
      `<html>\n   <head>\n      <title>Submit This Form</title>\n   </head>\n   <body onload="javascript:document.forms[0].submit()">\n      <form method="post" action="${REDIRECT_URI}">\n         ` +
        input("error", "invalid_scope") +
        input(
          "error_description",
          "The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client is not allowed to request scope &#39;admin&#39;.",
        ) +
        input("state", "form&lt;&amp;&gt;&#39;state") +
        `\n      </form>\n   </body>\n</html>`,
    );
  });

  it("an unknown client goes to the error UI", async () => {
    // Hydra: oauth2/handler.go writeAuthorizeError → forwardError (no valid redirect URI).
    const end = await toLoginUi(new TestBrowser(), authorizeUrl(hydra, "no-such-client", {}));
    expect(`${end.url.origin}${end.url.pathname}`).toBe(ERROR_UI);
    expect(end.url.searchParams.get("error")).toBe("invalid_client");
  });

  it("an unknown client or a foreign redirect_uri: the error UI with the error alone, no cookie, by GET and POST", async () => {
    // fosite/authorize_request_handler.go newAuthorizeRequest: the client lookup fails (ErrInvalidClient with its
    // hint) before anything is stored or any cookie set; oauth2/handler.go writeAuthorizeError → forwardError
    // redirects (302) to urls.error with rfcErr.ToValues() — error and error_description, no state.
    const unknownClient =
      "error=invalid_client&error_description=Client+authentication+failed+%28e.g.%2C+unknown+client%2C+no+client+authentication+included%2C+or+unsupported+authentication+method%29.+The+requested+OAuth+2.0+Client+does+not+exist.";
    const foreignRedirect =
      "error=invalid_request&error_description=The+request+is+missing+a+required+parameter%2C+includes+an+invalid+parameter+value%2C+includes+a+parameter+more+than+once%2C+or+is+otherwise+malformed.+The+%27redirect_uri%27+parameter+does+not+match+any+of+the+OAuth+2.0+Client%27s+pre-registered+redirect+urls.";
    const cases = [
      { url: authorizeUrl(hydra, "no-such-client", { state: "state-12345" }), query: unknownClient },
      {
        url: authorizeUrl(hydra, client.id, { state: "state-12345", redirect_uri: "http://rp.localhost:5555/other" }),
        query: foreignRedirect,
      },
    ];
    for (const { url, query } of cases) {
      const browser = new TestBrowser();
      const viaGet = await browser.request(url);
      const { search } = new URL(url);
      const viaPost = await browser.request(url.split("?")[0] ?? "", { method: "POST", body: new URLSearchParams(search) });
      for (const answer of [viaGet, viaPost]) {
        expect(answer.status).toBe(302);
        expect(answer.headers.get("location")).toBe(`${ERROR_UI}?${query}`);
        expect(answer.headers.getSetCookie()).toEqual([]);
      }
    }
  });
});
