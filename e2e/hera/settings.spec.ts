import { expect, expectAccessible, test, uniqueEmail } from "./support/fixtures";
import { createCustomer } from "./support/identities";
import { submitPassword } from "./support/ui";

test("settings lists active sessions and signs out another device", async ({ page, browser, stack }) => {
  const email = uniqueEmail("sessions");
  const password = "two-devices-pass-31";
  await createCustomer(stack.ciam, email, password);
  const base = stack.ciam.hera;

  // A second device (its own cookie jar) signs in first.
  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await other.goto(`${base}/login`);
  await submitPassword(other, email, password);
  await other.waitForURL(`${base}/`);

  await page.goto(`${base}/login`);
  await submitPassword(page, email, password);
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/settings`);
  await expect(page.getByTestId("session-current")).toContainText("This device");
  await expect(page.getByTestId("session-other")).toHaveCount(1);
  await expectAccessible(page, "settings with sessions");

  await page.getByTestId("session-other").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("session-other")).toHaveCount(0);

  // The other device is signed out: its landing page offers to sign in again.
  await other.goto(`${base}/`);
  await expect(other.getByRole("link", { name: "Sign in" })).toBeVisible();
  await otherDevice.close();
});
