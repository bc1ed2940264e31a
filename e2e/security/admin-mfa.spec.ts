import type { Page } from "@playwright/test";
import { answerTotp, enrolTotp, enrolTotpInSettings, enterCode, passSecondFactor } from "../support/mfa";
import { createPerson, identityOf, whoami, type Person } from "./support/identities";
import { authorization, createTestClient, waitForCallback } from "./support/oauth2";
import type { SecurityStack } from "./support/stack";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { input, signInAtHera, submitPassword } from "./support/ui";

// Attack: an admin's password alone opens Athena. IAM admins (the seeded one too) had a
// password only, so a phished or reused password was all it took to run both admin
// dashboards. IAM now requires a second factor for every OAuth2 sign-in (MFA_REQUIRED,
// no grace period): Hera IAM accepts a login only at aal2, sends someone without an
// authenticator or security key to enrol one first, and Athena itself refuses an ID token
// whose `acr` is below aal2 unless Hera vouched for a grace period. (The grace period,
// MFA_GRACE_DAYS, is covered by apps/hera/lib/login-decision.test.ts and Athena's
// apps/athena/shared/auth/session.test.ts: this stack runs the production default.)

/** Athena IAM's sign-in, up to Hera IAM's password form, and the password. */
async function startAthenaSignIn(page: Page, stack: SecurityStack, person: Person): Promise<void> {
  await page.goto(`${stack.iam.athena}/signin`);
  await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  await page.waitForURL(/iam\.localhost:4000\/login\?flow=/);
  await submitPassword(page, person.email, person.password);
}

/** The browser's IAM Kratos session, as Kratos reports it. */
async function kratosSessionOf(page: Page, stack: SecurityStack): Promise<{ status: number; body: unknown }> {
  const cookie = (await page.context().cookies(stack.iam.hera)).find((c) => c.name === stack.iam.sessionCookie);
  return whoami(stack.iam, cookie?.value ?? "");
}

/** The credential types Kratos' admin API lists for the identity. */
async function credentialTypes(stack: SecurityStack, id: string): Promise<string[]> {
  const identity = await identityOf(stack.iam, id);
  const credentials = identity.credentials;
  return typeof credentials === "object" && credentials !== null ? Object.keys(credentials).sort() : [];
}

const athenaCookie = async (page: Page, stack: SecurityStack) =>
  (await page.context().cookies(stack.iam.athena)).find((c) => c.name.startsWith("athena.session"));

test("a new admin's password alone does not open Athena: the first sign-in enrols an authenticator, every later one asks for its code", async ({
  page,
  stack,
}) => {
  const admin = await createPerson(stack.iam, uniqueEmail("new-admin"), { role: "admin" });

  await test.step("after the password, Hera sends the admin to enrol a second factor, not to Athena", async () => {
    await startAthenaSignIn(page, stack, admin);
    await page.waitForURL(/iam\.localhost:4000\/settings\?flow=/);
    await expect(page.getByTestId("second-factor-notice")).toContainText(/requires a second factor/i);
    await expect(page.getByTestId("ory/screen/settings/group/totp")).toBeVisible();
    expect(await athenaCookie(page, stack), "Athena has a session before the second factor").toBeUndefined();
    // Going to Athena now starts over: there is no way round the enrolment.
    await page.goto(`${stack.iam.athena}/`);
    await expect(page).toHaveURL(`${stack.iam.athena}/signin`);
    await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
    await page.waitForURL(/iam\.localhost:4000\/settings\?flow=/);
  });

  await test.step("enrols an authenticator app and lands on the dashboard, signed in at aal2", async () => {
    await enrolTotp(page, admin.email);
    await passSecondFactor(page, admin.email, (url) => url.href === `${stack.iam.athena}/`);
    await expect(page.getByTestId("dashboard-title")).toHaveText("IAM dashboard");
    // Besides the schema-derived code and webauthn credentials (extension_credentials.go), the new TOTP device.
    expect(await credentialTypes(stack, admin.id)).toEqual(["code", "password", "totp", "webauthn"]);
    expect(await kratosSessionOf(page, stack)).toMatchObject({ status: 200, body: { authenticator_assurance_level: "aal2" } });
  });

  await test.step("signs out; the next sign-in asks for the password and then the code, and a wrong code gets nowhere", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin\?signed_out/);
    await startAthenaSignIn(page, stack, admin);
    await expect(input(page, "totp_code")).toBeVisible();
    expect(await athenaCookie(page, stack)).toBeUndefined();
    await enterCode(page, "000000", page.getByRole("button", { name: /continue|verify|sign in/i }).first());
    await expect(page.getByTestId("ory/message/4000008")).toBeVisible();
    expect(new URL(page.url()).origin).toBe(stack.iam.hera);
    await answerTotp(page, admin.email);
    await page.waitForURL(`${stack.iam.athena}/`);
    await expect(page.getByTestId("dashboard-title")).toHaveText("IAM dashboard");
  });
});

test("an admin who removes the authenticator is asked to enrol one again at the next sign-in", async ({ browser, stack }) => {
  const admin = await createPerson(stack.iam, uniqueEmail("unlinks-totp"), { role: "admin" });
  const first = await browser.newContext();
  try {
    const page = await first.newPage();
    await signInAtHera(page, stack.iam.hera, admin.email, admin.password);
    await enrolTotpInSettings(page, stack.iam.hera, admin.email);
    expect(await credentialTypes(stack, admin.id)).toContain("totp");
    await page.goto(`${stack.iam.hera}/settings`);
    // Elements' unlink button is an icon without a name; Kratos' node is `totp_unlink`.
    await page.getByTestId("ory/screen/settings/group/totp").locator('button[name="totp_unlink"]').click();
    await expect(page.getByText(/your changes have been saved/i).first()).toBeVisible();
    expect(await credentialTypes(stack, admin.id)).not.toContain("totp");
  } finally {
    await first.close();
  }
  const second = await browser.newContext();
  try {
    const page = await second.newPage();
    await startAthenaSignIn(page, stack, admin);
    await page.waitForURL(/iam\.localhost:4000\/settings\?flow=/);
    await expect(page.getByTestId("second-factor-notice")).toBeVisible();
  } finally {
    await second.close();
  }
});

test("any IAM application, not only Athena, gets a code only after the second factor; Hera's home page says one is required", async ({
  page,
  stack,
}) => {
  const employee = await createPerson(stack.iam, uniqueEmail("password-only"));
  // Signed in to Hera itself with the password: Kratos allows that (nothing more is available yet).
  await signInAtHera(page, stack.iam.hera, employee.email, employee.password);
  await page.goto(`${stack.iam.hera}/`);
  await expect(page.getByTestId("second-factor-notice")).toHaveAttribute("data-kind", "required");

  const client = await createTestClient(stack.iam, "admin-mfa");
  const auth = await authorization(client);
  await page.goto(auth.url.href);
  await page.waitForURL(/iam\.localhost:4000\/settings\?flow=/);
  expect(page.url().startsWith(client.redirectUri)).toBe(false);
  const steps = await passSecondFactor(page, employee.email, (url) => url.href.startsWith(client.redirectUri));
  expect(steps).toEqual(["enrolled"]);
  await waitForCallback(page, client);

  await page.goto(`${stack.iam.hera}/`);
  await expect(page.getByTestId("signed-in-as")).toContainText(employee.email);
  await expect(page.getByTestId("second-factor-notice")).toHaveCount(0);
});
