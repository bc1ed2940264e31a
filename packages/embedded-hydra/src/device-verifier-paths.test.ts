import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import {
  acceptDeviceChallenge,
  challengeAt,
  createDeviceClient,
  DEVICE_GRANT,
  DEVICE_SUCCESS_UI,
  deviceAtLogin,
  deviceChallengeAt,
  pollDeviceToken,
  startDeviceAuthorization,
  startDeviceSuite,
  type DeviceClient,
} from "./testing/device";
import { createClient } from "./testing/clients";
import { stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { authorizeUrl, decodeJwtPayload, ERROR_UI, REDIRECT_URI } from "./testing/oauth";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./testing/sign-in";
import { acceptConsentChallenge, acceptLoginChallenge, followVerifier } from "./testing/verifiers";

/**
 * Which verifier reaches which step of /oauth2/device/verify, as Hydra v26.2
 * runs consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest
 * and oauth2/handler.go performOAuth2DeviceVerificationFlow: the verifiers
 * are decoded by purpose only (flow/flow_encoding.go decodeVerifier), so a
 * browser authorization's consent verifier brought here is handled as a
 * device one until GetDeviceCodeSessionByRequestID finds no device code
 * session for its empty DeviceCodeRequestID (fosite.ErrNotFound). The
 * handler never parses the request's form (`ar.Form = r.Form` with r.Form
 * nil): prompt, max_age and id_token_hint on the verification URL are not
 * looked at. The login request of a device verifier is the device flow's
 * (its client), whatever client the URL names.
 */
const NOT_FOUND = { error: "not_found", error_description: "Could not find the requested resource(s)." };
const CONSENT_USED = "The resource owner or authorization server denied the request. The consent verifier has already been used.";

let postgres: TestPostgres;
let hydra: HydraUnderTest;
let device: DeviceClient;
let browserClient: string;

const acceptLogin = (loginChallenge: string, subject: string) => acceptLoginChallenge(hydra, loginChallenge, { subject });
const acceptConsent = (consentChallenge: string) => acceptConsentChallenge(hydra, consentChallenge);
const pollToken = (deviceCode: string) => pollDeviceToken(hydra, device, deviceCode);

/** A browser authorization of `browserClient` up to its login challenge. */
async function browserAtLogin(browser: TestBrowser, state: string): Promise<string> {
  return challengeAt(browser, authorizeUrl(hydra, browserClient, { state }), "login");
}

/** The same verifier URL on /oauth2/device/verify (its query kept). */
function onDeviceEndpoint(verifierUrl: string): string {
  const moved = new URL("oauth2/device/verify", hydra.publicUrl);
  moved.search = new URL(verifierUrl).search;
  return moved.href;
}

beforeAll(async () => {
  ({ postgres, hydra, client: device } = await startDeviceSuite());
  browserClient = (await createClient(hydra, { redirect_uris: [REDIRECT_URI], scope: "openid", grant_types: ["authorization_code"] })).id;
});

afterAll(() => stopHydraAndPostgres(hydra, postgres));

describe("a rejected device authorization approved later (oauth2/handler.go performOAuth2DeviceVerificationFlow)", () => {
  it("approves the device code from a flow started before the rejection: a rejection is never stored on the device code", async () => {
    // Hydra v26.2 never sets fosite.UserCodeRejected (only rfc8628 token_handler.go reads it): a rejected login or
    // consent is written to the browser (verifyAuthentication, verifyConsent) and the device code session is untouched;
    // UpdateDeviceCodeSessionBySignature later overwrites the session of the one device_auth_codes row.
    // Two browsers: each consent request sets the client's one consent CSRF cookie, so one browser would refuse the earlier.
    const codes = await startDeviceAuthorization(hydra, device);
    const first = new TestBrowser();
    const firstVerifier = await acceptDeviceChallenge(
      hydra,
      await deviceChallengeAt(first, codes.verification_uri_complete),
      codes.user_code,
    );
    const earlierLogin = await challengeAt(first, firstVerifier, "login");
    const earlierConsent = await challengeAt(first, await acceptLogin(earlierLogin, "earlier-user"), "consent");

    const second = new TestBrowser();
    const secondVerifier = await acceptDeviceChallenge(
      hydra,
      await deviceChallengeAt(second, codes.verification_uri_complete),
      codes.user_code,
    );
    const laterConsent = await challengeAt(
      second,
      await acceptLogin(await challengeAt(second, secondVerifier, "login"), "later-user"),
      "consent",
    );
    const { data: rejected } = await hydra.admin.rejectOAuth2ConsentRequest({
      consentChallenge: laterConsent,
      rejectOAuth2Request: { error: "access_denied", error_description: "No." },
    });
    // Without a status_code the rejection is written with SetDefaults' 400 (flow/consent_types.go), whatever its name.
    expect(await followVerifier(second, rejected.redirect_to)).toEqual({
      status: 400,
      body: { error: "access_denied", error_description: "No." },
    });
    const { data: loginRejected } = await hydra.admin.rejectOAuth2LoginRequest({
      loginChallenge: await challengeAt(second, secondVerifier, "login"),
      rejectOAuth2Request: { error: "access_denied" },
    });
    expect((await followVerifier(second, loginRejected.redirect_to)).status).toBe(400);
    const deviceCode = codes.device_code;
    expect((await pollToken(deviceCode)).body.error).toBe("authorization_pending");

    expect(await followVerifier(first, await acceptConsent(earlierConsent))).toEqual({ status: 302, at: DEVICE_SUCCESS_UI });
    const tokens = await pollToken(deviceCode);
    expect(tokens.status).toBe(200);
    expect(decodeJwtPayload(String(tokens.body.id_token)).sub).toBe("earlier-user");
  });
});

describe("a browser authorization's consent verifier at /oauth2/device/verify (strategy_default.go verifyConsent, GetDeviceCodeSessionByRequestID)", () => {
  it("stores the consent session, then answers not_found; the verifier is then used up at /oauth2/auth", async () => {
    const browser = new TestBrowser();
    const consentChallenge = await challengeAt(
      browser,
      await acceptLogin(await browserAtLogin(browser, "moved-state"), "moved-user"),
      "consent",
    );
    const consentVerifierUrl = await acceptConsent(consentChallenge);
    expect(await followVerifier(browser, onDeviceEndpoint(consentVerifierUrl))).toEqual({ status: 404, body: NOT_FOUND });
    // CreateConsentSession ran: the verifier's own endpoint meets its unique key.
    const back = await browser.navigate(consentVerifierUrl, startsWith(REDIRECT_URI, ERROR_UI, LOGIN_UI, CONSENT_UI));
    expect(`${back.url.origin}${back.url.pathname}`).toBe(REDIRECT_URI);
    expect(back.url.searchParams.get("error")).toBe("access_denied");
    expect(back.url.searchParams.get("error_description")).toBe(CONSENT_USED);
  });

  it("checks client_id, the rejection and the CSRF cookie first, as for a device flow", async () => {
    const browser = new TestBrowser();
    const consentChallenge = await challengeAt(
      browser,
      await acceptLogin(await browserAtLogin(browser, "checks-state"), "checks-user"),
      "consent",
    );
    const consentVerifierUrl = await acceptConsent(consentChallenge);
    const swapped = new URL(onDeviceEndpoint(consentVerifierUrl));
    swapped.searchParams.set("client_id", device.id);
    expect(await followVerifier(browser, swapped.href)).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    // Another browser (no consent CSRF cookie): the consent session is stored, then the cookie check refuses.
    expect(await followVerifier(new TestBrowser(), onDeviceEndpoint(consentVerifierUrl))).toMatchObject({
      status: 403,
      body: { error: "request_forbidden" },
    });
    expect(await followVerifier(browser, onDeviceEndpoint(consentVerifierUrl))).toMatchObject({
      status: 403,
      body: { error: "access_denied", error_description: CONSENT_USED },
    });
  });
});

describe("the verification URL's own parameters (HandleOAuth2DeviceAuthorizationRequest: ar.Form = r.Form, never parsed)", () => {
  it("ignores prompt=none, prompt=login, max_age and id_token_hint: a fresh login without a remembered one, a skipped one with it", async () => {
    const browser = new TestBrowser();
    const { deviceVerifierUrl } = await deviceAtLogin(hydra, device, browser);
    const noneWithoutLogin = await challengeAt(browser, `${deviceVerifierUrl}&prompt=none&id_token_hint=not-a-token`, "login");
    expect((await hydra.admin.getOAuth2LoginRequest({ loginChallenge: noneWithoutLogin })).data).toMatchObject({
      skip: false,
      subject: "",
    });

    const { data: remembered } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge: noneWithoutLogin,
      acceptOAuth2LoginRequest: { subject: "remembered-user", remember: true },
    });
    await challengeAt(browser, remembered.redirect_to, "consent");
    const fresh = await challengeAt(browser, `${deviceVerifierUrl}&prompt=login&max_age=0`, "login");
    expect((await hydra.admin.getOAuth2LoginRequest({ loginChallenge: fresh })).data).toMatchObject({
      skip: true,
      subject: "remembered-user",
    });
  });
});

describe("a device verifier brought back with another client's id (HandleOAuth2DeviceAuthorizationRequest, forwardAuthenticationRequest)", () => {
  it("opens the device flow's login request (its client), the login CSRF cookie named after the URL's client", async () => {
    const other = await createDeviceClient(hydra);
    const browser = new TestBrowser();
    const { deviceVerifierUrl } = await deviceAtLogin(hydra, device, browser);
    const swapped = new URL(deviceVerifierUrl);
    swapped.searchParams.set("client_id", other.id);
    const loginChallenge = await challengeAt(browser, swapped.href, "login");
    expect((await hydra.admin.getOAuth2LoginRequest({ loginChallenge })).data.client?.client_id).toBe(device.id);
    // verifyAuthentication looks for the cookie of the flow's client, which this login never set.
    const loginVerifierUrl = await acceptLogin(loginChallenge, "swapped-user");
    expect(await followVerifier(browser, loginVerifierUrl)).toMatchObject({ status: 403, body: { error: "request_forbidden" } });
  });

  it("answers a rejected device login brought back with another client's id with the rejection (verifyAuthentication before forwardConsentRequest)", async () => {
    const other = await createDeviceClient(hydra);
    const browser = new TestBrowser();
    const { loginChallenge } = await deviceAtLogin(hydra, device, browser);
    const { data } = await hydra.admin.rejectOAuth2LoginRequest({
      loginChallenge,
      rejectOAuth2Request: { error: "access_denied", error_description: "Not me." },
    });
    const swapped = new URL(data.redirect_to);
    swapped.searchParams.set("client_id", other.id);
    expect(await followVerifier(browser, swapped.href)).toEqual({
      status: 400,
      body: { error: "access_denied", error_description: "Not me." },
    });
  });
});

describe("a remembered consent in the device flow (strategy_default.go requestConsent, matchScopes)", () => {
  it("skips the consent request of a confidential client for any remembered consent: the stand-in request asks for no scope", async () => {
    const wide: DeviceClient = await createClient(hydra, {
      grant_types: [DEVICE_GRANT],
      scope: "openid offline",
      token_endpoint_auth_method: "client_secret_post",
    });
    const browser = new TestBrowser();
    const start = async (scope: string) => {
      const response = await fetch(`${hydra.publicUrl}oauth2/device/auth`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: wide.id, client_secret: wide.secret, scope }),
      });
      const codes = (await response.json()) as { user_code: string; verification_uri_complete: string };
      return acceptDeviceChallenge(hydra, await deviceChallengeAt(browser, codes.verification_uri_complete), codes.user_code);
    };
    const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge: await challengeAt(browser, await start("openid"), "login"),
      acceptOAuth2LoginRequest: { subject: "consenting-user", remember: true },
    });
    const first = await challengeAt(browser, login.redirect_to, "consent");
    const { data: consent } = await hydra.admin.acceptOAuth2ConsentRequest({
      consentChallenge: first,
      acceptOAuth2ConsentRequest: { grant_scope: ["openid"], remember: true },
    });
    expect(await followVerifier(browser, consent.redirect_to)).toEqual({ status: 302, at: DEVICE_SUCCESS_UI });

    const { data: skippedLogin } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge: await challengeAt(browser, await start("openid offline"), "login"),
      acceptOAuth2LoginRequest: { subject: "consenting-user" },
    });
    const second = await challengeAt(browser, skippedLogin.redirect_to, "consent");
    expect((await hydra.admin.getOAuth2ConsentRequest({ consentChallenge: second })).data).toMatchObject({
      skip: true,
      requested_scope: ["openid", "offline"],
    });
  });
});

describe("the verification URL kept for the device flow (strategy_default.go forwardDeviceRequest, helper.go caseInsensitiveFilterParam)", () => {
  it("masks every spelling of user_code as '****' and re-encodes the query as url.Values.Encode", async () => {
    const codes = await startDeviceAuthorization(hydra, device);
    const browser = new TestBrowser();
    const opened = `${codes.verification_uri_complete}&User_Code=x&User_Code=y&z=a*b~c`;
    const deviceChallenge = await deviceChallengeAt(browser, opened);
    const redirectTo = await acceptDeviceChallenge(hydra, deviceChallenge, codes.user_code);
    const verifier = new URL(redirectTo).searchParams.get("device_verifier") ?? "";
    expect(redirectTo).toBe(
      `${hydra.publicUrl}oauth2/device/verify?User_Code=%2A%2A%2A%2A&client_id=${device.id}&device_verifier=${verifier}&user_code=%2A%2A%2A%2A&z=a%2Ab~c`,
    );
    const loginChallenge = await challengeAt(browser, redirectTo, "login");
    expect((await hydra.admin.getOAuth2LoginRequest({ loginChallenge })).data.request_url).toBe(
      `${hydra.publicUrl}oauth2/device/verify?User_Code=%2A%2A%2A%2A&client_id=${device.id}&user_code=%2A%2A%2A%2A&z=a%2Ab~c`,
    );
  });
});
