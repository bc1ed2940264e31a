import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { acceptLogin, authorizeUrl, newVerifier, REDIRECT_URI, s256, type ClientCredentials } from "./testing/oauth";
import { redeemCode } from "./testing/tokens";

/**
 * The answer that ends an authorization at the client, as Hydra writes it:
 * fosite/authorize_write.go WriteAuthorizeResponse with the parameters
 * handler/oauth2/flow_authorize_code_auth.go adds (code, state, scope; no
 * iss), authorize_error.go WriteAuthorizeError; in query mode the query
 * encoded by url.Values.Encode (sorted keys, QueryEscape), in form_post
 * mode authorize_helper.go WriteAuthorizeFormPostResponse with
 * DefaultFormPostTemplate (fositex/config.go GetFormPostHTMLTemplate);
 * `Cache-Control: no-store`, `Pragma: no-cache`.
 */
const OWN_QUERY_REDIRECT = "http://rp.localhost:5555/cb?z=1&state=own";
const STATE = "state ~*'!é";
const STATE_ENCODED = "state+~%2A%27%21%C3%A9";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: ClientCredentials;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  client = await createClient(hydra, {
    redirect_uris: [REDIRECT_URI, OWN_QUERY_REDIRECT],
    grant_types: ["authorization_code"],
    scope: "openid offline_access",
  });
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

const input = (name: string, value: string) =>
  `\n            \n\t\t      <input type="hidden" name="${name}" value="${value}"/>\n            \n         `;

/** Signs in a fresh browser and accepts the consent for `scope`: the browser's last answer (the one to the client). */
async function authorized(params: Record<string, string>, verifier: string): Promise<Response> {
  const browser = new TestBrowser();
  const start = authorizeUrl(hydra, client.id, {
    scope: "openid offline_access",
    code_challenge: s256(verifier),
    code_challenge_method: "S256",
    ...params,
  });
  const atLogin = await browser.navigate(start, (url) => url.pathname.endsWith("/login"));
  const atConsent = await acceptLogin(hydra, browser, atLogin.url.searchParams.get("login_challenge") ?? "", { subject: "answers-user" });
  const { data } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge: atConsent.searchParams.get("consent_challenge") ?? "",
    acceptOAuth2ConsentRequest: { grant_scope: ["openid"] },
  });
  // Followed by hand: the answer to the client is a 303 to it (query mode) or a page (form_post).
  let answer = await browser.request(data.redirect_to);
  for (let hop = 0; hop < 10 && answer.status !== 303 && answer.headers.get("location"); hop++) {
    answer = await browser.request(new URL(answer.headers.get("location") ?? "", hydra.publicUrl).toString());
  }
  return answer;
}

describe("a successful authorization in query mode", () => {
  it("is a 303 whose query holds code, scope and state in sorted key order and Go's encoding, no iss", async () => {
    const verifier = newVerifier();
    const answer = await authorized({ state: STATE }, verifier);
    expect(answer.status).toBe(303);
    const location = answer.headers.get("location") ?? "";
    const code = /[?&]code=([^&]*)/.exec(location)?.[1] ?? "";
    expect(code).not.toBe("");
    expect(location).toBe(`${REDIRECT_URI}?code=${code}&scope=openid&state=${STATE_ENCODED}`);
    expect((await redeemCode(hydra, client, { code: decodeURIComponent(code), verifier })).status).toBe(200);
  });
});

describe("an authorization error in query mode", () => {
  it("adds the redirect URI's own query (its `state` too) to fosite's error parameters, all in sorted key order", async () => {
    // oidc-provider refuses the scope; fosite would (validateAuthorizeScope) and WriteAuthorizeError writes the query.
    const answer = await new TestBrowser().request(
      authorizeUrl(hydra, client.id, { redirect_uri: OWN_QUERY_REDIRECT, scope: "openid admin", state: STATE }),
    );
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(
      "http://rp.localhost:5555/cb?error=invalid_scope&error_description=The+requested+scope+is+invalid%2C+unknown%2C+or+malformed.+The+OAuth+2.0+Client+is+not+allowed+to+request+scope+%27admin%27." +
        `&state=${STATE_ENCODED}&state=own&z=1`,
    );
  });
});

describe("a successful authorization with response_mode=form_post", () => {
  it("is fosite's form_post page with code, scope and state (sorted, escaped), status 200 and fosite's headers", async () => {
    const verifier = newVerifier();
    const answer = await authorized({ state: "post<&>'state", response_mode: "form_post" }, verifier);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/html;charset=UTF-8");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("pragma")).toBe("no-cache");
    const page = (await answer.text()) ?? "";
    const code = /name="code" value="([^"]*)"/.exec(page)?.[1] ?? "";
    expect(code).not.toBe("");
    expect(page).toBe(
      `<html>\n   <head>\n      <title>Submit This Form</title>\n   </head>\n   <body onload="javascript:document.forms[0].submit()">\n      <form method="post" action="${REDIRECT_URI}">\n         ` +
        input("code", code) +
        input("scope", "openid") +
        input("state", "post&lt;&amp;&gt;&#39;state") +
        `\n      </form>\n   </body>\n</html>`,
    );
    // The code on the page is the one issued.
    const tokens = await redeemCode(hydra, client, { code, verifier });
    expect(tokens.status).toBe(200);
  });
});
