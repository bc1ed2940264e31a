import type { Locator, Page } from "@playwright/test";
import { z } from "zod";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { createCustomer } from "./support/identities";
import type { DomainEndpoints } from "./support/stack";
import { input, submitPassword } from "./support/ui";
import { addVirtualPasskeyDevice } from "./support/webauthn";

/** The computed background colour of an element. */
const background = (locator: Locator) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);

/** Whether the button is drawn as a secondary choice (Hera wraps those). */
const isSecondary = (button: Locator) => button.evaluate((el) => el.closest(".hera-secondary-action") !== null);

async function expectOnePrimary(page: Page, primaryName: string, secondaryNames: RegExp[]): Promise<void> {
  const primary = page.getByRole("button", { name: primaryName, exact: true });
  await expect(primary).toBeEnabled();
  expect(await isSecondary(primary)).toBe(false);
  for (const name of secondaryNames) {
    const secondary = page.getByRole("button", { name });
    await expect(secondary).toBeVisible();
    expect(await isSecondary(secondary), `${name} is secondary`).toBe(true);
    expect(await background(secondary)).not.toBe(await background(primary));
  }
  // The other methods sit under one "or".
  await expect(page.getByTestId("hera/or-divider")).toHaveCount(1);
}

test("the customer sign-in says Email and has one primary action, the other methods under 'or'", async ({ page, stack }) => {
  await page.goto(`${stack.ciam.hera}/login`);
  await expect(page).toHaveURL(/\/login\?flow=/);
  // The identity schema's title for its one identifier trait, as Kratos' GetIdentifierLabelFromSchema gives it.
  await expect(page.getByLabel("Email", { exact: true })).toBeVisible();
  await expect(page.getByText("ID", { exact: true })).toHaveCount(0);
  await expectOnePrimary(page, "Sign in with password", [/send sign in code/i, /hardware key|security key|passkey/i]);
});

test("the customer sign-up has one primary action too", async ({ page, stack }) => {
  await page.goto(`${stack.ciam.hera}/registration`);
  await expect(page).toHaveURL(/\/registration\?flow=/);
  await expectOnePrimary(page, "Sign up", [/send sign up code/i, /security key|passkey/i]);
});

test("the security-key name field spans its section", async ({ page, stack }) => {
  const base = stack.ciam.hera;
  const email = uniqueEmail("key-field");
  await createCustomer(stack.ciam, email, "key-field-owner-pass-3");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/login`);
  await submitPassword(page, email, "key-field-owner-pass-3");
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/settings`);
  const section = page.getByTestId("ory/screen/settings/group/webauthn");
  const field = section.getByTestId("ory/form/node/input/webauthn_register_displayname");
  await expect(field).toBeEnabled();
  // Elements capped the row at 24rem (384 px) on the left; now it spans the section, with the button beside it.
  const share = async () => {
    const [fieldBox, sectionBox] = await Promise.all([field.boundingBox(), section.boundingBox()]);
    return fieldBox && sectionBox ? fieldBox.width / sectionBox.width : 0;
  };
  await expect.poll(share, { timeout: 10_000 }).toBeGreaterThan(0.5);
});

/** An employee with a password and no second factor (IAM lets one into settings at aal1 to enrol one). */
async function createEmployee(domain: DomainEndpoints, email: string, password: string): Promise<string> {
  const response = await fetch(`${domain.kratosAdmin}/admin/identities`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${domain.adminToken}` },
    body: JSON.stringify({
      schema_id: "admin",
      traits: { email, name: { first: "Ida", last: "Rhodes" } },
      credentials: { password: { config: { password } } },
      verifiable_addresses: [{ value: email, verified: true, via: "email", status: "completed" }],
    }),
  });
  if (response.status !== 201) throw new Error(`creating employee failed: ${response.status} ${await response.text()}`);
  return z.object({ id: z.string() }).parse(await response.json()).id;
}

test("IAM settings: the back link is light on the dark band", async ({ page, stack }) => {
  const base = stack.iam.hera;
  const email = uniqueEmail("iam-back-link");
  await createEmployee(stack.iam, email, "iam-back-link-pass-4");
  await page.goto(`${base}/login`);
  await submitPassword(page, email, "iam-back-link-pass-4");
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.goto(`${base}/settings`);
  const back = page.getByTestId("ory/screen/settings/back-button");
  await expect(back).toBeVisible();
  // #e0e7ff on IAM's #1e1b4b: a contrast ratio above 12:1 (Elements' default link colour was dark on dark).
  await expect(back).toHaveCSS("color", "rgb(224, 231, 255)");
});

test("a passkey (passwordless security key) sign-up ends on the verification page, the mail's code at hand", async ({ page, stack }) => {
  // Kratos runs show_verification_ui (and session) only where its configuration lists them for the method:
  // CIAM's kratos.yml lists them under registration.after.webauthn too (without, a WebAuthn sign-up lands on "/").
  const base = stack.ciam.hera;
  const email = uniqueEmail("passkey-signup");
  await addVirtualPasskeyDevice(page);
  await page.goto(`${base}/registration`);
  await expect(page).toHaveURL(/\/registration\?flow=/);
  await input(page, "traits.email").fill(email);
  await input(page, "traits.name.first").fill("Pia");
  await input(page, "traits.name.last").fill("Sskey");
  await input(page, "webauthn_register_displayname").fill("Test laptop");
  // CIAM's passwordless WebAuthn (kratos.yml: webauthn.config.passwordless), "Sign up with security key".
  await page.getByRole("button", { name: /sign up with (security key|passkey)/i }).click();
  // Kratos' continue_with (show_verification_ui) on the passkey registration path: the verification screen, not the signed-out home page.
  await page.waitForURL(/\/verification\?flow=/);
  await expect(input(page, "code")).toBeVisible();
});
