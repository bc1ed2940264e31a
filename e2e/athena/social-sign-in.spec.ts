import { expectAccessible } from "./support/accessibility";
import { expect, test } from "./support/fixtures";
import { signInToAthena } from "./support/sign-in";

test("social sign-in providers: added with field errors first, edited without showing the secret, removed after a confirmation", async ({
  page,
  stack,
}) => {
  const athena = stack.athena.ciam;
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);
  await page.goto(`${athena}/settings`);
  const section = page.getByTestId("social-sign-in");
  const table = page.getByTestId("settings-table");
  const secret = `acme-secret-${Date.now().toString(36)}`;

  await test.step("CIAM offers social sign-in by default", async () => {
    await expect(section.getByRole("switch", { name: /Social sign-in on this domain/ })).toBeChecked();
  });

  await test.step("each broken rule is named beside its field, and nothing is stored", async () => {
    await section.getByRole("button", { name: "Add provider" }).click();
    const form = page.getByRole("form", { name: "Add a provider" });
    await form.getByLabel("Provider id").fill("Acme!");
    await form.getByLabel("Issuer URL").fill("http://idp.example.com");
    await form.getByLabel("Client id").fill("olympus");
    await form.getByLabel("Client secret").fill(secret);
    await form.getByLabel("Scopes").fill("email profile");
    await form.getByLabel("Button label").fill("x".repeat(41));
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(form.getByText("Issuer must be an https URL (http is allowed only for localhost or 127.0.0.1)")).toBeVisible();
    await expect(form.getByText("Scopes must include openid")).toBeVisible();
    await expect(form.getByText("Button label must be 1 to 40 characters")).toBeVisible();
    await expect(form.getByText(/^Provider id must be 1 to 32 lower-case letters/)).toBeVisible();
    await expect(form.getByLabel("Issuer URL")).toHaveAttribute("aria-invalid", "true");
    // Off the submit button: its hover state is not what is checked here.
    await page.mouse.move(0, 0);
    await expectAccessible(page, "settings with the provider form's errors");
    await expect(table.getByText(/social\.providers\./)).toHaveCount(0);
  });

  await test.step("a valid provider is added; its secret is sealed and never shown", async () => {
    const form = page.getByRole("form", { name: "Add a provider" });
    await form.getByLabel("Provider id").fill("acme");
    await form.getByLabel("Issuer URL").fill("https://idp.example.com");
    await form.getByLabel("Scopes").fill("openid email profile");
    await form.getByLabel("Button label").fill("Sign in with Acme");
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(section.getByRole("row", { name: /Sign in with Acme/ })).toBeVisible();
    await page.reload();
    await expect(table.getByRole("row", { name: /social\.providers\.acme\.client_secret/ })).toContainText("••••••••");
    await expect(page.getByText(secret)).toHaveCount(0);
  });

  await test.step("editing keeps the stored secret when its field is left blank", async () => {
    await section.getByRole("button", { name: "Edit Sign in with Acme" }).click();
    const form = page.getByRole("form", { name: "Edit Sign in with Acme" });
    await expect(form.getByLabel("Client secret")).toHaveValue("");
    await expect(form.getByText(/Currently set \(encrypted\); leave blank to keep\./)).toBeVisible();
    await expect(form.getByLabel("Provider id")).toHaveAttribute("readonly", "");
    await form.getByLabel("Button label").fill("Acme ID");
    await form.getByRole("button", { name: "Save provider" }).click();
    await expect(section.getByRole("row", { name: /Acme ID/ })).toBeVisible();
    await page.reload();
    await expect(table.getByRole("row", { name: /social\.providers\.acme\.client_secret/ })).toContainText("••••••••");
  });

  await test.step("removing asks first, then removes every key of the provider", async () => {
    await section.getByRole("button", { name: "Remove Acme ID" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading")).toHaveText("Remove the provider Acme ID?");
    await dialog.getByRole("button", { name: "Remove provider" }).click();
    await expect(section.getByRole("row", { name: /Acme ID/ })).toHaveCount(0);
    await page.reload();
    await expect(table.getByText(/social\.providers\.acme/)).toHaveCount(0);
  });

  await test.step("each change is in the audit log", async () => {
    for (const action of ["settings.social_provider.save", "settings.social_provider.remove"]) {
      await page.goto(`${athena}/audit?action=${action}`);
      await expect(page.getByTestId("audit-table").locator(`tr[data-action="${action}"][data-outcome="success"]`).first()).toBeVisible();
    }
  });
});

test("IAM shows social sign-in off by default, with the reason", async ({ page, stack }) => {
  await signInToAthena(page, stack.athena.iam, stack.admin.email, stack.admin.password);
  await page.goto(`${stack.athena.iam}/settings`);
  const section = page.getByTestId("social-sign-in");
  await expect(section.getByRole("switch", { name: /Social sign-in on this domain/ })).not.toBeChecked();
  await expect(section.getByText(/employees normally sign in with their IAM password and a second factor/)).toBeVisible();
  await expectAccessible(page, "IAM settings");
});
