import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import {
  acceptDeviceChallenge,
  challengeAt,
  DEVICE_SUCCESS_UI,
  deviceAtLogin,
  deviceChallengeAt,
  pollDeviceToken,
  startDeviceAuthorization,
  startDeviceSuite,
  type DeviceClient,
} from "./testing/device";
import { stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { acceptConsentChallenge, acceptLoginChallenge, followVerifier } from "./testing/verifiers";

/**
 * The device flow's verifiers are Hydra's encrypted flows as the browser's
 * are (consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest):
 * verifyDevice, verifyAuthentication and verifyConsent decode them again
 * each time (flow/flow_encoding.go DecodeAndInvalidate… changes only the
 * decoded copy), so a device or login verifier works as often as it is
 * followed, a challenge accepted again hands out another working verifier,
 * and only CreateConsentSession's unique key (the flow, keyed by its login
 * challenge) lets a login's consent take effect once.
 */
const CONSENT_USED = {
  error: "access_denied",
  error_description: "The resource owner or authorization server denied the request. The consent verifier has already been used.",
};

let pg: TestPostgres;
let hydra: HydraUnderTest;
let client: DeviceClient;

const acceptLogin = (loginChallenge: string) =>
  acceptLoginChallenge(hydra, loginChallenge, { subject: "device-reuse-user", remember: true });
const acceptConsent = (consentChallenge: string) => acceptConsentChallenge(hydra, consentChallenge);
const pollToken = async (deviceCode: string) => (await pollDeviceToken(hydra, client, deviceCode)).body;

beforeAll(async () => ({ postgres: pg, hydra, client } = await startDeviceSuite()));
afterAll(() => stopHydraAndPostgres(hydra, pg));

describe("device verifiers followed again (consent/strategy_default.go verifyDevice, flow/flow_encoding.go DecodeAndInvalidateDeviceVerifier)", () => {
  it("a device verifier opens a new login request each time it is followed next to the device CSRF cookie", async () => {
    const browser = new TestBrowser();
    const { deviceVerifierUrl, loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const again = await challengeAt(browser, deviceVerifierUrl, "login");
    expect(again).toBeTruthy();
    expect(again).not.toBe(loginChallenge);
  });

  it("a device challenge accepted again hands out another verifier, and the earlier one stays valid (acceptUserCodeRequest)", async () => {
    const browser = new TestBrowser();
    const device = await startDeviceAuthorization(hydra, client);
    const deviceChallenge = await deviceChallengeAt(browser, device.verification_uri_complete);
    const first = await acceptDeviceChallenge(hydra, deviceChallenge, device.user_code);
    expect(await challengeAt(browser, first, "login")).toBeTruthy();
    // HandleDeviceUserAuthRequest takes the challenge (Initialized in the encoded challenge) again.
    const second = await acceptDeviceChallenge(hydra, deviceChallenge, device.user_code);
    expect(second).not.toBe(first);
    expect(await challengeAt(browser, second, "login")).toBeTruthy();
    expect(await challengeAt(browser, first, "login")).toBeTruthy();
  });
});

describe("device login and consent verifiers followed again (consent/strategy_default.go verifyAuthentication, verifyConsent)", () => {
  it("a login verifier opens a new consent request each time it is followed (ConfirmLoginSession upserts)", async () => {
    const browser = new TestBrowser();
    const { loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const loginVerifierUrl = await acceptLogin(loginChallenge);
    const firstConsent = await challengeAt(browser, loginVerifierUrl, "consent");
    const secondConsent = await challengeAt(browser, loginVerifierUrl, "consent");
    expect(firstConsent).toBeTruthy();
    expect(secondConsent).toBeTruthy();
    expect(secondConsent).not.toBe(firstConsent);
  });

  it("a login challenge accepted again after its verifier was followed hands out a verifier that works (acceptOAuth2LoginRequest)", async () => {
    const browser = new TestBrowser();
    const { loginChallenge } = await deviceAtLogin(hydra, client, browser);
    expect(await challengeAt(browser, await acceptLogin(loginChallenge), "consent")).toBeTruthy();
    expect(await challengeAt(browser, await acceptLogin(loginChallenge), "consent")).toBeTruthy();
  });

  it("a consent verifier takes effect once; followed again it is access_denied 'already been used' (CreateConsentSession)", async () => {
    const browser = new TestBrowser();
    const { deviceCode, loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const consentChallenge = await challengeAt(browser, await acceptLogin(loginChallenge), "consent");
    const consentVerifierUrl = await acceptConsent(consentChallenge);
    expect(await followVerifier(browser, consentVerifierUrl)).toEqual({ status: 302, at: DEVICE_SUCCESS_UI });
    expect(await followVerifier(browser, consentVerifierUrl)).toEqual({ status: 403, body: CONSENT_USED });
    // The consent challenge accepted again: a new verifier, which meets the same key.
    expect(await followVerifier(browser, await acceptConsent(consentChallenge))).toEqual({ status: 403, body: CONSENT_USED });
    expect(await pollToken(deviceCode)).toHaveProperty("access_token");
  });

  it("two consent requests of one login: the consent followed first authorizes the device, the other meets its key", async () => {
    const browser = new TestBrowser();
    const { deviceCode, loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const loginVerifierUrl = await acceptLogin(loginChallenge);
    const firstConsent = await challengeAt(browser, loginVerifierUrl, "consent");
    const secondConsent = await challengeAt(browser, loginVerifierUrl, "consent");
    // The second consent request set the client's consent CSRF cookie anew (forwardConsentRequest): it is followed first.
    expect(await followVerifier(browser, await acceptConsent(secondConsent))).toEqual({ status: 302, at: DEVICE_SUCCESS_UI });
    expect(await followVerifier(browser, await acceptConsent(firstConsent))).toEqual({ status: 403, body: CONSENT_USED });
    expect(await pollToken(deviceCode)).toHaveProperty("access_token");
  });
});
