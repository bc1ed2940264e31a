import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";
import { LOGIN_UI, startsWith } from "../testing/sign-in";

/**
 * The query parameters of Hydra v26.2.0's login, consent, logout and
 * session endpoints (consent/handler.go getOAuth2LoginRequest,
 * rejectOAuth2LoginRequest, getOAuth2ConsentRequest,
 * listOAuth2ConsentSessions, revokeOAuth2ConsentSessions,
 * revokeOAuth2LoginSessions) and their bodies (acceptOAuth2LoginRequest:
 * json.NewDecoder(r.Body).Decode into flow.HandledLoginRequest). Each reads
 * r.URL.Query(): net/url ParseQuery drops a pair with a bad escape or a `;`,
 * and Get is a key's first value. A decision's redirect_to is
 * urlx.SetQuery(url.Parse(f.RequestURL), …).String(): the query parsed and
 * written again by Values.Encode, keys in order, values QueryEscape'd.
 */

const REDIRECT_URI = "http://rp.localhost:5555/callback";
const LOGIN = "admin/oauth2/auth/requests/login";
const NO_CHALLENGE = "Query parameter 'challenge' is not defined but should have been.";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let loginChallenge: string;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  const { data } = await hydra.admin.createOAuth2Client({ oAuth2Client: { redirect_uris: [REDIRECT_URI], scope: "openid" } });
  const [id, secret] = [data.client_id ?? "", data.client_secret ?? ""];
  const config = await oidc.discovery(new URL(hydra.issuer), id, secret, oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests],
  });
  const authorize = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: "openid", state: "state*123456" });
  const atLogin = await new TestBrowser().navigate(authorize.toString(), startsWith(LOGIN_UI));
  loginChallenge = atLogin.url.searchParams.get("login_challenge") ?? "";
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

async function send(method: string, path: string, body?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, hydra.adminUrl), { method, body });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** fosite.ErrInvalidRequest with a hint, as Hydra's writer answers it. */
const invalidRequest = (hint: string) => ({
  status: 400,
  body: { error: "invalid_request", error_description: expect.stringContaining(hint) as unknown },
});

describe("challenges as r.URL.Query() reads them (consent/handler.go, cmp.Or of Query().Get)", () => {
  it("a login_challenge pair with a bad escape is dropped, so `challenge` is read (getOAuth2LoginRequest)", async () => {
    const answer = await send("GET", `${LOGIN}?login_challenge=%zz&challenge=${loginChallenge}`);
    expect(answer).toMatchObject({ status: 200, body: { challenge: loginChallenge } });
  });

  it("a pair holding `;` is dropped: no challenge at all (getOAuth2LoginRequest, rejectOAuth2LoginRequest)", async () => {
    expect(await send("GET", `${LOGIN}?login_challenge=${loginChallenge};x`)).toEqual(invalidRequest(NO_CHALLENGE));
    expect(await send("PUT", `${LOGIN}/reject?login_challenge=%zz`, "{}")).toEqual(invalidRequest(NO_CHALLENGE));
  });

  it("getOAuth2ConsentRequest: the same parsing", async () => {
    expect(await send("GET", "admin/oauth2/auth/requests/consent?consent_challenge=%zz")).toEqual(invalidRequest(NO_CHALLENGE));
  });

  it("pins: a repeated challenge is its first value; an empty one falls back to `challenge`", async () => {
    expect(await send("GET", `${LOGIN}?login_challenge=${loginChallenge}&login_challenge=other`)).toMatchObject({ status: 200 });
    expect(await send("GET", `${LOGIN}?login_challenge=other&login_challenge=${loginChallenge}`)).toMatchObject({ status: 404 });
    expect(await send("GET", `${LOGIN}?login_challenge=&challenge=${loginChallenge}`)).toMatchObject({ status: 200 });
  });
});

describe("session endpoints' parameters as r.URL.Query() reads them", () => {
  it("listOAuth2ConsentSessions: a subject with a bad escape is no subject", async () => {
    expect(await send("GET", "admin/oauth2/auth/sessions/consent?subject=a%zz")).toEqual(
      invalidRequest("Query parameter 'subject' is not defined but should have been."),
    );
  });

  it("revokeOAuth2ConsentSessions: a dropped subject leaves an invalid combination", async () => {
    expect(await send("DELETE", "admin/oauth2/auth/sessions/consent?subject=a%zz&all=true")).toEqual(
      invalidRequest("Invalid combination of query parameters."),
    );
    expect(await send("DELETE", "admin/oauth2/auth/sessions/consent?subject=a;b&all=true")).toEqual(
      invalidRequest("Invalid combination of query parameters."),
    );
  });

  it("revokeOAuth2LoginSessions: neither subject nor sid once the pair is dropped", async () => {
    expect(await send("DELETE", "admin/oauth2/auth/sessions/login?subject=%zz")).toEqual(
      invalidRequest("Either 'subject' or 'sid' query parameters need to be defined."),
    );
  });
});

describe("pins: the login accept body as json.Decoder.Decode reads it (acceptOAuth2LoginRequest)", () => {
  it("reads one JSON value and ignores what follows it, ignores unknown fields, takes the last of a repeated key", async () => {
    // The challenge is unknown, so a body Go accepted reaches the lookup: 404.
    const path = `${LOGIN}/accept?login_challenge=unknown`;
    expect(await send("PUT", path, '{"subject":"a"} trailing')).toMatchObject({ status: 404 });
    expect(await send("PUT", path, '{"subject":"a","remember_for":-5,"unknown":[1]}')).toMatchObject({ status: 404 });
    expect(await send("PUT", path, '{"subject":"a","subject":""}')).toEqual(invalidRequest("Field 'subject' must not be empty."));
    expect(await send("PUT", path, "null")).toEqual(invalidRequest("Field 'subject' must not be empty."));
  });
});

describe("redirect_to as urlx.SetQuery writes it (acceptOAuth2LoginRequest, rejectOAuth2LoginRequest)", () => {
  it("the request URL's query in key order, each value QueryEscape'd, the verifier among them", async () => {
    for (const decision of ["accept", "reject"]) {
      const answer = await send("PUT", `${LOGIN}/${decision}?login_challenge=${loginChallenge}`, '{"subject":"alice"}');
      const redirectTo = (answer.body as { redirect_to: string }).redirect_to;
      const query = new URL(redirectTo).search.slice(1).split("&");
      expect(query.map((pair) => pair.split("=")[0])).toEqual([
        "client_id",
        "login_verifier",
        "redirect_uri",
        "response_type",
        "scope",
        "state",
      ]);
      // QueryEscape leaves only letters, digits and -_.~ as they are.
      expect(query).toContain("state=state%2A123456");
      expect(query).toContain(`redirect_uri=${encodeURIComponent(REDIRECT_URI)}`);
    }
  });
});

describe("other admin handlers' parameters as r.URL.Query() reads them", () => {
  it("deleteOAuth2Token (oauth2/handler.go): a client_id pair with a bad escape or a `;` is no client_id", async () => {
    const missing = invalidRequest("Query parameter 'client_id' is not defined but it should have been.");
    expect(await send("DELETE", "admin/oauth2/tokens?client_id=%zz")).toEqual(missing);
    expect(await send("DELETE", "admin/oauth2/tokens?client_id=a;b")).toEqual(missing);
    expect(await send("DELETE", "admin/oauth2/tokens?client_id=%zz&client_id=a")).toMatchObject({ status: 204 });
  });

  it("acceptUserCodeRequest (consent/handler.go): a device_challenge pair with a bad escape is no challenge", async () => {
    expect(await send("PUT", "admin/oauth2/auth/requests/device/accept?device_challenge=%zz", '{"user_code":"x"}')).toEqual(
      invalidRequest("Query parameter 'device_challenge' is not defined but should have been."),
    );
  });

  it("the storable-text check looks only at the pairs Go reads: a NUL in a dropped pair is never seen", async () => {
    expect(await send("GET", "admin/clients?ignored=%00;x")).toMatchObject({ status: 200 });
    expect(await send("GET", "admin/clients?ignored=%00%zz")).toMatchObject({ status: 200 });
    expect(await send("GET", "admin/clients?kept=%00")).toMatchObject({ status: 400 });
  });
});

describe("pins: the Link path is the handler's r.URL.EscapedPath() (keysetpagination_v2 linkPart: u.String())", () => {
  it("a path the prefix and trailing-slash middlewares changed is written canonically, the query as Go parsed it", async () => {
    for (const path of ["admin/clients", "clients", "clients/", "admin/clients/"]) {
      const response = await fetch(new URL(`${path}?z=a+b&bad=%zz`, hydra.adminUrl));
      await response.body?.cancel();
      expect(response.headers.get("link")).toMatch(/^<\/admin\/clients\?page_size=100&page_token=[^&>]+&z=a\+b>; rel="first"/);
    }
  });
});
