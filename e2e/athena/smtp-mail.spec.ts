import type { Page } from "@playwright/test";
import { clearCiamSettings } from "../support/ciam-settings";
import { waitForMail } from "../hera/support/mail";
import { expectAccessible } from "./support/accessibility";
import { CiamApi } from "./support/ciam-api";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { signInToAthena } from "./support/sign-in";

/** The devstack's mail catcher: plain SMTP on 1025, no login. */
const CATCHER = { host: "127.0.0.1", port: "1025", security: "none", from: "no-reply@olympus.local" };

async function saveSmtp(page: Page, athena: string, port: string): Promise<void> {
  await page.goto(`${athena}/settings`);
  const smtp = page.getByRole("form", { name: "Outgoing mail (SMTP)" });
  await smtp.getByLabel("Host").fill(CATCHER.host);
  await smtp.getByLabel("Port").fill(port);
  await smtp.getByLabel("Connection security").fill(CATCHER.security);
  await smtp.getByLabel("Sender address").fill(CATCHER.from);
  await smtp.getByRole("button", { name: "Save SMTP" }).click();
  await expect(page.getByTestId("settings-table").getByRole("row", { name: /smtp\.port/ })).toContainText(port);
}

/**
 * Starts from no SMTP settings: an earlier journey on this stack may have stored an SMTP password, and
 * Athena refuses to point a stored password at a new host (the catcher takes none) without it being typed again.
 */
// `stack` first: the worker's stack (and its Postgres) must be up before the rows can be cleared.
test.beforeAll(async ({ stack: _started }) => {
  await clearCiamSettings("smtp.");
});

test("send test mail: it reaches the dev mail catcher with the stored settings, says plainly why it failed, and is rate-limited", async ({
  page,
  stack,
}) => {
  const athena = stack.athena.ciam;
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);
  try {
    await test.step("the stored settings deliver a test mail to the signed-in admin", async () => {
      await saveSmtp(page, athena, CATCHER.port);
      const since = new Date();
      await page.getByTestId("smtp-test-mail").click();
      await expect(page.getByTestId("smtp-test-mail-outcome")).toHaveText(`Test mail sent to ${stack.admin.email} through 127.0.0.1:1025.`);
      const mail = await waitForMail(stack.inboxApi, stack.admin.email, /^Test mail from Olympus/, since);
      expect(mail.text).toContain("127.0.0.1:1025");
      await expectAccessible(page, "settings after a test mail");
    });

    await test.step("a second test within 10 seconds is refused", async () => {
      await page.getByTestId("smtp-test-mail").click();
      await expect(page.getByTestId("smtp-test-mail-outcome")).toContainText("One test mail every 10 s");
    });

    await test.step("a relay that refuses the connection gives a readable error naming host and port", async () => {
      await saveSmtp(page, athena, "1");
      // The per-admin interval of the step before.
      await page.waitForTimeout(10_500);
      await page.getByTestId("smtp-test-mail").click();
      await expect(page.getByTestId("smtp-test-mail-outcome")).toHaveText("The test mail was not sent: connection refused by 127.0.0.1:1.");
    });

    await test.step("each test is in the audit log", async () => {
      await page.goto(`${athena}/audit?action=settings.smtp_test_mail`);
      const rows = page.getByTestId("audit-table").locator('tr[data-action="settings.smtp_test_mail"]');
      await expect(rows.and(page.locator('[data-outcome="success"]')).first()).toBeVisible();
      await expect(rows.and(page.locator('[data-outcome="failure"]')).first()).toBeVisible();
    });
  } finally {
    // Kratos' courier follows the stored settings: leave them pointing at the catcher for the journeys after this one.
    await saveSmtp(page, athena, CATCHER.port);
  }
});

/**
 * An invitation is Athena's own mail in the domain's template (Settings →
 * Invitation mail), carrying a Kratos admin recovery link: opened in a
 * fresh browser it signs the invitee in and leads to Hera's settings, where
 * they choose a password.
 */
test("invite: the invitation mail uses the domain's template and its link lets the invitee set a password in a fresh browser", async ({
  page,
  browser,
  stack,
}) => {
  const athena = stack.athena.ciam;
  const api = new CiamApi(stack);
  const email = uniqueEmail("invitee");
  const id = await api.createBareCustomer(
    email,
    { first: "Ines", last: "Invited" },
    {
      recovery_addresses: [{ value: email, via: "email" }],
      verifiable_addresses: [{ value: email, via: "email", verified: false, status: "pending" }],
    },
  );
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);
  await saveSmtp(page, athena, CATCHER.port);

  await test.step("a template without {{link}} is refused beside the body; a valid one is saved", async () => {
    const form = page.getByRole("form", { name: "Invitation mail" });
    await form.getByLabel("Subject").fill("Welcome to Acme, {{name}}");
    await form.getByLabel("Body").fill("Hi {{name}}, your account waits.");
    await form.getByRole("button", { name: "Save invitation mail" }).click();
    await expect(form.getByText("must contain {{link}}, where the sign-in link goes")).toBeVisible();
    await form.getByLabel("Body").fill("Hi {{name}},\n\nstart here: {{link}}\n\nValid until {{expires_at}}.");
    await form.getByRole("button", { name: "Save invitation mail" }).click();
    await expect(page.getByTestId("settings-table").getByRole("row", { name: /invitation\.subject/ })).toBeVisible();
  });

  const since = new Date();
  await test.step("the identity's page mails the invitation", async () => {
    await page.goto(`${athena}/identities/${id}`);
    await page.getByRole("button", { name: "Email an invitation" }).click();
    await expect(page.getByText(`Invitation mailed to ${email}.`)).toBeVisible();
  });

  const mail = await waitForMail(stack.inboxApi, email, /^Welcome to Acme, Ines$/, since);
  expect(mail.text).toContain("Hi Ines,");
  expect(mail.text).not.toMatch(/ignore|didn't ask|did not ask/i);
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0] ?? "";
  expect(link).not.toBe("");

  const fresh = await browser.newContext();
  try {
    const invitee = await fresh.newPage();
    await invitee.goto(link);
    await invitee.waitForURL(/ciam\.localhost:3000\/settings\?flow=/);
    const password = `Invited-${Date.now().toString(36)}-Pw!`;
    await invitee.locator("input[name='password']").fill(password);
    await invitee.locator("button[name='method'][value='password']").first().click();
    await expect.poll(() => api.signIn(email, password).then(Boolean, () => false)).toBe(true);
  } finally {
    await fresh.close();
  }
});
