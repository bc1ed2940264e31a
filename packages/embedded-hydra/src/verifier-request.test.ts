import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { authorizeUrl, ERROR_UI, REDIRECT_URI, responseParams, toLoginUi } from "./testing/oauth";
import { CONSENT_UI, startsWith } from "./testing/sign-in";

/**
 * An edited login or consent verifier URL, as Hydra v26.2.0 answers it:
 * oauth2/handler.go oAuth2Authorize runs fosite's NewAuthorizeRequest
 * (fosite/authorize_request_handler.go newAuthorizeRequest) on the URL
 * before consent/strategy_default.go HandleOAuth2AuthorizationRequest looks
 * at the verifier, and writeAuthorizeError sends a refusal to the error UI
 * while the redirect URI is not validated, to the client after. The
 * verifier is not spent: the unedited URL still works.
 */
let pg: TestPostgres;
let hydra: HydraUnderTest;
let clientId: string;
const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

const ends = startsWith(CONSENT_UI, REDIRECT_URI, ERROR_UI);

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  clientId = (
    await createClient(hydra, {
      redirect_uris: [REDIRECT_URI, "http://127.0.0.1/callback"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: "openid email",
      audience: ["https://api.example.com"],
    })
  ).id;
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

/** A login accepted in a fresh browser: the browser and the verifier URL the accept answered. */
async function acceptedLogin(params: Record<string, string> = {}): Promise<{ browser: TestBrowser; verifierUrl: URL }> {
  const browser = new TestBrowser();
  const login = await toLoginUi(browser, authorizeUrl(hydra, clientId, { state: "verifier-state-1234", ...params }));
  const { data } = await hydra.admin.acceptOAuth2LoginRequest({
    loginChallenge: login.challenge ?? "",
    acceptOAuth2LoginRequest: { subject: "edited-verifier-user" },
  });
  return { browser, verifierUrl: new URL(data.redirect_to) };
}

function edited(url: URL, changes: Record<string, string>): string {
  const copy = new URL(url);
  for (const [key, value] of Object.entries(changes)) copy.searchParams.set(key, value);
  return copy.toString();
}

describe("edited verifier URLs (newAuthorizeRequest before HandleOAuth2AuthorizationRequest)", () => {
  it("validateAuthorizeRedirectURI: an unregistered redirect_uri goes to the error UI, and the verifier stays unspent", async () => {
    const { browser, verifierUrl } = await acceptedLogin();
    const refused = (await browser.navigate(edited(verifierUrl, { redirect_uri: "http://evil.example/callback" }), ends)).url;
    expect(refused.toString().startsWith(ERROR_UI)).toBe(true);
    expect(refused.searchParams.get("error")).toBe("invalid_request");
    expect(refused.searchParams.get("error_description")).toBe(
      `${INVALID_REQUEST} The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's pre-registered redirect urls.`,
    );
    const after = (await browser.navigate(verifierUrl.toString(), ends)).url;
    expect(after.toString().startsWith(CONSENT_UI)).toBe(true);
  });

  it("ParseResponseMode: an unknown response_mode goes to the error UI", async () => {
    const { browser, verifierUrl } = await acceptedLogin();
    const refused = (await browser.navigate(edited(verifierUrl, { response_mode: "jwt" }), ends)).url;
    expect(refused.toString().startsWith(ERROR_UI)).toBe(true);
    expect(refused.searchParams.get("error")).toBe("unsupported_response_mode");
    expect(refused.searchParams.get("error_description")).toContain("Request with unsupported response_mode 'jwt'.");
  });

  it("validateAuthorizeScope, validateAudience, validateResponseTypes and the state entropy go to the client with its state", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ scope: "openid admin" }, "invalid_scope", "The OAuth 2.0 Client is not allowed to request scope 'admin'."],
      [
        { audience: "https://other.example.com" },
        "invalid_request",
        "Requested audience 'https://other.example.com' has not been whitelisted by the OAuth 2.0 Client.",
      ],
      [{ response_type: "token" }, "unsupported_response_type", "The client is not allowed to request response_type 'token'."],
      [
        { state: "short" },
        "invalid_state",
        "Request parameter 'state' must be at least be 8 characters long to ensure sufficient entropy.",
      ],
    ];
    for (const [change, error, hint] of cases) {
      const { browser, verifierUrl } = await acceptedLogin();
      const refused = (await browser.navigate(edited(verifierUrl, change), ends)).url;
      expect(refused.toString().startsWith(REDIRECT_URI), JSON.stringify(change)).toBe(true);
      const params = responseParams(refused);
      expect(params.get("error")).toBe(error);
      expect(params.get("error_description")).toContain(hint);
      expect(params.get("state")).toBe(change.state ?? "verifier-state-1234");
      const after = (await browser.navigate(verifierUrl.toString(), ends)).url;
      expect(after.toString().startsWith(CONSENT_UI), JSON.stringify(change)).toBe(true);
    }
  });

  it("MatchRedirectURIWithClientRedirectURIs: a loopback redirect URI on another port passes, the verifier is redeemed", async () => {
    const { browser, verifierUrl } = await acceptedLogin({ redirect_uri: "http://127.0.0.1/callback" });
    const at = (await browser.navigate(edited(verifierUrl, { redirect_uri: "http://127.0.0.1:4321/callback" }), ends)).url;
    expect(at.toString().startsWith(CONSENT_UI)).toBe(true);
  });

  it("checks a consent verifier URL the same way", async () => {
    const { browser, verifierUrl } = await acceptedLogin();
    const consentAt = (await browser.navigate(verifierUrl.toString(), ends)).url;
    const { data } = await hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge: consentAt.searchParams.get("consent_challenge") ?? "",
      acceptOAuth2ConsentRequest: { grant_scope: ["openid"] },
    });
    const consentVerifier = new URL(data.redirect_to);
    const refused = (await browser.navigate(edited(consentVerifier, { scope: "openid admin" }), ends)).url;
    expect(responseParams(refused).get("error")).toBe("invalid_scope");
    const done = (await browser.navigate(consentVerifier.toString(), ends)).url;
    expect(done.toString().startsWith(REDIRECT_URI)).toBe(true);
    expect(responseParams(done).get("code")).toBeTruthy();
  });
});

describe("a refused verifier whose URL names no redirect_uri", () => {
  it("goes to the client's only registered redirect URI (fosite MatchRedirectURIWithClientRedirectURIs), by 303 or fosite's form_post page", async () => {
    // flow/flow_encoding.go decodeVerifier: access_denied; oauth2/handler.go writeAuthorizeError → fosite
    // authorize_error.go WriteAuthorizeError to ar.GetRedirectURI(), which authorize_helper.go
    // MatchRedirectURIWithClientRedirectURIs took from the client's single registration (no openid scope: allowed).
    const single = await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: "email",
    });
    const url = authorizeUrl(hydra, single.id, {
      redirect_uri: undefined,
      scope: "email",
      state: "single-redirect-state",
      login_verifier: "not-a-verifier",
    });
    const description =
      "The resource owner or authorization server denied the request. The login verifier has already been used, has not been granted, or is invalid.";
    const redirected = await new TestBrowser().request(url);
    expect(redirected.status).toBe(303);
    const location = new URL(redirected.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toBe(description);
    expect(location.searchParams.get("state")).toBe("single-redirect-state");

    const posted = await new TestBrowser().request(`${url}&response_mode=form_post`);
    expect(posted.status).toBe(200);
    expect(posted.headers.get("content-type")).toBe("text/html;charset=UTF-8");
    const input = (name: string, value: string) =>
      `\n            \n\t\t      <input type="hidden" name="${name}" value="${value}"/>\n            \n         `;
    expect(await posted.text()).toBe(
      `<html>\n   <head>\n      <title>Submit This Form</title>\n   </head>\n   <body onload="javascript:document.forms[0].submit()">\n      <form method="post" action="${REDIRECT_URI}">\n         ` +
        input("error", "access_denied") +
        input("error_description", description) +
        input("state", "single-redirect-state") +
        `\n      </form>\n   </body>\n</html>`,
    );
  });
});
