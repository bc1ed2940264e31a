import { expect, test, uniqueEmail } from "./support/fixtures";
import { codeIn, waitForMail } from "./support/mail";
import { input } from "./support/ui";

// Hera with JavaScript off: every flow page is Ory Elements' card rendered on
// the server, a plain HTML form posting to Kratos' browser endpoints (through
// Hera's /.ory/kratos), which answers each post with a 303 to the next page.
test.use({ javaScriptEnabled: false });

/** The names of Kratos' WebAuthn buttons ("Continue with hardware key", "Sign up with security key", passkeys). */
const WEBAUTHN = /hardware key|security key|passkey/i;

/** The page's flow form posts to Kratos' browser endpoint for `flow` (Kratos' ui.action), as a plain form. */
async function expectPlainForm(page: import("@playwright/test").Page, flow: string): Promise<void> {
  const form = page.locator(`form[action*="/.ory/kratos/self-service/${flow}?flow="]`).first();
  await expect(form).toHaveAttribute("method", /^post$/i);
  await expect(form.locator('input[type="hidden"][name="csrf_token"]')).toHaveCount(1);
}

test("a customer signs up, verifies the address and signs in with JavaScript off", async ({ page, stack }) => {
  test.setTimeout(120_000);
  const base = stack.ciam.hera;
  const email = uniqueEmail("no-js");
  const password = "no-script-needed-7";

  await test.step("signs up with a plain form post", async () => {
    await page.goto(`${base}/registration`);
    await expect(page).toHaveURL(/\/registration\?flow=/);
    await expectPlainForm(page, "registration");
    // Elements' server render used to disable every control until its scripts ran.
    await expect(input(page, "traits.email")).toBeEnabled();
    await expect(page.getByRole("button", { name: "Sign up", exact: true })).toBeEnabled();
    // A security key or passkey needs the WebAuthn API: no dead button, no field for its name, without JavaScript.
    await expect(page.getByRole("button", { name: WEBAUTHN })).toHaveCount(0);
    await expect(input(page, "webauthn_register_displayname")).toHaveCount(0);
    const since = new Date();
    await input(page, "traits.email").fill(email);
    await input(page, "traits.name.first").fill("Noa");
    await input(page, "traits.name.last").fill("Script");
    await input(page, "password").fill(password);
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    // Kratos' 303 (show_verification_ui) lands on the verification page.
    await page.waitForURL(/\/verification\?flow=/);

    await test.step("verifies the address with the code from the mail", async () => {
      await expectPlainForm(page, "verification");
      const mail = await waitForMail(stack.inboxApi, email, /confirm your email/i, since);
      await input(page, "code").fill(codeIn(mail.text));
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page.getByText(/successfully verified/i).first()).toBeVisible();
    });
  });

  await test.step("signs out (Hera's own form) and in again with the password", async () => {
    await page.goto(`${base}/logout`);
    await page.getByTestId("logout-confirm").click();
    await page.waitForURL(/\/login\?flow=/);
    expect((await page.context().cookies(base)).map((c) => c.name)).not.toContain("ciam_kratos_session");

    await expectPlainForm(page, "login");
    await expect(page.getByRole("button", { name: WEBAUTHN })).toHaveCount(0);
    await input(page, "identifier").fill(email);
    await input(page, "password").fill(password);
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(`${base}/`);
    await expect(page.getByTestId("signed-in-as")).toContainText(email);
  });

  await test.step("a wrong password comes back as the form with Kratos' message", async () => {
    await page.context().clearCookies();
    await page.goto(`${base}/login`);
    await input(page, "identifier").fill(email);
    await input(page, "password").fill("not-the-password-1");
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(/\/login\?flow=/);
    await expect(page.getByTestId("ory/message/4000006")).toBeVisible();
    await expect(input(page, "identifier")).toBeEnabled();
  });
});

test("settings and recovery work with JavaScript off too", async ({ page, stack }) => {
  test.setTimeout(120_000);
  const base = stack.ciam.hera;
  const email = uniqueEmail("no-js-settings");
  const password = "no-script-settings-7";
  await page.goto(`${base}/registration`);
  await input(page, "traits.email").fill(email);
  await input(page, "traits.name.first").fill("Set");
  await input(page, "traits.name.last").fill("Tings");
  await input(page, "password").fill(password);
  await page.getByRole("button", { name: "Sign up", exact: true }).click();
  await page.waitForURL(/\/verification\?flow=/);

  await page.goto(`${base}/settings`);
  await expect(page).toHaveURL(/\/settings\?flow=/);
  const profile = page.getByTestId("ory/screen/settings/group/profile");
  await profile.locator("input[name='traits.name.first']").fill("Renamed");
  await profile.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(/\/settings\?flow=/);
  await expect(page.locator("input[name='traits.name.first']").first()).toHaveValue("Renamed");
  // Security keys and passkeys need the WebAuthn API: said so, no dead buttons.
  await expect(page.getByTestId("hera/needs-javascript").first()).toBeVisible();
  await expect(page.getByTestId("ory/form/node/button/webauthn_register_trigger")).toHaveCount(0);

  await page.context().clearCookies();
  await page.goto(`${base}/recovery`);
  await expect(page).toHaveURL(/\/recovery\?flow=/);
  await expectPlainForm(page, "recovery");
  const since = new Date();
  await input(page, "email").fill(email);
  await page
    .getByRole("button", { name: /continue|submit|send/i })
    .first()
    .click();
  await page.waitForURL(/\/recovery\?flow=/);
  const mail = await waitForMail(stack.inboxApi, email, /recover/i, since);
  await input(page, "code").fill(codeIn(mail.text));
  await page
    .getByRole("button", { name: /continue|submit|verify/i })
    .first()
    .click();
  // Recovery signs the customer in and opens settings to choose a new password.
  await page.waitForURL(/\/settings\?flow=/);
  await expect(input(page, "password")).toBeEnabled();
});
