import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import {
  acceptUserCode,
  deviceAtLogin,
  DEVICE_GRANT,
  DEVICE_SUCCESS_UI,
  DEVICE_UI,
  pollDeviceToken,
  type DeviceClient,
} from "./testing/device";
import { startHydraWithPostgres, startHydraWithTtl, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { decodeJwtPayload } from "./testing/oauth";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./testing/sign-in";

/**
 * The OAuth 2.0 device authorization grant as Hydra v26.2 runs it:
 * oauth2/handler.go (oAuth2DeviceFlow, performOAuth2DeviceVerificationFlow),
 * consent/strategy_default.go (HandleOAuth2DeviceAuthorizationRequest),
 * consent/handler.go (acceptUserCodeRequest), fosite's NewDeviceRequest and
 * rfc8628 handlers; the journey follows oauth2/oauth2_device_code_test.go
 * TestDeviceCodeWithDefaultStrategy.
 */

/** ttl.device_user_code of this file's instance: short enough to watch a device code expire. */
const DEVICE_TTL_SECONDS = 6;
/** randx.AlphaNumNoAmbiguous, Hydra's "high" preset. */
const HIGH_ENTROPY_CODE = /^[abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679]{8}$/;

let pg: TestPostgres;
let hydra: HydraUnderTest;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deviceClient(overrides: Record<string, unknown> = {}): Promise<DeviceClient> {
  return createClient(hydra, {
    client_name: "tv",
    grant_types: [DEVICE_GRANT, "refresh_token"],
    scope: "openid offline profile",
    audience: ["https://api.example.com/"],
    token_endpoint_auth_method: "client_secret_post",
    ...overrides,
  });
}

async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

function deviceAuthorization(client: DeviceClient, form: Record<string, string> = {}) {
  return post(`${hydra.publicUrl}oauth2/device/auth`, {
    client_id: client.id,
    client_secret: client.secret,
    scope: "openid offline",
    ...form,
  });
}

const pollToken = (client: DeviceClient, deviceCode: string) => pollDeviceToken(hydra, client, deviceCode);

/** The person's browser from the verification URI to the device UI; returns the device challenge. */
async function openVerificationUri(browser: TestBrowser, uri: string): Promise<URL> {
  const { url } = await browser.navigate(uri, startsWith(DEVICE_UI));
  return url;
}

/** A device authorization through the device UI and the login UI, the login accepted as `subject`: the device's answer and the login verifier URL. */
async function deviceLoginAccepted(client: DeviceClient, browser: TestBrowser, subject: string) {
  const device = await deviceAuthorization(client);
  const deviceUi = await openVerificationUri(browser, String(device.body.verification_uri_complete));
  const accepted = await acceptUserCode(hydra, deviceUi.searchParams.get("device_challenge") ?? "", String(device.body.user_code));
  const login = await browser.navigate(String(accepted.body.redirect_to), startsWith(LOGIN_UI));
  const { data } = await hydra.admin.acceptOAuth2LoginRequest({
    loginChallenge: login.url.searchParams.get("login_challenge") ?? "",
    acceptOAuth2LoginRequest: { subject },
  });
  return { device, loginVerifierUrl: data.redirect_to };
}

/** Device UI, login UI and consent UI accept everything; returns where the browser ended. */
async function authorizeDevice(browser: TestBrowser, verificationUriComplete: string, subject = "device-user"): Promise<URL> {
  const deviceUi = await openVerificationUri(browser, verificationUriComplete);
  const accepted = await acceptUserCode(
    hydra,
    deviceUi.searchParams.get("device_challenge") ?? "",
    deviceUi.searchParams.get("user_code") ?? "",
  );
  expect(accepted.status).toBe(200);
  const login = await browser.navigate(String(accepted.body.redirect_to), startsWith(LOGIN_UI));
  const loginChallenge = login.url.searchParams.get("login_challenge") ?? "";
  const { data: loginAccepted } = await hydra.admin.acceptOAuth2LoginRequest({
    loginChallenge,
    acceptOAuth2LoginRequest: { subject, acr: "1", amr: ["pwd"], remember: true, context: { via: "device" } },
  });
  const consent = await browser.navigate(loginAccepted.redirect_to, startsWith(CONSENT_UI));
  const consentChallenge = consent.url.searchParams.get("consent_challenge") ?? "";
  const { data: request } = await hydra.admin.getOAuth2ConsentRequest({ consentChallenge });
  const { data: consentAccepted } = await hydra.admin.acceptOAuth2ConsentRequest({
    consentChallenge,
    acceptOAuth2ConsentRequest: {
      grant_scope: request.requested_scope ?? [],
      grant_access_token_audience: request.requested_access_token_audience ?? [],
      session: { access_token: { foo: "bar" }, id_token: { bar: "baz" } },
    },
  });
  return (await browser.navigate(consentAccepted.redirect_to, startsWith(DEVICE_SUCCESS_UI))).url;
}

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres((server) =>
    startHydraWithTtl(server, { device_user_code: `${DEVICE_TTL_SECONDS}s` }),
  ));
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("device authorization endpoint (oauth2/handler.go oAuth2DeviceFlow, fosite NewDeviceRequest)", () => {
  it("answers device and user codes with Hydra's fields, verification URI, lifespan and polling interval", async () => {
    const client = await deviceClient();
    const answer = await deviceAuthorization(client);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("pragma")).toBe("no-cache");
    expect(Object.keys(answer.body).sort()).toEqual([
      "device_code",
      "expires_in",
      "interval",
      "user_code",
      "verification_uri",
      "verification_uri_complete",
    ]);
    // rfc8628 DefaultDeviceStrategy.GenerateUserCode with the "high" preset (driver/config/provider.go userCodeEntropyPreset).
    expect(answer.body.user_code).toMatch(HIGH_ENTROPY_CODE);
    // fositex GetDeviceVerificationURL: Hydra's own endpoint, not the UI.
    expect(answer.body.verification_uri).toBe(`${hydra.publicUrl}oauth2/device/verify`);
    expect(answer.body.verification_uri_complete).toBe(`${hydra.publicUrl}oauth2/device/verify?user_code=${String(answer.body.user_code)}`);
    expect([DEVICE_TTL_SECONDS - 1, DEVICE_TTL_SECONDS]).toContain(answer.body.expires_in);
    expect(answer.body.interval).toBe(5);
  });

  it("refuses what fosite's NewDeviceRequest refuses, with its errors and hints", async () => {
    const client = await deviceClient();
    const empty = await post(`${hydra.publicUrl}oauth2/device/auth`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe("invalid_request");
    expect(String(empty.body.error_description)).toContain("The POST body can not be empty.");

    const wrongSecret = await deviceAuthorization({ id: client.id, secret: "not-the-secret" });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe("invalid_client");

    // Authenticated with HTTP Basic but without client_id in the form: fosite's "Provided client_id mismatch."
    const basicClient = await deviceClient({ token_endpoint_auth_method: "client_secret_basic" });
    const mismatch = await post(
      `${hydra.publicUrl}oauth2/device/auth`,
      { scope: "openid" },
      { authorization: `Basic ${Buffer.from(`${basicClient.id}:${basicClient.secret}`).toString("base64")}` },
    );
    expect(mismatch.body).toMatchObject({ error: "invalid_request" });
    expect(String(mismatch.body.error_description)).toContain("Provided client_id mismatch.");

    const noGrant = await deviceClient({ grant_types: ["authorization_code"], redirect_uris: ["http://rp.localhost:5555/callback"] });
    const withoutGrant = await deviceAuthorization(noGrant);
    expect(withoutGrant.status).toBe(400);
    expect(withoutGrant.body.error).toBe("invalid_grant");
    expect(String(withoutGrant.body.error_description)).toContain(
      `The requested OAuth 2.0 Client does not have the '${DEVICE_GRANT}' grant.`,
    );

    const scope = await deviceAuthorization(client, { scope: "openid admin" });
    expect(scope.body.error).toBe("invalid_scope");
    expect(String(scope.body.error_description)).toContain("The OAuth 2.0 Client is not allowed to request scope 'admin'.");

    // oauth2_device_code_test.go "checks if request fails when audience does not match".
    const audience = await deviceAuthorization(client, { audience: "https://not-ory-api/" });
    expect(audience.status).toBe(400);
    expect(audience.body.error).toBe("invalid_request");
  });
});

describe("device verification (consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest)", () => {
  it("runs the whole flow: pending, user code, login, consent, success page, tokens (TestDeviceCodeWithDefaultStrategy)", async () => {
    const client = await deviceClient();
    const device = await deviceAuthorization(client, { audience: "https://api.example.com/" });
    const deviceCode = String(device.body.device_code);

    // fosite ErrAuthorizationPending until the person has finished.
    const pending = await pollToken(client, deviceCode);
    expect(pending.status).toBe(400);
    expect(pending.body).toEqual({
      error: "authorization_pending",
      error_description: "The authorization request is still pending as the end user hasn't yet completed the user-interaction steps.",
    });

    const browser = new TestBrowser();
    const deviceUi = await openVerificationUri(browser, String(device.body.verification_uri_complete));
    // forwardDeviceRequest: the UI gets the challenge and the user code as the verification URI carried it.
    expect(deviceUi.searchParams.get("user_code")).toBe(device.body.user_code);
    expect(deviceUi.searchParams.get("device_challenge")).toBeTruthy();
    expect(browser.setCookieHeaders.some((header) => header.startsWith("ory_hydra_device_csrf="))).toBe(true);

    const accepted = await acceptUserCode(hydra, deviceUi.searchParams.get("device_challenge") ?? "", String(device.body.user_code));
    expect(accepted.status).toBe(200);
    const redirectTo = new URL(String(accepted.body.redirect_to));
    expect(`${redirectTo.origin}${redirectTo.pathname}`).toBe(`${hydra.publicUrl}oauth2/device/verify`);
    expect(redirectTo.searchParams.get("client_id")).toBe(client.id);
    expect(redirectTo.searchParams.get("device_verifier")).toBeTruthy();

    const login = await browser.navigate(redirectTo.toString(), startsWith(LOGIN_UI));
    const loginChallenge = login.url.searchParams.get("login_challenge") ?? "";
    const { data: loginRequest } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge });
    expect(loginRequest.client.client_id).toBe(client.id);
    expect(loginRequest.client.client_secret ?? "").toBe("");
    expect(loginRequest.requested_scope).toEqual(["openid", "offline"]);
    expect(loginRequest.requested_access_token_audience).toEqual(["https://api.example.com/"]);
    expect(loginRequest.skip).toBe(false);
    expect(loginRequest.request_url).toContain("/oauth2/device/verify");
    // caseInsensitiveFilterParam keeps the parameter, its value masked.
    expect(loginRequest.request_url).toBe(`${hydra.publicUrl}oauth2/device/verify?client_id=${client.id}&user_code=%2A%2A%2A%2A`);

    const { data: loginAccepted } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge,
      acceptOAuth2LoginRequest: { subject: "aeneas-rekkas", acr: "1", amr: ["pwd"], remember: true, context: { context: "bar" } },
    });
    expect(loginAccepted.redirect_to).toContain("/oauth2/device/verify?");
    const consent = await browser.navigate(loginAccepted.redirect_to, startsWith(CONSENT_UI));
    const consentChallenge = consent.url.searchParams.get("consent_challenge") ?? "";
    const { data: consentRequest } = await hydra.admin.getOAuth2ConsentRequest({ consentChallenge });
    expect(consentRequest.subject).toBe("aeneas-rekkas");
    expect(consentRequest.requested_scope).toEqual(["openid", "offline"]);
    expect(consentRequest.request_url).toContain("/oauth2/device/verify");
    expect(consentRequest.context).toEqual({ context: "bar" });

    const { data: consentAccepted } = await hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge,
      acceptOAuth2ConsentRequest: {
        grant_scope: ["openid", "offline"],
        grant_access_token_audience: consentRequest.requested_access_token_audience ?? [],
        remember: true,
        remember_for: 0,
        session: { access_token: { foo: "bar" }, id_token: { bar: "baz" } },
      },
    });
    const done = await browser.navigate(consentAccepted.redirect_to, startsWith(DEVICE_SUCCESS_UI));
    // performOAuth2DeviceVerificationFlow: urls.device.success with the client id.
    expect(`${done.url.origin}${done.url.pathname}`).toBe(DEVICE_SUCCESS_UI);
    expect(done.url.searchParams.get("client_id")).toBe(client.id);

    const tokens = await pollToken(client, deviceCode);
    expect(tokens.status).toBe(200);
    expect(String(tokens.body.token_type).toLowerCase()).toBe("bearer");
    expect(tokens.body.refresh_token).toBeTruthy();
    const idToken = decodeJwtPayload(String(tokens.body.id_token));
    expect(idToken).toMatchObject({ sub: "aeneas-rekkas", acr: "1", amr: ["pwd"] });
    expect([idToken.aud].flat()).toEqual([client.id]);
    expect(idToken.sid).toBeTruthy();
    const { data: introspection } = await hydra.admin.introspectOAuth2Token({ token: String(tokens.body.access_token) });
    expect(introspection).toMatchObject({ active: true, client_id: client.id, sub: "aeneas-rekkas", ext: { foo: "bar" } });
    expect(introspection.aud).toEqual(["https://api.example.com/"]);

    // oauth2_device_code_test.go "followup=successfully perform refresh token flow".
    const refreshed = await post(`${hydra.publicUrl}oauth2/token`, {
      grant_type: "refresh_token",
      refresh_token: String(tokens.body.refresh_token),
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toBeTruthy();

    // The device code was exchanged (Hydra deleted it): invalid_grant.
    const again = await pollToken(client, deviceCode);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    // ...and the tokens issued from it stay valid (nothing is revoked).
    const { data: still } = await hydra.admin.introspectOAuth2Token({ token: String(refreshed.body.access_token) });
    expect(still.active).toBe(true);

    // oauth2_device_code_test.go "cannot reuse user_code": the used user code no longer verifies.
    const second = new TestBrowser();
    const secondUi = await openVerificationUri(second, String(device.body.verification_uri_complete));
    const reused = await acceptUserCode(hydra, secondUi.searchParams.get("device_challenge") ?? "", String(device.body.user_code));
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: "invalid_request" });
    expect(String(reused.body.error_description)).toContain(
      "The 'user_code' session could not be found or has expired or is otherwise malformed.",
    );
  });

  it("answers the admin accept as acceptUserCodeRequest does for missing, empty, wrong and unknown values", async () => {
    const client = await deviceClient();
    const device = await deviceAuthorization(client);
    const deviceUi = await openVerificationUri(new TestBrowser(), String(device.body.verification_uri));
    const challenge = deviceUi.searchParams.get("device_challenge") ?? "";
    expect(deviceUi.searchParams.has("user_code")).toBe(false);

    const missing = await fetch(`${hydra.adminUrl}admin/oauth2/auth/requests/device/accept`, { method: "PUT", body: "{}" });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error_description: string }).error_description).toContain(
      "Query parameter 'device_challenge' is not defined but should have been.",
    );
    const empty = await acceptUserCode(hydra, challenge, "");
    expect(empty.status).toBe(400);
    expect(String(empty.body.error_description)).toContain("Field 'user_code' must not be empty.");
    const wrong = await acceptUserCode(hydra, challenge, "AAAAAAAA");
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_request");
    const unknown = await acceptUserCode(hydra, "no-such-challenge", String(device.body.user_code));
    expect(unknown.status).toBe(404);
    // Hydra's user codes are compared exactly (an HMAC of the string).
    const lowered = await acceptUserCode(hydra, challenge, String(device.body.user_code).toLowerCase());
    if (String(device.body.user_code) !== String(device.body.user_code).toLowerCase()) expect(lowered.status).toBe(400);
  });

  it("honours a device verifier only next to the device CSRF cookie, as often as it is followed (verifyDevice)", async () => {
    const client = await deviceClient();
    const device = await deviceAuthorization(client);
    const browser = new TestBrowser();
    const deviceUi = await openVerificationUri(browser, String(device.body.verification_uri_complete));
    const accepted = await acceptUserCode(hydra, deviceUi.searchParams.get("device_challenge") ?? "", String(device.body.user_code));

    // Another browser (no device CSRF cookie): fosite's request_forbidden, written to the browser.
    const stranger = await new TestBrowser().request(String(accepted.body.redirect_to));
    expect(stranger.status).toBe(403);
    expect(await stranger.json()).toEqual({
      error: "request_forbidden",
      error_description: "The request is not allowed. No CSRF value available in the session cookie.",
    });
    // The browser holding the cookie still gets its login request: DecodeAndInvalidateDeviceVerifier changes only the decoded flow.
    const holder = await browser.navigate(String(accepted.body.redirect_to), startsWith(LOGIN_UI));
    expect(holder.url.searchParams.get("login_challenge")).toBeTruthy();

    // A new challenge may take the same (still unused) user code, as Hydra's accept only checks the code is unused.
    const retry = await openVerificationUri(browser, String(device.body.verification_uri_complete));
    const again = await acceptUserCode(hydra, retry.searchParams.get("device_challenge") ?? "", String(device.body.user_code));
    expect(again.status).toBe(200);
    const login = await browser.navigate(String(again.body.redirect_to), startsWith(LOGIN_UI));
    expect(login.url.searchParams.get("login_challenge")).toBeTruthy();
  });

  it("writes a rejected consent to the browser as fosite's error and leaves the device pending (verifyConsent)", async () => {
    const client = await deviceClient();
    const browser = new TestBrowser();
    const { device, loginVerifierUrl } = await deviceLoginAccepted(client, browser, "someone");
    const consent = await browser.navigate(loginVerifierUrl, startsWith(CONSENT_UI));
    const { data: rejected } = await hydra.admin.rejectOAuth2ConsentRequest({
      consentChallenge: consent.url.searchParams.get("consent_challenge") ?? "",
      rejectOAuth2Request: { error: "access_denied", error_description: "The person said no." },
    });
    const answer = await browser.request(rejected.redirect_to);
    // RequestDeniedError.SetDefaults (flow/consent_types.go): no status_code is 400, not access_denied's 403.
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: "access_denied", error_description: "The person said no." });
    expect((await pollToken(client, String(device.body.device_code))).body.error).toBe("authorization_pending");
  });

  it("writes a rejection with the reject body's status_code, whatever its error name (RequestDeniedError.ToRFCError, herodot WriteError)", async () => {
    const client = await deviceClient();
    const browser = new TestBrowser();
    const { loginVerifierUrl } = await deviceLoginAccepted(client, browser, "someone");
    const consent = await browser.navigate(loginVerifierUrl, startsWith(CONSENT_UI));
    const { data: rejected } = await hydra.admin.rejectOAuth2ConsentRequest({
      consentChallenge: consent.url.searchParams.get("consent_challenge") ?? "",
      rejectOAuth2Request: { error: "invalid_request", error_description: "Teapot.", status_code: 418 },
    });
    const answer = await browser.request(rejected.redirect_to);
    expect(answer.status).toBe(418);
    expect(await answer.json()).toEqual({ error: "invalid_request", error_description: "Teapot." });

    // A login rejection too (verifyAuthentication), here a name fosite does not know and a 2xx status.
    const other = new TestBrowser();
    const { loginChallenge } = await deviceAtLogin(hydra, client, other);
    const { data: loginRejected } = await hydra.admin.rejectOAuth2LoginRequest({
      loginChallenge,
      rejectOAuth2Request: { error: "not_today", status_code: 202 },
    });
    const login = await other.request(loginRejected.redirect_to);
    expect(login.status).toBe(202);
    expect(await login.json()).toEqual({ error: "not_today", error_description: "" });

    // A status Go's WriteHeader panics at (the connection closes unanswered): SetDefaults' 400 here (README "Known differences").
    const third = new TestBrowser();
    const { loginChallenge: thirdChallenge } = await deviceAtLogin(hydra, client, third);
    const { data: unwritable } = await hydra.admin.rejectOAuth2LoginRequest({
      loginChallenge: thirdChallenge,
      rejectOAuth2Request: { error: "access_denied", status_code: 1000 },
    });
    expect((await third.request(unwritable.redirect_to)).status).toBe(400);
  });

  it("refuses a login verifier brought back with another client's id (strategy_default.go forwardConsentRequest)", async () => {
    // A device verifier brought back so is src/device-verifier-paths.test.ts's.
    const client = await deviceClient();
    const other = await deviceClient();
    const browser = new TestBrowser();
    const { loginVerifierUrl } = await deviceLoginAccepted(client, browser, "swapped-user");
    const swapped = new URL(loginVerifierUrl);
    swapped.searchParams.set("client_id", other.id);
    const answer = await browser.request(swapped.href);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({
      error: "invalid_client",
      error_description: expect.stringContaining("The flow client id does not match the authorize request client id.") as unknown,
    });
  });

  it("sends a login verifier of a device flow without client_id to fosite's invalid_client", async () => {
    const response = await new TestBrowser().request(`${hydra.publicUrl}oauth2/device/verify?login_verifier=whatever`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });
});

describe("device_code grant at the token endpoint (fosite rfc8628 DeviceCodeTokenEndpointHandler)", () => {
  it("refuses a client without the device grant with unauthorized_client", async () => {
    const client = await deviceClient();
    const device = await deviceAuthorization(client);
    const other = await deviceClient({ grant_types: ["client_credentials"] });
    const refused = await pollToken(other, String(device.body.device_code));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe("unauthorized_client");
  });

  it("bounds the tokens by the client's device_authorization_grant_* lifespans ('respects client token lifespan configuration')", async () => {
    const client = await deviceClient({
      device_authorization_grant_access_token_lifespan: "5m",
      device_authorization_grant_id_token_lifespan: "7m",
    });
    const device = await deviceAuthorization(client);
    await authorizeDevice(new TestBrowser(), String(device.body.verification_uri_complete));
    const tokens = await pollToken(client, String(device.body.device_code));
    // rfc8628 token_handler.go: Round(now + 5m) less the time taken, cut to seconds (tokens/fosite-expiry.ts).
    expect([299, 300]).toContain(tokens.body.expires_in);
    const idToken = decodeJwtPayload(String(tokens.body.id_token));
    expect([419, 420]).toContain(Number(idToken.exp) - Number(idToken.iat));
  });

  it("keeps an unapproved code pending past its lifespan and answers expired_token for an approved one", async () => {
    const client = await deviceClient();
    const pendingCode = await deviceAuthorization(client);
    const approvedCode = await deviceAuthorization(client);
    const done = await authorizeDevice(new TestBrowser(), String(approvedCode.body.verification_uri_complete));
    expect(done.searchParams.get("client_id")).toBe(client.id);
    await sleep((DEVICE_TTL_SECONDS + 1) * 1000);

    // session() answers authorization_pending before ValidateDeviceCode looks at the expiry.
    const pending = await pollToken(client, String(pendingCode.body.device_code));
    expect(pending.body.error).toBe("authorization_pending");
    const expired = await pollToken(client, String(approvedCode.body.device_code));
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe("expired_token");
    expect(String(expired.body.error_description)).toMatch(
      /^The device_code has expired, and the device authorization session has concluded\. Device code expired at '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC'\.$/,
    );
    // An expired user code cannot be accepted either (ValidateUserCode).
    const browser = new TestBrowser();
    const ui = await openVerificationUri(browser, String(pendingCode.body.verification_uri_complete));
    const late = await acceptUserCode(hydra, ui.searchParams.get("device_challenge") ?? "", String(pendingCode.body.user_code));
    expect(late.status).toBe(400);
  }, 20_000);
});

describe("remembered logins in the device flow (consent/strategy_default.go requestAuthentication, forwardAuthenticationRequest, verifyAuthentication)", () => {
  /** From the verification URI to the login UI; returns the login request. */
  async function deviceLoginRequest(browser: TestBrowser, client: DeviceClient) {
    const answer = await deviceAuthorization(client);
    const deviceUi = await openVerificationUri(browser, String(answer.body.verification_uri_complete));
    const accepted = await acceptUserCode(
      hydra,
      deviceUi.searchParams.get("device_challenge") ?? "",
      deviceUi.searchParams.get("user_code") ?? "",
    );
    const login = await browser.navigate(String(accepted.body.redirect_to), startsWith(LOGIN_UI));
    const loginChallenge = login.url.searchParams.get("login_challenge") ?? "";
    const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge });
    return { loginChallenge, request: data, deviceCode: String(answer.body.device_code) };
  }

  it("remembers a device login and skips the next device login of the browser with its subject and session", async () => {
    const client = await deviceClient();
    const browser = new TestBrowser();
    await authorizeDevice(browser, String((await deviceAuthorization(client)).body.verification_uri_complete), "remembered-device-user");
    const { request } = await deviceLoginRequest(browser, client);
    expect(request).toMatchObject({ skip: true, subject: "remembered-device-user" });
    // Another browser has no remembered login.
    const fresh = await deviceLoginRequest(new TestBrowser(), client);
    expect(fresh.request).toMatchObject({ skip: false, subject: "" });
  });

  it("makes a browser authorization after a remembered device login skip the login UI (one login session cookie)", async () => {
    const client = await deviceClient();
    const web = await createClient(hydra, {
      redirect_uris: ["http://rp.localhost:5555/callback"],
      grant_types: ["authorization_code"],
      scope: "openid",
    });
    const browser = new TestBrowser();
    await authorizeDevice(browser, String((await deviceAuthorization(client)).body.verification_uri_complete), "device-then-web");
    const url = new URL("oauth2/auth", hydra.publicUrl);
    for (const [key, value] of Object.entries({
      client_id: web.id,
      response_type: "code",
      redirect_uri: "http://rp.localhost:5555/callback",
      scope: "openid",
      state: "state-12345678",
    }))
      url.searchParams.set(key, value);
    const login = await browser.navigate(url.toString(), startsWith(LOGIN_UI));
    const { data } = await hydra.admin.getOAuth2LoginRequest({ loginChallenge: login.url.searchParams.get("login_challenge") ?? "" });
    expect(data).toMatchObject({ skip: true, subject: "device-then-web" });
  });

  it("confirms a fresh device login without remember and ends the browser's remembered login (revokeAuthenticationSession)", async () => {
    const client = await deviceClient();
    const browser = new TestBrowser();
    // A login request opened before the browser had a remembered login is a fresh one (the verification URL's
    // prompt is never read, so this is the way to a fresh device login in a browser that has one).
    // Another client: each login request sets its client's one login CSRF cookie.
    const { loginChallenge, request } = await deviceLoginRequest(browser, await deviceClient());
    expect(request).toMatchObject({ skip: false, subject: "" });
    await authorizeDevice(browser, String((await deviceAuthorization(client)).body.verification_uri_complete), "first-user");
    expect((await deviceLoginRequest(browser, client)).request).toMatchObject({ skip: true, subject: "first-user" });
    const { data: loginAccepted } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge,
      acceptOAuth2LoginRequest: { subject: "second-user", remember: false },
    });
    await browser.navigate(loginAccepted.redirect_to, startsWith(CONSENT_UI));
    expect((await deviceLoginRequest(browser, client)).request).toMatchObject({ skip: false, subject: "" });
  });
});

describe("private_key_jwt at the device authorization endpoint (fosite client_authentication.go DefaultClientAuthenticationStrategy)", () => {
  const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  let key: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  let publicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    key = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "tv-key", alg: "ES256", use: "sig" };
  });

  async function clientAssertion(clientId: string, claims: Record<string, unknown> = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: clientId,
      sub: clientId,
      aud: `${hydra.publicUrl}oauth2/token`,
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
      ...claims,
    })
      .setProtectedHeader({ alg: "ES256", kid: "tv-key" })
      .sign(key);
  }

  function authorizeWithAssertion(clientId: string, assertion: string) {
    return post(`${hydra.publicUrl}oauth2/device/auth`, {
      client_id: clientId,
      scope: "openid",
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
  }

  async function keyClient(keys: Record<string, unknown>): Promise<string> {
    const client = await createClient(hydra, {
      grant_types: [DEVICE_GRANT],
      scope: "openid",
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "ES256",
      ...keys,
    });
    return client.id;
  }

  it("issues device codes to a client authenticated by its signed assertion, and refuses a replayed or forged one", async () => {
    const clientId = await keyClient({ jwks: { keys: [{ ...publicJwk, kty: "EC" }] } });
    const assertion = await clientAssertion(clientId);
    const answer = await authorizeWithAssertion(clientId, assertion);
    expect(answer.status).toBe(200);
    expect(answer.body.device_code).toEqual(expect.any(String));
    expect(await authorizeWithAssertion(clientId, assertion)).toMatchObject({
      status: 400,
      body: {
        error: "jti_known",
        error_description: "The jti was already used. Claim 'jti' from 'client_assertion' MUST only be used once.",
      },
    });
    const other = (await generateKeyPair("ES256")).privateKey;
    const forged = await new SignJWT({
      iss: clientId,
      sub: clientId,
      aud: `${hydra.publicUrl}oauth2/token`,
      jti: randomUUID(),
      exp: Math.floor(Date.now() / 1000) + 60,
    })
      .setProtectedHeader({ alg: "ES256", kid: "tv-key" })
      .sign(other);
    expect((await authorizeWithAssertion(clientId, forged)).body).toMatchObject({ error: "invalid_client" });
    expect(
      (await authorizeWithAssertion(clientId, await clientAssertion(clientId, { aud: "https://elsewhere.example" }))).body,
    ).toMatchObject({
      error: "invalid_client",
    });
  });

  it("keeps a client's jwks_uri key set for later assertions (DefaultJWKSFetcherStrategy's cache)", async () => {
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [{ ...publicJwk, kty: "EC" }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const clientId = await keyClient({ jwks_uri: `http://127.0.0.1:${port}/jwks.json` });
      expect((await authorizeWithAssertion(clientId, await clientAssertion(clientId))).status).toBe(200);
      expect((await authorizeWithAssertion(clientId, await clientAssertion(clientId))).status).toBe(200);
      expect(fetches).toBe(1);
    } finally {
      server.close();
    }
  });
});
