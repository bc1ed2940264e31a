import { z } from "zod";
import { expect, expectAccessible, test, uniqueEmail } from "./support/fixtures";
import { createCustomer } from "./support/identities";
import type { DomainEndpoints } from "./support/stack";
import { submitPassword } from "./support/ui";

const PASSWORD = "device-flow-pass-77";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

const deviceAuthorization = z.object({
  device_code: z.string(),
  user_code: z.string(),
  verification_uri: z.string(),
  verification_uri_complete: z.string(),
  expires_in: z.number(),
  interval: z.number(),
});
const tokenAnswer = z.object({
  access_token: z.string().optional(),
  id_token: z.string().optional(),
  error: z.string().optional(),
});

/** A TV app: a public client with only the device grant (it has no browser to redirect). */
async function createDeviceClient(domain: DomainEndpoints): Promise<string> {
  const response = await fetch(`${domain.hydraAdmin}/admin/clients`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${domain.adminToken}` },
    body: JSON.stringify({
      client_name: "Living-room TV",
      grant_types: [DEVICE_GRANT],
      scope: "openid email profile",
      token_endpoint_auth_method: "none",
    }),
  });
  if (response.status !== 201) throw new Error(`creating device client failed: ${response.status} ${await response.text()}`);
  return z.object({ client_id: z.string() }).parse(await response.json()).client_id;
}

/** A TV app that keeps a secret (client_secret_post): Hydra lets a confidential client's device flow skip consent. */
async function createConfidentialDeviceClient(domain: DomainEndpoints): Promise<{ clientId: string; secret: string }> {
  const response = await fetch(`${domain.hydraAdmin}/admin/clients`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${domain.adminToken}` },
    body: JSON.stringify({
      client_name: "Bedroom TV",
      grant_types: [DEVICE_GRANT],
      scope: "openid email profile",
      token_endpoint_auth_method: "client_secret_post",
    }),
  });
  if (response.status !== 201) throw new Error(`creating device client failed: ${response.status} ${await response.text()}`);
  const client = z.object({ client_id: z.string(), client_secret: z.string() }).parse(await response.json());
  return { clientId: client.client_id, secret: client.client_secret };
}

/** What the device sends: form posts to Hydra's public port (127.0.0.1: Node cannot resolve *.localhost). */
async function devicePost(domain: DomainEndpoints, path: string, form: Record<string, string>): Promise<unknown> {
  const response = await fetch(`${domain.hydraPublic}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return response.json();
}

function poll(domain: DomainEndpoints, clientId: string, deviceCode: string) {
  return devicePost(domain, "/oauth2/token", { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId }).then((body) =>
    tokenAnswer.parse(body),
  );
}

function idTokenSubject(idToken: string): unknown {
  return (JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8")) as { sub?: unknown }).sub;
}

test.describe("Hera CIAM as the device flow's verification page (RFC 8628)", () => {
  test("a TV starts the flow, the person enters its code on Hera, signs in, allows it, and the TV gets tokens", async ({ page, stack }) => {
    const email = uniqueEmail("device");
    const identityId = await createCustomer(stack.ciam, email, PASSWORD);
    const clientId = await createDeviceClient(stack.ciam);

    const device = deviceAuthorization.parse(
      await devicePost(stack.ciam, "/oauth2/device/auth", { client_id: clientId, scope: "openid email profile" }),
    );
    expect(await poll(stack.ciam, clientId, device.device_code)).toMatchObject({ error: "authorization_pending" });

    // The person types the verification URI the TV shows (without the code) and gets Hera's form.
    await page.goto(device.verification_uri);
    await expect(page).toHaveURL(/\/device\?device_challenge=/);
    await expect(page.getByTestId("device-user-code")).toHaveValue("");
    await expectAccessible(page, "device");

    // A wrong code is refused with a clear sentence, and the form stays usable.
    await page.getByTestId("device-user-code").fill("WRONGCODE");
    await page.getByTestId("device-submit").click();
    await expect(page.getByTestId("device-error")).toContainText("That code is not valid");

    await page.getByTestId("device-user-code").fill(device.user_code);
    await page.getByTestId("device-submit").click();
    await expect(page).toHaveURL(/\/login\?flow=/);
    await submitPassword(page, email, PASSWORD);

    await expect(page).toHaveURL(/\/consent\?consent_challenge=/);
    await expect(page.getByTestId("consent-client")).toHaveText("Living-room TV");
    await page.getByTestId("consent-allow").click();

    await expect(page).toHaveURL(/\/device\/success\?client_id=/);
    await expect(page.getByTestId("device-success")).toBeVisible();

    const tokens = await poll(stack.ciam, clientId, device.device_code);
    expect(tokens.error).toBeUndefined();
    expect(tokens.access_token).toBeTruthy();
    expect(idTokenSubject(tokens.id_token ?? "")).toBe(identityId);
  });
});

test.describe("a remembered device consent is not stretched to scopes the person never granted", () => {
  // Hydra v26.2.0 consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest passes requestConsent a request
  // without the device's scopes, so any remembered consent of a confidential client marks the next device consent
  // `skip: true`, however much it asks for. Hera must ask again rather than grant the wider request on that skip.
  test("a TV remembered for `openid` asking for `openid email` gets the consent page, not the scopes", async ({ page, stack }) => {
    const email = uniqueEmail("device-skip");
    await createCustomer(stack.ciam, email, PASSWORD);
    const tv = await createConfidentialDeviceClient(stack.ciam);
    const authorize = (scope: string) =>
      devicePost(stack.ciam, "/oauth2/device/auth", { client_id: tv.clientId, client_secret: tv.secret, scope }).then((body) =>
        deviceAuthorization.parse(body),
      );

    const first = await authorize("openid");
    await page.goto(first.verification_uri_complete);
    await page.getByTestId("device-submit").click();
    await expect(page).toHaveURL(/\/login\?flow=/);
    await submitPassword(page, email, PASSWORD);
    await expect(page).toHaveURL(/\/consent\?consent_challenge=/);
    await page.getByTestId("consent-remember").check();
    await page.getByTestId("consent-allow").click();
    await expect(page.getByTestId("device-success")).toBeVisible();

    const wider = await authorize("openid email");
    await page.goto(wider.verification_uri_complete);
    await page.getByTestId("device-submit").click();
    // Whether Hera asks for the password again depends on the login it remembers; either way consent comes next.
    await page.waitForURL(/\/(login\?flow=|consent\?consent_challenge=)/);
    if (new URL(page.url()).pathname === "/login") await submitPassword(page, email, PASSWORD);
    await expect(page).toHaveURL(/\/consent\?consent_challenge=/);
    await expect(page.getByTestId("consent-client")).toHaveText("Bedroom TV");
    await expect(page.getByTestId("scope-email")).toBeVisible();
  });
});

test.describe("Hera's device page without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the code link from the device is prefilled and the form posts on its own", async ({ page, stack }) => {
    const clientId = await createDeviceClient(stack.ciam);
    const device = deviceAuthorization.parse(
      await devicePost(stack.ciam, "/oauth2/device/auth", { client_id: clientId, scope: "openid email profile" }),
    );
    await page.goto(device.verification_uri_complete);
    await expect(page.getByTestId("device-user-code")).toHaveValue(device.user_code);
    await page.getByTestId("device-submit").click();
    // Accepted: on to Hydra's login (Hera's sign-in form).
    await expect(page).toHaveURL(/\/login(\?|$)/);
  });
});
