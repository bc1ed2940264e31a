import { CiamApi } from "./support/ciam-api";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { signInToAthena } from "./support/sign-in";

/**
 * An operator hands a customer a recovery link (Kratos' admin
 * createRecoveryLinkForIdentity). Opened in a browser that has never seen
 * Olympus, it signs the customer in and opens Hera's settings, where a
 * password can be chosen (selfservice/strategy/link, recoveryUseToken: a
 * recovered session, then the settings flow).
 */
test("a recovery link made in Athena signs the customer in, in a fresh browser, and lands on Hera's settings to set a password", async ({
  page,
  browser,
  stack,
}) => {
  const api = new CiamApi(stack);
  const email = uniqueEmail("recover-link");
  const id = await api.createBareCustomer(
    email,
    { first: "Link", last: "Recovery" },
    {
      verifiable_addresses: [{ value: email, verified: true, via: "email", status: "completed" }],
      recovery_addresses: [{ value: email, via: "email" }],
    },
  );

  await signInToAthena(page, stack.athena.ciam, stack.admin.email, stack.admin.password);
  await page.goto(`${stack.athena.ciam}/identities/${id}`);
  await page.getByRole("combobox", { name: "Recovery method to hand over" }).selectOption("link");
  await page.getByRole("button", { name: "Create recovery link" }).click();
  const link = (await page.getByTestId("recovery-created").locator("p.font-mono").first().textContent())?.trim() ?? "";
  expect(link).toMatch(/^https?:\/\//);

  const fresh = await browser.newContext();
  try {
    const customer = await fresh.newPage();
    await customer.goto(link);
    await customer.waitForURL(/ciam\.localhost:3000\/settings\?flow=/);
    const newPassword = `Recovered-${Date.now().toString(36)}-Pw!`;
    const password = customer.locator("input[name='password']");
    await expect(password).toBeEnabled();
    await password.fill(newPassword);
    await customer.locator("button[name='method'][value='password']").first().click();
    // The proof: Kratos takes the new password once the settings flow saved it.
    await expect.poll(() => api.signIn(email, newPassword).then(Boolean, () => false)).toBe(true);
  } finally {
    await fresh.close();
  }
});
