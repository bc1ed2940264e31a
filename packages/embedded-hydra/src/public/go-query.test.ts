import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import { createClient, type CreatedClient } from "../testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";
import { authorizeUrl, ERROR_UI, REDIRECT_URI, toLoginUi } from "../testing/oauth";
import { CONSENT_UI, LOGIN_UI, LOGOUT_UI, relyingParty, signIn, startsWith } from "../testing/sign-in";
import { codeExchange } from "../testing/tokens";

/**
 * The public handlers' parameters as Hydra v26.2.0 reads them: r.URL.Query()
 * (Go's url.ParseQuery drops a pair with a bad escape or a `;`), fosite's
 * r.Form, and r.ParseForm's error where a handler checks it.
 */

const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

const CLIENT_ORIGIN = "https://app.client.example";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: CreatedClient;
let accessToken: string;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI],
    scope: "openid",
    grant_types: ["authorization_code"],
    allowed_cors_origins: [CLIENT_ORIGIN],
  });
  accessToken = (await codeExchange(hydra, client, "openid", "query-user")).body.access_token ?? "";
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

/** Requests a public path without following redirects; the Location, if any, and the body. */
async function get(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; location: URL | undefined; headers: Headers; text: string }> {
  const response = await fetch(new URL(path, hydra.publicUrl), { redirect: "manual", ...init });
  const location = response.headers.get("location");
  return {
    status: response.status,
    location: location ? new URL(location, hydra.publicUrl) : undefined,
    headers: response.headers,
    text: await response.text(),
  };
}

describe("the fallback error page (oauth2/handler_fallback_endpoints.go fallbackHandler: r.URL.Query().Get)", () => {
  it("shows nothing for a pair with a bad escape or a `;`, and a repeated key's first value", async () => {
    const page = await get("oauth2/fallbacks/error?error=a%zz&error_description=b;c&error_hint=first&error_hint=second");
    expect(page.text).toContain("<li>Error: </li>");
    expect(page.text).toContain("<li>Description: </li>");
    expect(page.text).toContain("<li>Hint: first</li>");
  });
});

describe("logout (consent/strategy_default.go HandleOpenIDConnectLogout, issueLogoutVerifier)", () => {
  const errorOf = (location: URL | undefined) => ({
    at: location ? `${location.origin}${location.pathname}` : undefined,
    error: location?.searchParams.get("error"),
    description: location?.searchParams.get("error_description"),
  });
  const postLogout = (contentType: string, body: string) =>
    get("oauth2/sessions/logout", { method: "POST", headers: { "content-type": contentType }, body });
  const POST_UNPARSED = `${INVALID_REQUEST} Logout failed because the 'POST' request could not be parsed.`;

  it("a query ParseForm refuses fails the logout before any parameter is looked at", async () => {
    const answer = await get("oauth2/sessions/logout?state=a;b");
    expect(answer.status).toBe(302);
    expect(errorOf(answer.location)).toEqual({
      at: ERROR_UI,
      error: "invalid_request",
      description: `${INVALID_REQUEST} Logout failed because the 'GET' request could not be parsed.`,
    });
  });

  it("so does a posted urlencoded body with a bad escape", async () => {
    const answer = await postLogout("application/x-www-form-urlencoded", "state=%zz");
    expect(errorOf(answer.location).description).toBe(POST_UNPARSED);
  });

  it("and so does a Content-Type whose parameter mime.ParseMediaType refuses (request.go parsePostForm)", async () => {
    const answer = await postLogout("application/x-www-form-urlencoded; charset", "state=s");
    expect(errorOf(answer.location).description).toBe(POST_UNPARSED);
  });

  it("a JSON body is no form to ParseForm: its state is not read", async () => {
    const answer = await postLogout("application/json", JSON.stringify({ state: "from-json" }));
    expect(answer.status).toBe(302);
    expect(answer.location?.searchParams.get("error")).toBeNull();
  });

  it("the logout request's request_url is r.URL.String(): the path and the query as sent", async () => {
    const browser = new TestBrowser();
    await signIn(hydra, browser, await relyingParty(hydra, client.id, client.secret), {
      subject: "logout-user",
      redirectUri: REDIRECT_URI,
      scope: "openid",
      remember: true,
    });
    const atUi = await browser.navigate(
      new URL("oauth2/sessions/logout?extra=a%20b&more=c+d", hydra.publicUrl).toString(),
      startsWith(LOGOUT_UI),
    );
    const logoutChallenge = atUi.url.searchParams.get("logout_challenge") ?? "";
    const { data } = await hydra.admin.getOAuth2LogoutRequest({ logoutChallenge });
    expect(data.request_url).toBe("/oauth2/sessions/logout?extra=a%20b&more=c+d");
  });

  it("an empty logout_verifier is none: the logout starts (no session here, so straight to the post-logout URL)", async () => {
    const plain = await get("oauth2/sessions/logout");
    const empty = await get("oauth2/sessions/logout?logout_verifier=");
    expect(empty.status).toBe(302);
    expect(empty.location?.toString()).toBe(plain.location?.toString());
  });
});

describe("login and consent verifiers (HandleOAuth2AuthorizationRequest: strings.TrimSpace(form.Get(…)))", () => {
  it("an empty, blank or unparsable login_verifier is none: the request asks for a login", async () => {
    for (const verifier of ["", "%20%09", "%zz"]) {
      const at = await toLoginUi(new TestBrowser(), `${authorizeUrl(hydra, client.id, {})}&login_verifier=${verifier}`);
      expect(`${at.url.origin}${at.url.pathname}`).toBe(LOGIN_UI);
    }
  });

  it("the same for consent_verifier", async () => {
    const at = await toLoginUi(new TestBrowser(), `${authorizeUrl(hydra, client.id, {})}&consent_verifier=%20`);
    expect(`${at.url.origin}${at.url.pathname}`).toBe(LOGIN_UI);
  });

  it("a POSTed authorization request's body carries them too (fosite r.Form holds the body's pairs)", async () => {
    const browser = new TestBrowser();
    const postForm = async (verifierUrl: string): Promise<URL> => {
      // The verifier URL's parameters, sent as the form of a POST to the bare endpoint.
      const url = new URL(verifierUrl);
      const response = await browser.request(`${url.origin}${url.pathname}`, { method: "POST", body: url.searchParams });
      await response.body?.cancel();
      const location = new URL(response.headers.get("location") ?? "", hydra.publicUrl).toString();
      return (await browser.navigate(location, startsWith(LOGIN_UI, CONSENT_UI, REDIRECT_URI, ERROR_UI))).url;
    };
    const { challenge } = await toLoginUi(browser, authorizeUrl(hydra, client.id, {}));
    const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge: challenge ?? "",
      acceptOAuth2LoginRequest: { subject: "posted-verifier-user" },
    });
    const atConsent = await postForm(login.redirect_to);
    expect(`${atConsent.origin}${atConsent.pathname}`).toBe(CONSENT_UI);
    const { data: consent } = await hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge: atConsent.searchParams.get("consent_challenge") ?? "",
      acceptOAuth2ConsentRequest: { grant_scope: ["openid"] },
    });
    const atClient = await postForm(consent.redirect_to);
    expect(`${atClient.origin}${atClient.pathname}`).toBe(REDIRECT_URI);
    expect(atClient.searchParams.get("code")).toBeTruthy();
  });
});

describe("the authorization request (fosite newAuthorizeRequest: r.Form after ParseMultipartForm)", () => {
  it("a GET's client_id pair with a bad escape is dropped, the next one names the client", async () => {
    const url = authorizeUrl(hydra, client.id, { client_id: undefined });
    const at = await toLoginUi(new TestBrowser(), `${url}&client_id=%zz&client_id=${client.id}`);
    expect(`${at.url.origin}${at.url.pathname}`).toBe(LOGIN_UI);
  });

  it("so is a POSTed urlencoded body's", async () => {
    const query = new URL(authorizeUrl(hydra, client.id, { client_id: undefined })).search.slice(1);
    const browser = new TestBrowser();
    const response = await fetch(new URL("oauth2/auth", hydra.publicUrl), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `client_id=%zz&client_id=${client.id}&${query}`,
    });
    const location = new URL(response.headers.get("location") ?? "", hydra.publicUrl);
    const at = await toLoginUi(browser, location.toString());
    expect(`${at.url.origin}${at.url.pathname}`).toBe(LOGIN_UI);
  });

  it("a refused verifier goes to the client with the first `state` (Form.Get), not the last", async () => {
    const url = authorizeUrl(hydra, client.id, { state: "first-state-123" });
    const answer = await get(`${url}&state=second-state-123&login_verifier=unknown-verifier`);
    expect(answer.location?.toString().startsWith(REDIRECT_URI)).toBe(true);
    expect(answer.location?.searchParams.get("error")).toBe("access_denied");
    expect(answer.location?.searchParams.get("state")).toBe("first-state-123");
  });
});

describe("device verification (HandleOAuth2DeviceAuthorizationRequest: TrimSpace(r.URL.Query().Get(…)))", () => {
  it("an unparsable device_verifier is none: the browser is sent to the user-code UI", async () => {
    const answer = await get("oauth2/device/verify?device_verifier=%zz");
    expect(answer.status).toBe(302);
    expect(answer.location?.searchParams.get("device_challenge")).toBeTruthy();
  });
});

describe("verifiable credentials (createVerifiableCredential: fosite AccessTokenFromRequest, r.Form.Get)", () => {
  const post = (query: string, init: { type: string; body: string }) =>
    get(`credentials${query}`, { method: "POST", headers: { "content-type": init.type }, body: init.body });
  const json = { type: "application/json", body: JSON.stringify({ format: "unsupported" }) };

  it("an access_token pair with a bad escape is dropped, the next one is read", async () => {
    const answer = await post(`?access_token=bad%zz&access_token=${accessToken}`, json);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error_description: `${INVALID_REQUEST} The format 'unsupported' is not supported.` });
  });

  it("x/oauth2cors finds the token's client the same way: its allowed_cors_origins decide", async () => {
    const answer = await get(`credentials?access_token=bad%zz&access_token=${accessToken}`, {
      method: "POST",
      headers: { origin: CLIENT_ORIGIN, "content-type": "application/json" },
      body: "{}",
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("access-control-allow-origin")).toBe(CLIENT_ORIGIN);
  });

  it("a urlencoded body's access_token is read ahead of the URL's, and the JSON decoder then finds the body empty", async () => {
    const answer = await post("?access_token=unknown", { type: "application/x-www-form-urlencoded", body: `access_token=${accessToken}` });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      error: "invalid_request",
      error_description: `${INVALID_REQUEST} Unable to decode request body.`,
    });
  });
});
