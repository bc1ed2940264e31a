import type { Page } from "@playwright/test";
import { z } from "zod";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { CiamApi, tokenResponse } from "./support/ciam-api";
import { grantConsent } from "./support/consent-grant";
import { signInToAthena } from "./support/sign-in";

/** The request that takes the browser to IAM Hydra's authorization endpoint for an Athena client. */
function athenaAuthorizationRequest(page: Page) {
  return page.waitForRequest((request) => {
    const url = new URL(request.url());
    return url.pathname === "/oauth2/auth" && (url.searchParams.get("client_id") ?? "").startsWith("iam-athena-");
  });
}

async function saveSetting(page: Page, athena: string, key: string, value: string): Promise<void> {
  await page.goto(`${athena}/settings`);
  await page.getByLabel("Key").fill(key);
  await page.getByLabel("Value").fill(value);
  await page.getByRole("button", { name: "Save setting" }).click();
  await expect(page.getByTestId("settings-table").getByRole("row", { name: new RegExp(key.replace(/\./g, "\\.")) })).toContainText(value);
}

/** The client id in the "shown once" box. */
async function shownClientId(page: Page): Promise<string> {
  const id = /Client (\S+) is ready/.exec(await page.getByTestId("secret-once").innerText())?.[1];
  if (!id) throw new Error("no client id in the secret box");
  return id;
}

test("machine clients follow the Settings policy wherever a client is made or edited, and Athena signs in with PKCE", async ({
  page,
  stack,
}) => {
  test.setTimeout(240_000);
  const athena = stack.athena.ciam;
  const api = new CiamApi(stack);

  await test.step("Athena's authorization request to IAM Hydra carries an S256 PKCE challenge and a state", async () => {
    const authorization = athenaAuthorizationRequest(page);
    await signInToAthena(page, athena, stack.admin.email, stack.admin.password);
    const url = new URL((await authorization).url());
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    // base64url of a SHA-256 digest: 43 characters.
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")).toBeTruthy();
  });

  await test.step("the domain's allow-list and lifetime cap come from Settings", async () => {
    await saveSetting(page, athena, "m2m.allowed_scopes", "orders:read reports:read");
    await saveSetting(page, athena, "m2m.max_token_lifetime_minutes", "20");
  });

  let clientId = "";
  let firstSecret = "";
  let firstToken = "";
  await test.step("a machine client is created with allowed scopes only; its secret is shown once", async () => {
    await page.goto(`${athena}/m2m-clients`);
    await expect(page.getByText("tokens live at most 20 minutes")).toBeVisible();
    const offered = page.getByRole("group", { name: "Scopes (allow-list)" }).getByRole("checkbox");
    await expect(offered).toHaveCount(2);
    await page.getByLabel("Name").fill("Reporting export");
    await page.getByRole("checkbox", { name: "reports:read" }).check();
    await page.getByLabel(/Access token lifetime/).fill("15");
    await page.getByRole("button", { name: "Create machine client" }).click();
    await expect(page.getByTestId("client-secret")).toHaveText(/^[\w-]{40,}$/);
    firstSecret = await page.getByTestId("client-secret").innerText();
    clientId = await shownClientId(page);

    const client = await api.client(clientId);
    expect(client).toMatchObject({ grant_types: ["client_credentials"], scope: "reports:read" });
    expect(client?.client_credentials_grant_access_token_lifespan).toMatch(/^15m(0s)?$/);

    const granted = await api.clientCredentials(clientId, firstSecret, "reports:read");
    expect(granted.status).toBe(200);
    const token = tokenResponse.parse(await granted.json());
    expect(token.expires_in).toBeLessThanOrEqual(15 * 60);
    firstToken = token.access_token;
    // A scope on the allow-list but not given to this client is refused by Hydra.
    expect((await api.clientCredentials(clientId, firstSecret, "orders:read")).status).toBe(400);

    await page.reload();
    await expect(page.getByTestId("secret-once")).toHaveCount(0);
    await expect(page.getByText(firstSecret)).toHaveCount(0);
    await expect(
      page.getByTestId("m2m-clients").getByRole("listitem").filter({ hasText: clientId }).getByTestId("m2m-token-lifetime"),
    ).toHaveText("15 min");
  });

  await test.step("rotating shows a new secret once; the old secret and its tokens stop working", async () => {
    const card = page.getByTestId("m2m-clients").getByRole("listitem").filter({ hasText: clientId });
    await card.getByRole("button", { name: "Rotate secret" }).click();
    await expect(card.getByTestId("client-secret")).toHaveText(/^[\w-]{40,}$/);
    const secret = await card.getByTestId("client-secret").innerText();
    expect(secret).not.toBe(firstSecret);
    expect((await api.clientCredentials(clientId, firstSecret, "reports:read")).status).toBe(401);
    expect((await api.clientCredentials(clientId, secret, "reports:read")).status).toBe(200);
    expect(await api.isActive(firstToken)).toBe(false);
  });

  await test.step("the machine client is deleted with its id typed to confirm", async () => {
    const card = page.getByTestId("m2m-clients").getByRole("listitem").filter({ hasText: clientId });
    await card.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox").fill(clientId);
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText(clientId)).toHaveCount(0);
    expect(await api.client(clientId)).toBeUndefined();
  });

  await test.step("editing an OAuth2 client: the generic form cannot add client credentials past the policy, and a valid edit lands in Hydra", async () => {
    const web = await api.createCodeClient("Web shop", "https://shop.example.com/callback");
    await page.goto(`${athena}/oauth2-clients/${encodeURIComponent(web.id)}`);
    const form = page.getByRole("form", { name: "OAuth2 client" });
    await form.getByLabel("Name", { exact: true }).fill("Web shop and sync");
    await form.getByRole("checkbox", { name: "client_credentials" }).check();
    await form.getByRole("button", { name: "Save client" }).click();
    await expect(page.getByText(/Not on this domain's machine-to-machine allow-list: openid, offline_access/)).toBeVisible();
    expect(await api.client(web.id)).toMatchObject({ client_name: "Web shop", grant_types: ["authorization_code", "refresh_token"] });

    await form.getByLabel("Scopes (space-separated)").fill("reports:read");
    await form.getByLabel(/Client-credentials token lifetime/).fill("5");
    await form
      .getByRole("textbox", { name: "Redirect URIs (one per line)", exact: true })
      .fill("https://shop.example.com/callback\nhttps://shop.example.com/alt");
    await form.getByRole("button", { name: "Save client" }).click();
    await expect(page.getByText("Client saved.")).toBeVisible();
    const edited = await api.client(web.id);
    expect(edited).toMatchObject({
      client_name: "Web shop and sync",
      scope: "reports:read",
      redirect_uris: ["https://shop.example.com/callback", "https://shop.example.com/alt"],
      grant_types: expect.arrayContaining(["authorization_code", "client_credentials"]),
    });
    expect(edited?.client_credentials_grant_access_token_lifespan).toMatch(/^5m(0s)?$/);
    // The secret Hydra issued at registration still works: an edit never replaces it.
    expect((await api.clientCredentials(web.id, web.secret, "reports:read")).status).toBe(200);
  });
});

test("an operator handles a customer: sessions, consents, deactivation, courier mail, deletion; schemas are readable", async ({
  page,
  stack,
}) => {
  test.setTimeout(240_000);
  const athena = stack.athena.ciam;
  const api = new CiamApi(stack);
  const email = uniqueEmail("ops");
  const password = "operations-pass-42";
  const customerId = await api.createCustomer(email, password);
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);

  await test.step("the customer's session is listed on the sessions page and revoked there", async () => {
    const sessionToken = await api.signIn(email, password);
    expect(await api.whoamiStatus(sessionToken)).toBe(200);
    await page.goto(`${athena}/sessions`);
    const row = page.getByTestId("sessions-table").getByRole("row").filter({ hasText: email });
    await expect(row).toHaveCount(1);
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(row).toHaveCount(0);
    expect(await api.whoamiStatus(sessionToken)).toBe(401);
  });

  await test.step("a consent the customer granted is listed by email and revoked with its tokens", async () => {
    const redirectUri = "http://consent-app.localhost:3999/callback";
    const client = await api.createCodeClient("Consent app", redirectUri);
    const tokens = await grantConsent(page.context().request, api, {
      client,
      redirectUri,
      subject: customerId,
      scopes: ["openid", "offline_access"],
    });
    expect(await api.isActive(tokens.access_token)).toBe(true);

    await page.goto(`${athena}/consents?subject=${encodeURIComponent(email)}`);
    const row = page.getByTestId("consents-table").getByRole("row").filter({ hasText: client.id });
    await expect(row).toContainText("openid offline_access");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByText(`No consents granted by ${email}.`)).toBeVisible();
    expect(await api.consentClients(customerId)).not.toContain(client.id);
    expect(await api.isActive(tokens.access_token)).toBe(false);
    if (tokens.refresh_token) expect(await api.isActive(tokens.refresh_token)).toBe(false);
  });

  await test.step("the identity is deactivated, then activated again", async () => {
    await page.goto(`${athena}/identities/${customerId}`);
    await expect(page.getByRole("heading", { name: email })).toBeVisible();
    await page.getByRole("button", { name: "Deactivate", exact: true }).click();
    await expect(page.getByRole("button", { name: "Activate", exact: true })).toBeVisible();
    expect(await api.identityState(customerId)).toBe("inactive");
    await page.getByRole("button", { name: "Activate", exact: true }).click();
    await expect(page.getByRole("button", { name: "Deactivate", exact: true })).toBeVisible();
    expect(await api.identityState(customerId)).toBe("active");
  });

  await test.step("the recovery mail is in the courier list and its body is the one Kratos holds", async () => {
    await page.getByRole("button", { name: "Email recovery instructions" }).click();
    await expect(page.getByText(/Recovery (code|link) mailed to/)).toBeVisible();
    await page.goto(`${athena}/courier?recipient=${encodeURIComponent(email)}`);
    const row = page.getByTestId("courier-table").getByRole("row").filter({ hasText: email }).first();
    await expect(row).toContainText(/recovery/);
    await row.getByRole("link", { name: email }).click();
    await page.waitForURL(/\/courier\/[0-9a-f-]{36}$/);
    const messageId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const { body } = z
      .object({ body: z.string().min(1) })
      .parse(await (await api.kratosAdmin(`/admin/courier/messages/${messageId}`)).json());
    const shown = await page.locator("pre").first().innerText();
    expect(shown.replace(/\s+/g, " ").trim()).toBe(body.replace(/\s+/g, " ").trim());
  });

  await test.step("the identity is deleted after its email is typed to confirm", async () => {
    await page.goto(`${athena}/identities/${customerId}`);
    await page.getByRole("button", { name: "Delete identity" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("button", { name: "Delete permanently" })).toBeDisabled();
    await dialog.getByRole("textbox").fill(email);
    await dialog.getByRole("button", { name: "Delete permanently" }).click();
    await page.waitForURL(`${athena}/identities`);
    expect(await api.identityState(customerId)).toBe("deleted");
  });

  await test.step("the identity schemas are listed and shown as Kratos serves them", async () => {
    await page.goto(`${athena}/schemas`);
    await expect(page.getByTestId("schemas")).toContainText("customer");
    await page.locator('a[href="/schemas/customer"]').click();
    await page.waitForURL(`${athena}/schemas/customer`);
    const served = await (await api.kratosPublic("/schemas/customer")).json();
    expect(JSON.parse(await page.locator("pre").first().innerText())).toEqual(served);
  });

  await test.step("the audit log has each operation", async () => {
    await page.goto(`${athena}/audit`);
    const table = page.getByTestId("audit-table");
    for (const action of ["session.revoke", "consent.revoke", "identity.set_state", "identity.delete"]) {
      await expect(table.locator(`tr[data-action="${action}"][data-outcome="success"]`).first(), action).toContainText(stack.admin.email);
    }
  });
});
