import { clearCiamSettings } from "../support/ciam-settings";
import { expect, test } from "./support/fixtures";
import { signInToAthena } from "./support/sign-in";

// The SMTP settings saved here reach CIAM Kratos' courier (the settings overlay): removed afterwards, so
// every later journey on this stack still mails the dev inbox.
test.afterAll(async () => {
  await clearCiamSettings("smtp.");
});

test("typed settings: each SMTP field is checked by its rule, a bad value changes nothing, and the password is sealed whatever the form", async ({
  page,
  stack,
}) => {
  const athena = stack.athena.ciam;
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);
  await page.goto(`${athena}/settings`);
  const smtp = page.getByRole("form", { name: "Outgoing mail (SMTP)" });
  const table = page.getByTestId("settings-table");

  await test.step("a port out of range is refused beside its field, and no value of the group is stored", async () => {
    await smtp.getByLabel("Host").fill("relay.example.com");
    await smtp.getByLabel("Port").fill("70000");
    await smtp.getByRole("button", { name: "Save SMTP" }).click();
    await expect(smtp.getByText("a port number from 1 to 65535")).toBeVisible();
    await expect(smtp.getByLabel("Port")).toHaveAttribute("aria-invalid", "true");
    await page.reload();
    await expect(page.getByText("relay.example.com")).toHaveCount(0);
  });

  await test.step("a valid group is saved together, normalised, and the password is never shown", async () => {
    await smtp.getByLabel("Host").fill("relay.example.com");
    await smtp.getByLabel("Port").fill("0587");
    await smtp.getByLabel("Password").fill("typed-form-secret");
    await smtp.getByRole("button", { name: "Save SMTP" }).click();
    await expect(table.getByRole("row", { name: /smtp\.host/ })).toContainText("relay.example.com");
    await page.reload();
    await expect(table.getByRole("row", { name: /smtp\.port/ })).toContainText("587");
    await expect(table.getByRole("row", { name: /smtp\.port/ })).not.toContainText("0587");
    await expect(table.getByRole("row", { name: /smtp\.password/ })).toContainText("••••••••");
    await expect(page.getByText("typed-form-secret")).toHaveCount(0);
    await expect(smtp.getByText("Currently set (encrypted).")).toBeVisible();
  });

  await test.step("the free form seals smtp.password even with Secret unticked, and checks a known key's rule", async () => {
    await page.getByLabel("Key").fill("smtp.password");
    await page.getByLabel("Value").fill("free-form-secret");
    // The form ticks Secret for a known secret key; untick it: the server seals it anyway.
    await expect(page.getByLabel(/Secret \(encrypted/)).toBeChecked();
    await page.getByLabel(/Secret \(encrypted/).uncheck();
    await page.getByRole("button", { name: "Save setting" }).click();
    await expect(table.getByRole("row", { name: /smtp\.password/ })).toContainText("••••••••");
    await page.reload();
    await expect(page.getByText("free-form-secret")).toHaveCount(0);
    await expect(smtp.getByText("Currently set (encrypted).")).toBeVisible();

    await page.getByLabel("Key").fill("smtp.port");
    await page.getByLabel("Value").fill("not-a-port");
    await page.getByRole("button", { name: "Save setting" }).click();
    await expect(page.getByText("smtp.port: a port number from 1 to 65535")).toBeVisible();
    await page.reload();
    await expect(table.getByRole("row", { name: /smtp\.port/ })).toContainText("587");
  });
});
