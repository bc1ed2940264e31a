import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import {
  acceptDeviceChallenge,
  acceptUserCode,
  challengeAt,
  deviceChallengeAt,
  startDeviceAuthorization,
  startDeviceSuite,
  type DeviceClient,
} from "./testing/device";
import { runCleanup, startHydraWithTtl, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/**
 * How long the device flow's challenges live. Hydra's challenges are the
 * flow, encrypted (flow/flow_encoding.go decodeFlow): one past
 * `RequestedAt + ttl.login_consent_request` is `request_unauthorized` "The
 * … request has expired, please try again." (401), however long ago, and
 * only text it never issued is x.ErrNotFound (404).
 * consent/strategy_default.go sets RequestedAt when the device challenge is
 * made (forwardDeviceRequest) and again when the device's login request is
 * made (requestAuthentication, "Device auth grant" branch); the consent
 * request is the same flow (forwardConsentRequest → ToStateConsentUnused
 * keeps RequestedAt), so it expires with its login request.
 */
const TTL_SECONDS = 6;
const expired = (kind: string) => `The request could not be authorized. The ${kind} request has expired, please try again.`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let postgres: TestPostgres;
let hydra: HydraUnderTest;
let client: DeviceClient;

async function adminGet(kind: "login" | "consent", challenge: string): Promise<{ status: number; body: unknown }> {
  const url = new URL(`admin/oauth2/auth/requests/${kind}`, hydra.adminUrl);
  url.searchParams.set(`${kind}_challenge`, challenge);
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  ({ postgres, hydra, client } = await startDeviceSuite((server) =>
    startHydraWithTtl(server, { login_consent_request: `${TTL_SECONDS}s` }),
  ));
});
afterAll(() => stopHydraAndPostgres(hydra, postgres));

describe("an expired device challenge at the admin accept (consent/handler.go acceptUserCodeRequest → flow.DecodeFromDeviceChallenge → decodeFlow)", () => {
  it("is request_unauthorized 401, also once the cleanup deleted it; the user code stays usable", async () => {
    const device = await startDeviceAuthorization(hydra, client);
    const stale = await deviceChallengeAt(new TestBrowser(), device.verification_uri);
    await sleep((TTL_SECONDS + 1.2) * 1000);

    const late = await acceptUserCode(hydra, stale, device.user_code);
    expect(late).toEqual({ status: 401, body: { error: "request_unauthorized", error_description: expired("device") } });
    await runCleanup(hydra);
    const cleaned = await acceptUserCode(hydra, stale, device.user_code);
    expect(cleaned).toEqual({ status: 401, body: { error: "request_unauthorized", error_description: expired("device") } });

    // Text never issued as a device challenge does not decode: x.ErrNotFound.
    const notFound = { status: 404, body: { error: "Not Found", error_description: "Unable to locate the requested resource" } };
    expect(await acceptUserCode(hydra, "no-such-challenge", device.user_code)).toEqual(notFound);
    const edited = stale.slice(0, 30) + (stale[30] === "A" ? "B" : "A") + stale.slice(31);
    expect(await acceptUserCode(hydra, edited, device.user_code)).toEqual(notFound);

    // The challenge is decoded before the user code is looked at: the code was not used up.
    const fresh = await deviceChallengeAt(new TestBrowser(), device.verification_uri);
    expect(await acceptDeviceChallenge(hydra, fresh, device.user_code)).toContain("device_verifier=");
  });
});

describe("device login and consent request lifespans (consent/strategy_default.go requestAuthentication, forwardConsentRequest)", () => {
  it("gives the device's login request a fresh lifespan and lets its consent request expire with it", async () => {
    const device = await startDeviceAuthorization(hydra, client);
    const browser = new TestBrowser();
    const deviceChallenge = await deviceChallengeAt(browser, device.verification_uri_complete);
    // The device challenge expires at the latest TTL after this; the login request is made 3 s later.
    const challengeSeen = Date.now();
    await sleep(3000);
    const deviceVerifierUrl = await acceptDeviceChallenge(hydra, deviceChallenge, device.user_code);
    const loginChallenge = await challengeAt(browser, deviceVerifierUrl, "login");
    const loginStarted = Date.now();
    const { data: login } = await hydra.admin.acceptOAuth2LoginRequest({
      loginChallenge,
      acceptOAuth2LoginRequest: { subject: "device-expiry-user" },
    });
    // Past the device challenge's expiry (its verifier is refused), the login request (RequestedAt reset) is live.
    await sleep(challengeSeen + TTL_SECONDS * 1000 + 300 - Date.now());
    const staleDevice = await browser.request(deviceVerifierUrl);
    const staleBody: unknown = await staleDevice.json();
    expect({ status: staleDevice.status, body: staleBody }).toEqual({
      status: 401,
      body: { error: "request_unauthorized", error_description: expired("device") },
    });
    expect((await adminGet("login", loginChallenge)).status).toBe(200);
    const consentChallenge = await challengeAt(browser, login.redirect_to, "consent");
    expect((await adminGet("consent", consentChallenge)).status).toBe(200);

    // The consent request started late: it expires when its login request does, not a full TTL later.
    await sleep(loginStarted + (TTL_SECONDS + 1.2) * 1000 - Date.now());
    expect(await adminGet("consent", consentChallenge)).toEqual({
      status: 401,
      body: { error: "request_unauthorized", error_description: expired("consent") },
    });
  });
});
