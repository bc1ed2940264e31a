import type { TestBrowser } from "./browser";
import { createClient } from "./clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./harness";
import { CONSENT_UI, LOGIN_UI, startsWith } from "./sign-in";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
export const DEVICE_UI = "http://ciam.localhost:3000/device";
export const DEVICE_SUCCESS_UI = "http://ciam.localhost:3000/device/success";

export interface DeviceClient {
  id: string;
  secret: string;
}

/** A confidential client of the device grant (client_secret_post). */
export function createDeviceClient(hydra: HydraUnderTest): Promise<DeviceClient> {
  return createClient(hydra, { grant_types: [DEVICE_GRANT], scope: "openid", token_endpoint_auth_method: "client_secret_post" });
}

/**
 * A confidential client of client_credentials and the device grant (scope
 * `jobs.run openid`) authenticating at the token endpoint with `method`: the
 * client the token endpoints' wire-format tests send as.
 */
export function createMachineClient(hydra: HydraUnderTest, method: "client_secret_basic" | "client_secret_post"): Promise<DeviceClient> {
  return createClient(hydra, {
    grant_types: ["client_credentials", DEVICE_GRANT],
    scope: "jobs.run openid",
    token_endpoint_auth_method: method,
  });
}

/** What the device tests start from: a Postgres server, an instance on it and one device client. */
export interface DeviceSuite {
  postgres: TestPostgres;
  hydra: HydraUnderTest;
  client: DeviceClient;
}

/**
 * Starts a device suite; `start` starts the instance (startHydraWithPostgres'
 * default: the CIAM config). What did start is stopped again when a later
 * step fails.
 */
export async function startDeviceSuite(start?: (postgres: TestPostgres) => Promise<HydraUnderTest>): Promise<DeviceSuite> {
  const { postgres, hydra } = await startHydraWithPostgres(start);
  try {
    return { postgres, hydra, client: await createDeviceClient(hydra) };
  } catch (error) {
    await stopHydraAndPostgres(hydra, postgres);
    throw error;
  }
}

/** `POST /oauth2/device/auth`: the device's codes. */
export async function startDeviceAuthorization(
  hydra: HydraUnderTest,
  client: DeviceClient,
): Promise<{ device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string }> {
  const response = await fetch(`${hydra.publicUrl}oauth2/device/auth`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: client.id, client_secret: client.secret, scope: "openid" }),
  });
  return (await response.json()) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string };
}

/** The browser from the verification URI to the device UI; the device challenge. */
export async function deviceChallengeAt(browser: TestBrowser, verificationUri: string): Promise<string> {
  const { url } = await browser.navigate(verificationUri, startsWith(DEVICE_UI));
  return url.searchParams.get("device_challenge") ?? "";
}

/** `PUT /admin/oauth2/auth/requests/device/accept`: the status and JSON body it answers. */
export async function acceptUserCode(
  hydra: HydraUnderTest,
  deviceChallenge: string,
  userCode: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(
    `${hydra.adminUrl}admin/oauth2/auth/requests/device/accept?device_challenge=${encodeURIComponent(deviceChallenge)}`,
    { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_code: userCode }) },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `PUT /admin/oauth2/auth/requests/device/accept`: the `redirect_to` carrying a device verifier. */
export async function acceptDeviceChallenge(hydra: HydraUnderTest, deviceChallenge: string, userCode: string): Promise<string> {
  const { status, body } = await acceptUserCode(hydra, deviceChallenge, userCode);
  if (typeof body.redirect_to !== "string" || !body.redirect_to) throw new Error(`device accept answered ${status}`);
  return body.redirect_to;
}

/** `POST /oauth2/token` with the device_code grant, the client authenticated by client_secret_post. */
export async function pollDeviceToken(
  hydra: HydraUnderTest,
  client: DeviceClient,
  deviceCode: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${hydra.publicUrl}oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: client.id, client_secret: client.secret }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Where a verifier URL sends the browser next: the login or consent challenge it opened. */
export async function challengeAt(browser: TestBrowser, url: string, ui: "login" | "consent"): Promise<string> {
  const at = await browser.navigate(url, startsWith(ui === "login" ? LOGIN_UI : CONSENT_UI));
  return at.url.searchParams.get(`${ui}_challenge`) ?? "";
}

/** A device authorization up to its login request: the device code, the device verifier URL, the browser's login challenge. */
export async function deviceAtLogin(
  hydra: HydraUnderTest,
  client: DeviceClient,
  browser: TestBrowser,
): Promise<{ deviceCode: string; deviceVerifierUrl: string; loginChallenge: string }> {
  const device = await startDeviceAuthorization(hydra, client);
  const deviceChallenge = await deviceChallengeAt(browser, device.verification_uri_complete);
  const deviceVerifierUrl = await acceptDeviceChallenge(hydra, deviceChallenge, device.user_code);
  return { deviceCode: device.device_code, deviceVerifierUrl, loginChallenge: await challengeAt(browser, deviceVerifierUrl, "login") };
}
