import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { ERROR_UI, REDIRECT_URI, responseParams } from "./testing/oauth";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./testing/sign-in";

/**
 * POST /oauth2/auth as Hydra v26.2 handles it: fosite's newAuthorizeRequest
 * (authorize_request_handler.go) reads `r.Form` — the urlencoded body, then
 * the URL's query — and every later decision (prompt, request objects:
 * authorizeRequestParametersFromOpenIDConnectRequest) reads that form, while
 * consent/strategy_default.go forwardAuthenticationRequest stores
 * `request_url` as OAuth2AuthURL with the URL's raw query only. The
 * verifier then goes to that URL, where fosite finds no client.
 */
const REGISTRATION_UI = "http://ciam.localhost:3000/registration";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let clientId: string;
let authUrl: string;
let signingKey: CryptoKey;

const ends = startsWith(LOGIN_UI, REGISTRATION_UI, CONSENT_UI, REDIRECT_URI, ERROR_UI);

async function postAuthorization(browser: TestBrowser, form: Record<string, string> | URLSearchParams, query = ""): Promise<URL> {
  const target = query === "" ? authUrl : `${authUrl}?${query}`;
  const response = await browser.request(target, { method: "POST", body: new URLSearchParams(form) });
  const location = response.headers.get("location");
  await response.body?.cancel();
  if (!location) throw new Error(`no redirect (status ${response.status})`);
  return (await browser.navigate(new URL(location, target).toString(), ends)).url;
}

const baseForm = () => ({
  client_id: clientId,
  response_type: "code",
  redirect_uri: REDIRECT_URI,
  scope: "openid",
  state: "posted-state-1234",
});

async function loginRequest(at: URL) {
  const challenge = at.searchParams.get("login_challenge") ?? "";
  return (await hydra.admin.getOAuth2LoginRequest({ loginChallenge: challenge })).data;
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  authUrl = new URL("oauth2/auth", hydra.publicUrl).toString();
  const pair = await generateKeyPair("RS256", { extractable: true });
  signingKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kty: "RSA", kid: "ro-key", alg: "RS256", use: "sig" };
  clientId = (
    await createClient(hydra, {
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: "openid email profile",
      jwks: { keys: [jwk] },
    })
  ).id;
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("POST authorization requests (fosite newAuthorizeRequest reads r.Form)", () => {
  it("creates the login request from the body; request_url is the auth URL with the URL's query only", async () => {
    const at = await postAuthorization(new TestBrowser(), { ...baseForm(), scope: "openid email" });
    expect(at.toString().startsWith(LOGIN_UI)).toBe(true);
    const login = await loginRequest(at);
    expect(login.client?.client_id).toBe(clientId);
    expect(login.requested_scope).toEqual(["openid", "email"]);
    expect(login.request_url).toBe(`${hydra.publicUrl}oauth2/auth`);
  });

  it("prefers the body's value over the query's and keeps the raw query in request_url", async () => {
    const query = "state=query-state-5678&scope=openid+profile&ui_locales=de";
    const at = await postAuthorization(new TestBrowser(), { ...baseForm(), scope: "openid email" }, query);
    const login = await loginRequest(at);
    expect(login.requested_scope).toEqual(["openid", "email"]);
    expect(login.oidc_context?.ui_locales).toEqual(["de"]);
    expect(login.request_url).toBe(`${hydra.publicUrl}oauth2/auth?${query}`);
  });

  it("rewrites prompt as for a GET: registration picks the registration UI, none without a login is login_required", async () => {
    const registration = await postAuthorization(new TestBrowser(), { ...baseForm(), prompt: "registration" });
    expect(registration.toString().startsWith(REGISTRATION_UI)).toBe(true);
    const none = await postAuthorization(new TestBrowser(), { ...baseForm(), prompt: "none" });
    expect(none.toString().startsWith(REDIRECT_URI)).toBe(true);
    expect(responseParams(none).get("error")).toBe("login_required");
    expect(responseParams(none).get("state")).toBe("posted-state-1234");
  });

  it("reads a request object from the body", async () => {
    const request = await new SignJWT({ client_id: clientId, scope: "profile", state: "state-from-object" })
      .setProtectedHeader({ alg: "RS256", kid: "ro-key" })
      .sign(signingKey);
    const at = await postAuthorization(new TestBrowser(), { ...baseForm(), request });
    const login = await loginRequest(at);
    expect(login.requested_scope).toEqual(["profile", "openid"]);
    expect(login.request_url).toBe(`${hydra.publicUrl}oauth2/auth`);
  });

  it("cannot finish: the verifier goes to request_url, where fosite finds no client (invalid_client at the error UI)", async () => {
    const browser = new TestBrowser();
    const at = await postAuthorization(browser, baseForm());
    const { data } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge: at.searchParams.get("login_challenge") ?? "",
      acceptOAuth2LoginRequest: { subject: "posted-user" },
    });
    const end = (await browser.navigate(data.redirect_to, ends)).url;
    expect(end.toString().startsWith(ERROR_UI)).toBe(true);
    expect(end.searchParams.get("error")).toBe("invalid_client");
    expect(end.searchParams.get("error_description")).toContain("The requested OAuth 2.0 Client does not exist.");
  });
});

/**
 * A parameter given more than once. Go's ParseForm (net/http request.go)
 * lists a urlencoded body's values before the URL's, ParseMultipartForm
 * appends a multipart body's after them; fosite's newAuthorizeRequest has no
 * "given twice" refusal: it reads `Form.Get` (the first value) and, for
 * `audience`, every value (audience_strategy.go GetAudiences).
 */
describe("repeated authorization parameters (fosite newAuthorizeRequest over Go's r.Form)", () => {
  const AUDIENCE_A = "https://api.example.com/a";
  const AUDIENCE_B = "https://api.example.com/b";
  let audienceClient: string;

  beforeAll(async () => {
    audienceClient = (
      await createClient(hydra, {
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        scope: "openid email profile",
        audience: [AUDIENCE_A, AUDIENCE_B],
      })
    ).id;
  });

  it("GetAudiences: an audience in the body and another in the URL are both requested, the body's first", async () => {
    const query = `audience=${encodeURIComponent(AUDIENCE_B)}`;
    const at = await postAuthorization(new TestBrowser(), { ...baseForm(), client_id: audienceClient, audience: AUDIENCE_A }, query);
    const login = await loginRequest(at);
    expect(login.requested_access_token_audience).toEqual([AUDIENCE_A, AUDIENCE_B]);
  });

  it("Form.Get: a parameter repeated in the body is read as its first value, not refused", async () => {
    const form = new URLSearchParams({ ...baseForm(), scope: "openid email" });
    form.append("scope", "openid profile");
    const at = await postAuthorization(new TestBrowser(), form);
    const login = await loginRequest(at);
    expect(login.requested_scope).toEqual(["openid", "email"]);
  });

  it("Form.Get: a parameter repeated in a GET's query is read as its first value", async () => {
    const query = new URLSearchParams({ ...baseForm(), scope: "openid email" });
    query.append("scope", "openid profile");
    const at = (await new TestBrowser().navigate(`${authUrl}?${query.toString()}`, ends)).url;
    const login = await loginRequest(at);
    expect(login.requested_scope).toEqual(["openid", "email"]);
  });

  it("ParseMultipartForm: a multipart body is read, its values after the URL's", async () => {
    const body = new FormData();
    for (const [key, value] of Object.entries({ ...baseForm(), scope: "openid email" })) body.append(key, value);
    const response = await fetch(`${authUrl}?scope=openid+profile`, { method: "POST", body, redirect: "manual" });
    const location = response.headers.get("location") ?? "";
    await response.body?.cancel();
    const at = (await new TestBrowser().navigate(new URL(location, authUrl).toString(), ends)).url;
    const login = await loginRequest(at);
    expect(login.client?.client_id).toBe(clientId);
    expect(login.requested_scope).toEqual(["openid", "profile"]);
  });

  it("multipartReader: a multipart Content-Type mime refuses is ErrNotMultipart, its body unread and the URL's values the form", async () => {
    const query = new URLSearchParams({ ...baseForm(), scope: "openid email" });
    const response = await fetch(`${authUrl}?${query.toString()}`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary" },
      body: "--xyz\r\nnot a part",
      redirect: "manual",
    });
    const location = response.headers.get("location") ?? "";
    await response.body?.cancel();
    const at = (await new TestBrowser().navigate(new URL(location, authUrl).toString(), ends)).url;
    const login = await loginRequest(at);
    expect(login.requested_scope).toEqual(["openid", "email"]);
  });

  it("a multipart body Go cannot parse is invalid_request at the error UI", async () => {
    const response = await fetch(authUrl, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: "--xyz\r\nnot a part",
      redirect: "manual",
    });
    await response.body?.cancel();
    const location = new URL(response.headers.get("location") ?? "", authUrl);
    expect(location.toString().startsWith(ERROR_UI)).toBe(true);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toContain(
      "Unable to parse HTTP body, make sure to send a properly formatted form request body.",
    );
  });
});
