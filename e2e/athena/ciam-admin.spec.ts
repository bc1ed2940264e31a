import { expect, test, uniqueEmail } from "./support/fixtures";
import { signInToAthena } from "./support/sign-in";
import { waitForMail } from "../hera/support/mail";

test("the admin manages a CIAM customer, an OAuth2 client and settings in Athena CIAM, and the audit log shows each action", async ({
  page,
  stack,
}) => {
  test.setTimeout(240_000);
  const athena = stack.athena.ciam;
  const email = uniqueEmail("customer");
  let identityUrl = "";
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);

  await test.step("creates a customer", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Identities" }).click();
    await page.getByRole("link", { name: "New identity" }).click();
    await page.getByLabel("Identity schema").selectOption("customer");
    await page.locator("input[name='email']").fill(email);
    await page.locator("input[name='name.first']").fill("Ada");
    await page.locator("input[name='name.last']").fill("Lovelace");
    await page.getByLabel("Password (optional)").fill("correct-horse-battery-9");
    await page.getByRole("button", { name: "Create identity" }).click();
    await page.waitForURL(/\/identities\/[0-9a-f-]{36}$/);
    identityUrl = page.url();
    await expect(page.getByRole("heading", { name: email })).toBeVisible();
    await expect(page.getByTestId("credentials")).toContainText("password");
  });

  await test.step("finds the customer by email", async () => {
    await page.goto(`${athena}/identities`);
    await page.getByRole("searchbox", { name: "Email or identifier" }).fill(email);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("identities-table").getByRole("link", { name: email })).toBeVisible();
  });

  await test.step("edits traits through the schema-generated form", async () => {
    await page.goto(identityUrl);
    await page.locator("input[name='name.first']").fill("Augusta");
    await page.getByRole("button", { name: "Save traits" }).click();
    await expect(page.getByText("Traits saved.")).toBeVisible();
    await page.reload();
    await expect(page.locator("input[name='name.first']")).toHaveValue("Augusta");
  });

  await test.step("sends recovery by mail (Kratos' own message arrives in the inbox) and creates a recovery link to hand over", async () => {
    const since = new Date();
    await page.getByRole("button", { name: "Email recovery instructions" }).click();
    await expect(page.getByText(new RegExp(`Recovery (code|link) mailed to ${email.replace(/[.+]/g, "\\$&")}\\.`))).toBeVisible();
    const mail = await waitForMail(stack.inboxApi, email, /recover/i, since);
    expect(mail.text).toMatch(/\d{6}|http:\/\/ciam\.localhost:3\d{3}\//);
    await page.getByLabel("Recovery method to hand over").selectOption("link");
    await page.getByRole("button", { name: "Create recovery link" }).click();
    await expect(page.getByTestId("recovery-created")).toContainText(/http:\/\/(ciam\.localhost|127\.0\.0\.1):3\d{3}\//);
  });

  await test.step("revokes the customer's sessions", async () => {
    // A real session for the customer, through CIAM Kratos' API login.
    const kratosPublic = stack.kratosPublic.ciam;
    const flow = (await (await fetch(`${kratosPublic}/self-service/login/api`)).json()) as { id: string };
    const login = await fetch(`${kratosPublic}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: "correct-horse-battery-9" }),
    });
    expect(login.status).toBe(200);
    await page.reload();
    await expect(page.getByTestId("identity-sessions").getByText("active")).toHaveCount(1);
    await page.getByRole("button", { name: "Revoke all sessions" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke all" }).click();
    await expect(page.getByText("All sessions of this identity were revoked.")).toBeVisible();
    await expect(page.getByTestId("identity-sessions").getByText("active", { exact: true })).toHaveCount(0);
  });

  let clientId = "";
  await test.step("creates an OAuth2 client (secret shown once) and deletes it", async () => {
    await page.goto(`${athena}/oauth2-clients/new`);
    await page.getByLabel("Name").fill("Shop front");
    await page.getByRole("textbox", { name: "Redirect URIs (one per line)", exact: true }).fill("https://shop.example.com/callback");
    await page.getByRole("button", { name: "Create client" }).click();
    await expect(page.getByTestId("client-secret")).toHaveText(/^[\w-]{40,}$/);
    clientId = /Client (\S+) is ready/.exec(await page.getByTestId("secret-once").innerText())?.[1] ?? "";
    expect(clientId).not.toBe("");
    await page.getByRole("link", { name: "Open the client" }).click();
    await expect(page.getByTestId("client-secret")).toHaveCount(0);
    await page.getByRole("button", { name: "Delete client" }).click();
    await page.getByRole("dialog").getByRole("textbox").fill(clientId);
    await page.getByRole("dialog").getByRole("button", { name: "Delete client" }).click();
    await page.waitForURL(`${athena}/oauth2-clients`);
    await expect(page.getByText(clientId)).toHaveCount(0);
  });

  await test.step("settings saved on CIAM are invisible on IAM", async () => {
    await page.goto(`${athena}/settings`);
    await page.getByLabel("Key").fill("smtp.password");
    await page.getByLabel("Value").fill("ciam-only-secret");
    await page.getByLabel(/Secret \(encrypted/).check();
    await page.getByRole("button", { name: "Save setting" }).click();
    const row = page.getByTestId("settings-table").getByRole("row", { name: /smtp\.password/ });
    await expect(row).toContainText("••••••••");
    await expect(page.getByText("ciam-only-secret")).toHaveCount(0);

    await signInToAthena(page, stack.athena.iam, stack.admin.email, stack.admin.password);
    await page.goto(`${stack.athena.iam}/settings`);
    await expect(page.getByRole("heading", { name: "IAM settings" })).toBeVisible();
    await expect(page.getByText("smtp.password")).toHaveCount(0);
  });

  await test.step("the audit log shows each action", async () => {
    await page.goto(`${athena}/audit`);
    const table = page.getByTestId("audit-table");
    for (const action of [
      "identity.create",
      "identity.update_traits",
      "identity.send_recovery",
      "identity.revoke_sessions",
      "oauth2_client.create",
      "oauth2_client.delete",
      "settings.update",
    ]) {
      await expect(table.locator(`tr[data-action="${action}"][data-outcome="success"]`).first(), action).toContainText(stack.admin.email);
    }
    await expect(table.locator('tr[data-action="oauth2_client.delete"]').first()).toContainText(clientId);
  });
});
