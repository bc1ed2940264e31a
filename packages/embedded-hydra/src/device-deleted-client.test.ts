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
  startDeviceAuthorization,
  type DeviceClient,
} from "./testing/device";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";

/**
 * A device flow whose client is deleted part-way. Hydra's device code rows
 * go with the client (persistence/sql/migrations/
 * 20241609000001000000_device_flow.postgres.up.sql: hydra_oauth2_device_auth_codes
 * references hydra_client ON DELETE CASCADE); every later step looks the
 * client up again and fails on it.
 */
const INVALID_CLIENT =
  "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).";
const NO_CACHE_NEGRONI = "private, no-cache, no-store, must-revalidate";

let pg: TestPostgres;
let hydra: HydraUnderTest;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
});
afterAll(() => stopHydraAndPostgres(hydra, pg));

async function deleteClient(client: DeviceClient): Promise<void> {
  const response = await fetch(`${hydra.adminUrl}admin/clients/${client.id}`, { method: "DELETE" });
  expect(response.status).toBe(204);
}

async function poll(client: DeviceClient, deviceCode: string, withSecret = true) {
  const form = new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: client.id });
  if (withSecret) form.set("client_secret", client.secret);
  const response = await fetch(`${hydra.publicUrl}oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** fosite/client_authentication.go DefaultClientAuthenticationStrategy: GetClient fails → ErrInvalidClient, written by access_error.go writeJsonError. */
function expectInvalidClientAtToken(answer: Awaited<ReturnType<typeof poll>>): void {
  expect(answer.status).toBe(401);
  expect(answer.body).toBe(JSON.stringify({ error: "invalid_client", error_description: INVALID_CLIENT }));
  expect(answer.headers.get("cache-control")).toBe("no-store");
  expect(answer.headers.get("pragma")).toBe("no-cache");
  expect(answer.headers.get("www-authenticate")).toBeNull();
}

/** consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest: GetConcreteClient → ErrInvalidClient "Client does not exist", herodot's JSON. */
async function expectClientGone(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get("location")).toBeNull();
  expect(response.headers.get("cache-control")).toBe(NO_CACHE_NEGRONI);
  expect(JSON.parse(await response.text())).toEqual({
    error: "invalid_client",
    error_description: `${INVALID_CLIENT} Client does not exist`,
  });
}

async function acceptLoginAt(loginChallenge: string): Promise<string> {
  const response = await fetch(
    `${hydra.adminUrl}admin/oauth2/auth/requests/login/accept?login_challenge=${encodeURIComponent(loginChallenge)}`,
    { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ subject: "device-user" }) },
  );
  return ((await response.json()) as { redirect_to: string }).redirect_to;
}

async function acceptConsentAt(consentChallenge: string): Promise<string> {
  const response = await fetch(
    `${hydra.adminUrl}admin/oauth2/auth/requests/consent/accept?consent_challenge=${encodeURIComponent(consentChallenge)}`,
    { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_scope: ["openid"] }) },
  );
  return ((await response.json()) as { redirect_to: string }).redirect_to;
}

describe("a device flow whose client was deleted", () => {
  it("before the user code was accepted: the user code session is gone, the device's poll is invalid_client", async () => {
    const client = await createDeviceClient(hydra);
    const device = await startDeviceAuthorization(hydra, client);
    const deviceChallenge = await deviceChallengeAt(new TestBrowser(), device.verification_uri_complete);
    await deleteClient(client);
    // consent/handler.go acceptUserCodeRequest: GetUserCodeSession fails.
    const accept = await fetch(
      `${hydra.adminUrl}admin/oauth2/auth/requests/device/accept?device_challenge=${encodeURIComponent(deviceChallenge)}`,
      { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_code: device.user_code }) },
    );
    expect(accept.status).toBe(400);
    expect(await accept.json()).toEqual({
      error: "invalid_request",
      error_description:
        "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. The 'user_code' session could not be found or has expired or is otherwise malformed.",
    });
    expectInvalidClientAtToken(await poll(client, device.device_code));
  });

  it("before the device verifier was followed: invalid_client, no login request", async () => {
    const client = await createDeviceClient(hydra);
    const device = await startDeviceAuthorization(hydra, client);
    const browser = new TestBrowser();
    const deviceVerifierUrl = await acceptDeviceChallenge(
      hydra,
      await deviceChallengeAt(browser, device.verification_uri_complete),
      device.user_code,
    );
    await deleteClient(client);
    await expectClientGone(await browser.request(deviceVerifierUrl));
  });

  it("between login and consent: the login verifier is invalid_client, and so is the poll", async () => {
    const client = await createDeviceClient(hydra);
    const browser = new TestBrowser();
    const { deviceCode, loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const loginVerifierUrl = await acceptLoginAt(loginChallenge);
    await deleteClient(client);
    await expectClientGone(await browser.request(loginVerifierUrl));
    expectInvalidClientAtToken(await poll(client, deviceCode));
  });

  it("before the consent verifier was followed: invalid_client, the device gets no token", async () => {
    const client = await createDeviceClient(hydra);
    const browser = new TestBrowser();
    const { deviceCode, loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const consentVerifierUrl = await acceptConsentAt(await challengeAt(browser, await acceptLoginAt(loginChallenge), "consent"));
    await deleteClient(client);
    await expectClientGone(await browser.request(consentVerifierUrl));
    expectInvalidClientAtToken(await poll(client, deviceCode));
  });

  it("after the user approved, before the device's poll: invalid_client with or without the secret", async () => {
    const client = await createDeviceClient(hydra);
    const browser = new TestBrowser();
    const { deviceCode, loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const consentVerifierUrl = await acceptConsentAt(await challengeAt(browser, await acceptLoginAt(loginChallenge), "consent"));
    const done = await browser.request(consentVerifierUrl);
    expect(done.headers.get("location")).toBe(`${DEVICE_SUCCESS_UI}?client_id=${client.id}`);
    await deleteClient(client);
    expectInvalidClientAtToken(await poll(client, deviceCode));
    expectInvalidClientAtToken(await poll(client, deviceCode, false));
  });
});
