import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import {
  challengeAt,
  createDeviceClient,
  DEVICE_GRANT,
  DEVICE_SUCCESS_UI,
  deviceAtLogin,
  pollDeviceToken,
  startDeviceSuite,
  type DeviceClient,
} from "./testing/device";
import { createClient } from "./testing/clients";
import { stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { decodeJwtPayload } from "./testing/oauth";
import { acceptConsentChallenge, acceptLoginChallenge, followVerifier } from "./testing/verifiers";

/**
 * What a consent verifier does to the device code (oauth2/handler.go
 * performOAuth2DeviceVerificationFlow): GetDeviceCodeSessionByRequestID
 * finds the device code session whether or not it was approved before or
 * is past its lifespan (persistence/sql/persister_device.go), and
 * UpdateDeviceCodeSessionBySignature overwrites its subject, session and
 * granted scope; only a code already exchanged (InvalidateDeviceCodeSession
 * deleted it) is fosite.ErrNotFound, written to the browser as
 * `not_found` (404). The token endpoint then answers in fosite's rfc8628
 * order (token_handler.go HandleTokenEndpointRequest).
 */
const INVALID_GRANT =
  "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
const NOT_FOUND = { error: "not_found", error_description: "Could not find the requested resource(s)." };

let postgres: TestPostgres;
let hydra: HydraUnderTest;
let client: DeviceClient;

const acceptLogin = (loginChallenge: string, subject: string) => acceptLoginChallenge(hydra, loginChallenge, { subject });
const acceptConsent = (consentChallenge: string) => acceptConsentChallenge(hydra, consentChallenge);
const pollToken = (deviceCode: string, by: DeviceClient = client) => pollDeviceToken(hydra, by, deviceCode);

/** From a device verifier URL through a login of `subject` to the accepted consent's verifier URL. */
async function consentVerifierFor(browser: TestBrowser, deviceVerifierUrl: string, subject: string): Promise<string> {
  const loginChallenge = await challengeAt(browser, deviceVerifierUrl, "login");
  const consentChallenge = await challengeAt(browser, await acceptLogin(loginChallenge, subject), "consent");
  return acceptConsent(consentChallenge);
}

/** Moves a device code past its lifespan, as if ttl.device_user_code had passed. */
async function expireDeviceCode(deviceCode: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: hydra.dsn });
  try {
    await pool.query(
      `UPDATE oidc_payloads SET expires_at = now() - interval '2 seconds',
         payload = jsonb_set(payload, '{exp}', to_jsonb(floor(extract(epoch FROM now()))::int - 2))
       WHERE model = 'DeviceCode' AND id = $1`,
      [deviceCode],
    );
  } finally {
    await pool.end();
  }
}

beforeAll(async () => ({ postgres, hydra, client } = await startDeviceSuite()));
afterAll(() => stopHydraAndPostgres(hydra, postgres));

describe("consent verifiers and the device code (oauth2/handler.go performOAuth2DeviceVerificationFlow)", () => {
  it("approves an approved device code again (the last consent wins) and answers not_found once it was exchanged", async () => {
    const browser = new TestBrowser();
    const { deviceCode, deviceVerifierUrl, loginChallenge } = await deviceAtLogin(hydra, client, browser);
    const consentChallenge = await challengeAt(browser, await acceptLogin(loginChallenge, "first-user"), "consent");
    expect(await followVerifier(browser, await acceptConsent(consentChallenge))).toEqual({ status: 302, at: DEVICE_SUCCESS_UI });
    // The device verifier followed again: another login (another flow, so CreateConsentSession's key does not meet it).
    const second = await consentVerifierFor(browser, deviceVerifierUrl, "second-user");
    expect(await followVerifier(browser, second)).toEqual({ status: 302, at: DEVICE_SUCCESS_UI });

    const tokens = await pollToken(deviceCode);
    expect(tokens.status).toBe(200);
    expect(decodeJwtPayload(String(tokens.body.id_token)).sub).toBe("second-user");
    // InvalidateDeviceCodeSession deleted the session: GetDeviceCodeSessionByRequestID's fosite.ErrNotFound.
    const third = await consentVerifierFor(browser, deviceVerifierUrl, "third-user");
    expect(await followVerifier(browser, third)).toEqual({ status: 404, body: NOT_FOUND });
  });

  it("approves a device code past its lifespan, which the device is then told has expired (ValidateDeviceCode)", async () => {
    const browser = new TestBrowser();
    const { deviceCode, deviceVerifierUrl } = await deviceAtLogin(hydra, client, browser);
    const consentVerifier = await consentVerifierFor(browser, deviceVerifierUrl, "late-user");
    expect(await pollToken(deviceCode)).toMatchObject({ status: 400, body: { error: "authorization_pending" } });
    await expireDeviceCode(deviceCode);
    expect(await followVerifier(browser, consentVerifier)).toEqual({ status: 302, at: DEVICE_SUCCESS_UI });
    const late = await pollToken(deviceCode);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe("expired_token");
    expect(String(late.body.error_description)).toMatch(/Device code expired at '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC'\.$/);
  });
});

describe("the device_code grant's refusals (fosite rfc8628 token_handler.go HandleTokenEndpointRequest)", () => {
  it("answers an absent or empty device_code as an unknown one (invalid_grant) and a client without the grant with validateGrantTypes' hint", async () => {
    const post = async (by: DeviceClient, form: Record<string, string>) => {
      const response = await fetch(`${hydra.publicUrl}oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: DEVICE_GRANT, client_id: by.id, client_secret: by.secret, ...form }),
      });
      const body: unknown = await response.json();
      return { status: response.status, body };
    };
    // deviceCode() signs "" as "": GetDeviceCodeSession finds nothing, session() answers ErrInvalidGrant without a hint.
    const unknown = { status: 400, body: { error: "invalid_grant", error_description: INVALID_GRANT } };
    expect(await post(client, {})).toEqual(unknown);
    expect(await post(client, { device_code: "" })).toEqual(unknown);
    expect(await post(client, { device_code: "ory_dc_unknown.code" })).toEqual(unknown);
    const withoutGrant = await createClient(hydra, {
      grant_types: ["client_credentials"],
      token_endpoint_auth_method: "client_secret_post",
    });
    expect(await post(withoutGrant, {})).toEqual({
      status: 400,
      body: {
        error: "unauthorized_client",
        error_description:
          "The client is not authorized to request a token using this method. The OAuth 2.0 Client is not allowed to use authorization grant 'urn:ietf:params:oauth:grant-type:device_code'.",
      },
    });
  });

  it("for another client is authorization_pending before approval and invalid_grant with fosite's hint after it", async () => {
    const other = await createDeviceClient(hydra);
    const browser = new TestBrowser();
    const { deviceCode, deviceVerifierUrl } = await deviceAtLogin(hydra, client, browser);
    // session() answers the user code state before the client is compared.
    expect(await pollToken(deviceCode, other)).toMatchObject({ status: 400, body: { error: "authorization_pending" } });
    expect(await followVerifier(browser, await consentVerifierFor(browser, deviceVerifierUrl, "other-client-user"))).toEqual({
      status: 302,
      at: DEVICE_SUCCESS_UI,
    });
    expect(await pollToken(deviceCode, other)).toEqual({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description: `${INVALID_GRANT} The OAuth 2.0 Client ID from this request does not match the one from the authorize request.`,
      },
    });
    // The rightful client still gets its tokens.
    expect((await pollToken(deviceCode)).status).toBe(200);
  });
});
