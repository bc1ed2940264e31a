import type { Request } from "@playwright/test";
import { generateSync } from "otplib";
import { expect, expectAccessible, test, uniqueEmail } from "./support/fixtures";
import { createCustomer } from "./support/identities";
import { codeIn, waitForMail } from "./support/mail";
import { input, signOut, submitPassword } from "./support/ui";

// The customer's whole life on Hera CIAM, in one browser, in order: each step
// depends on the one before (the account, its factors, its password).
test("a customer registers, verifies, signs in and out, enrols TOTP, recovers the password and changes email", async ({ page, stack }) => {
  test.setTimeout(300_000);
  const base = stack.ciam.hera;
  const email = uniqueEmail("customer");
  let password = "correct-horse-battery-9";
  let totpSecret = "";

  await test.step("registers: first paint holds the form, branded for customers", async () => {
    await page.goto(`${base}/registration`);
    await expect(page).toHaveURL(/\/registration\?flow=/);
    await expect(page.getByTestId("domain-badge")).toHaveText(/customer account/i);
    await expectAccessible(page, "registration");
    const since = new Date();
    await input(page, "traits.email").fill(email);
    await input(page, "traits.name.first").fill("Ada");
    await input(page, "traits.name.last").fill("Lovelace");
    await input(page, "password").fill(password);
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await page.waitForURL(/\/verification\?flow=/);
    await expectAccessible(page, "verification");

    await test.step("verifies the address with the code from the mail", async () => {
      const mail = await waitForMail(stack.inboxApi, email, /confirm your email/i, since);
      await input(page, "code").fill(codeIn(mail.text));
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page.getByText(/successfully verified/i)).toBeVisible();
    });
  });

  await test.step("signs out and in again with the password", async () => {
    await signOut(page, base, "ciam_kratos_session");
    await expectAccessible(page, "login");
    await submitPassword(page, email, password);
    await page.waitForURL(`${base}/`);
    await expect(page.getByTestId("signed-in-as")).toContainText(email);
  });

  await test.step("enrols TOTP in settings (QR code and secret shown)", async () => {
    await page.goto(`${base}/settings`);
    await expect(page).toHaveURL(/\/settings\?flow=/);
    await expectAccessible(page, "settings");
    const totp = page.getByTestId("ory/screen/settings/group/totp");
    await expect(totp.locator("img#totp_qr")).toBeVisible();
    totpSecret = await input(page, "totp_secret_key").inputValue();
    expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    await input(page, "totp_code").fill(generateSync({ secret: totpSecret }));
    await totp.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/your changes have been saved/i).first()).toBeVisible();
  });

  await test.step("signs in again: password, then the authenticator code", async () => {
    await signOut(page, base, "ciam_kratos_session");
    await submitPassword(page, email, password);
    await expect(input(page, "totp_code")).toBeVisible();
    await expectAccessible(page, "login second factor");
    await input(page, "totp_code").fill(generateSync({ secret: totpSecret }));
    await page
      .getByRole("button", { name: /continue|verify|sign in/i })
      .first()
      .click();
    await page.waitForURL(`${base}/`);
    await expect(page.getByTestId("signed-in-as")).toContainText(email);
  });

  await test.step("recovers a forgotten password with a mailed code, stepping up to the second factor and back", async () => {
    await signOut(page, base, "ciam_kratos_session");
    await page.goto(`${base}/recovery`);
    await expect(page).toHaveURL(/\/recovery\?flow=/);
    await expectAccessible(page, "recovery");
    // The settings flow recovery opens (passed through on the way to the step-up login).
    const settingsVisits: string[] = [];
    const recordSettingsVisit = (request: Request) => {
      if (request.isNavigationRequest() && /\/settings\?flow=/.test(request.url())) settingsVisits.push(request.url());
    };
    page.on("request", recordSettingsVisit);
    const since = new Date();
    await input(page, "email").fill(email);
    await page
      .getByRole("button", { name: /continue|submit|send/i })
      .first()
      .click();
    const mail = await waitForMail(stack.inboxApi, email, /recover|reset/i, since);
    await input(page, "code").fill(codeIn(mail.text));
    await page
      .getByRole("button", { name: /continue|submit|verify/i })
      .first()
      .click();
    // The recovered session has one factor; settings requires the highest available, so Kratos asks for the second ...
    await page.waitForURL(/\/login\?flow=/);
    await input(page, "totp_code").fill(generateSync({ secret: totpSecret }));
    await page
      .getByRole("button", { name: /continue|verify|sign in/i })
      .first()
      .click();
    // ... and its return_to brings the browser back to the very settings flow recovery opened.
    await page.waitForURL(/\/settings\?flow=/);
    expect(settingsVisits[0]).toBeDefined();
    expect(page.url()).toBe(settingsVisits[0]);
    page.off("request", recordSettingsVisit);

    password = "a-brand-new-secret-42";
    const form = page.getByTestId("ory/screen/settings/group/password");
    await form.getByTestId("ory/form/node/input/password").fill(password);
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/your changes have been saved/i).first()).toBeVisible();
  });

  await test.step("changes the email address in settings, which must be verified again", async () => {
    const newEmail = uniqueEmail("customer-new");
    const since = new Date();
    await page.goto(`${base}/settings`);
    const profile = page.getByTestId("ory/screen/settings/group/profile");
    await profile.getByTestId("ory/form/node/input/traits.email").fill(newEmail);
    await profile.getByRole("button", { name: "Save" }).click();
    // Kratos mails the new address a code and sends the browser to verification.
    await page.waitForURL(/\/verification\?flow=/);
    const mail = await waitForMail(stack.inboxApi, newEmail, /confirm your email/i, since);
    expect(codeIn(mail.text)).toMatch(/^\d{6}$/);

    await signOut(page, base, "ciam_kratos_session");
    await submitPassword(page, newEmail, password);
    await input(page, "totp_code").fill(generateSync({ secret: totpSecret }));
    await page
      .getByRole("button", { name: /continue|verify|sign in/i })
      .first()
      .click();
    await page.waitForURL(`${base}/`);
    await expect(page.getByTestId("signed-in-as")).toContainText(newEmail);
  });
});

// Recovery and an email change for a customer without a second factor (no
// step-up to AAL2), with the new address verified on Hera's verification page.
test("a customer without a second factor recovers the password by code, changes email and verifies it", async ({ page, stack }) => {
  const base = stack.ciam.hera;
  const email = uniqueEmail("recover");
  await createCustomer(stack.ciam, email, "forgotten-password-1");

  const since = new Date();
  await page.goto(`${base}/recovery`);
  await input(page, "email").fill(email);
  await page
    .getByRole("button", { name: /continue|submit|send/i })
    .first()
    .click();
  const mail = await waitForMail(stack.inboxApi, email, /recover|reset/i, since);
  await input(page, "code").fill(codeIn(mail.text));
  await page
    .getByRole("button", { name: /continue|submit|verify/i })
    .first()
    .click();
  await page.waitForURL(/\/settings\?flow=/);
  await expectAccessible(page, "settings after recovery");

  const password = "remembered-at-last-2";
  const passwordForm = page.getByTestId("ory/screen/settings/group/password");
  await passwordForm.getByTestId("ory/form/node/input/password").fill(password);
  await passwordForm.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/your changes have been saved/i).first()).toBeVisible();

  const newEmail = uniqueEmail("recover-new");
  const changed = new Date();
  const profile = page.getByTestId("ory/screen/settings/group/profile");
  await profile.getByTestId("ory/form/node/input/traits.email").fill(newEmail);
  await profile.getByRole("button", { name: "Save" }).click();

  // Kratos mails the changed address a code and Hera shows the verification page.
  await page.waitForURL(/\/verification\?flow=/);
  await expectAccessible(page, "verification after an email change");
  const verification = await waitForMail(stack.inboxApi, newEmail, /confirm your email/i, changed);
  await input(page, "code").fill(codeIn(verification.text));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText(/successfully verified/i)).toBeVisible();

  await signOut(page, base, "ciam_kratos_session");
  await submitPassword(page, newEmail, password);
  await page.waitForURL(`${base}/`);
  await expect(page.getByTestId("signed-in-as")).toContainText(newEmail);
});
