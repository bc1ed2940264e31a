import type { Page } from "@playwright/test";
import { clearCiamSettings, withCiamSettings } from "../support/ciam-settings";
import { passSecondFactor } from "../support/mfa";
import { nativePasswordLogin } from "../support/native-login";
import { signInToAthena } from "../security/support/athena";
import { expect, test, uniqueEmail } from "../security/support/fixtures";
import { createPerson, type Person } from "../security/support/identities";
import { authorization, createTestClient, idTokenClaims, redeem, waitForCallback } from "../security/support/oauth2";
import type { SecurityStack } from "../security/support/stack";
import { signInAtHera, submitPassword } from "../security/support/ui";

// The MFA policy per domain comes from Athena's typed settings ("Second factor (MFA)") and is
// enforced by Hera on every sign-in, read at run time: here an admin turns it on for CIAM
// (off by default), and a customer without a second factor can neither complete an OAuth2
// sign-in through Hydra without enrolling one first nor get a session token as a native app.

const kratosBrowser = (stack: SecurityStack) => `${stack.ciam.hera}/.ory/kratos`;

/** Hera reads the policy at most every few seconds: waits until a native sign-in gets the answer expected. */
async function nativeSignInSettlesOn(stack: SecurityStack, person: Person, status: number) {
  let last: Awaited<ReturnType<typeof nativePasswordLogin>> | undefined;
  await expect
    .poll(async () => (last = await nativePasswordLogin(kratosBrowser(stack), person.email, person.password)).status, {
      timeout: 30_000,
      intervals: [1_000],
    })
    .toBe(status);
  if (!last) throw new Error("no native sign-in was tried");
  return last;
}

/** Stores one CIAM setting directly, as Athena's form would (for steps past the one that goes through the form). */
async function storeCiamSetting(key: string, value: string): Promise<void> {
  await withCiamSettings((client) =>
    client.query(
      `INSERT INTO olympus_settings (domain, key, value, secret, updated_by) VALUES ('ciam', $1, $2, false, 'e2e')
         ON CONFLICT (domain, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, value],
    ),
  );
}

async function saveMfaPolicyInAthena(page: Page, stack: SecurityStack, values: Record<string, string>): Promise<void> {
  await signInToAthena(page, stack.ciam.athena, stack.iam.hera, stack.admin.email, stack.admin.password);
  await page.goto(`${stack.ciam.athena}/settings`);
  const form = page.getByTestId("settings-group-mfa");
  for (const [key, value] of Object.entries(values)) await form.locator(`input[name="${key}"]`).fill(value);
  await form.getByRole("button", { name: "Save MFA policy" }).click();
  await expect(page.getByText("Second factor (MFA) saved.")).toBeVisible();
}

test.afterAll(async () => {
  // CIAM's default again (no MFA) for the rest of the run.
  await clearCiamSettings("mfa.");
});

test("CIAM with MFA required in Athena: a customer without a second factor enrols one before the OAuth2 client gets them, and a native sign-in is refused", async ({
  page,
  browser,
  stack,
}) => {
  const customer = await createPerson(stack.ciam, uniqueEmail("mfa-customer"));

  await test.step("without the setting, CIAM signs the customer in with a password alone (its default)", async () => {
    const answer = await nativeSignInSettlesOn(stack, customer, 200);
    expect(answer.body.session_token).toEqual(expect.any(String));
  });

  await test.step("an admin turns mfa.required on for CIAM in Athena's settings", async () => {
    await saveMfaPolicyInAthena(page, stack, { "mfa.required": "on", "mfa.grace_days": "0" });
    await expect(page.getByTestId("settings-table")).toContainText("mfa.required");
  });

  await test.step("a native app's password sign-in is refused as Kratos refuses a session below aal2, without a session token", async () => {
    const answer = await nativeSignInSettlesOn(stack, customer, 403);
    expect(answer.body).toMatchObject({
      error: { id: "session_aal2_required", code: 403 },
      redirect_browser_to: `${stack.ciam.hera}/settings`,
    });
    expect(JSON.stringify(answer.body)).not.toContain("session_token");
  });

  await test.step("an OAuth2 sign-in sends the customer to enrol a second factor, then returns them to the client at aal2", async () => {
    const context = await browser.newContext();
    const customerPage = await context.newPage();
    try {
      const client = await createTestClient(stack.ciam, "mfa-policy-rp");
      const auth = await authorization(client);
      await customerPage.goto(auth.url.href);
      await customerPage.waitForURL((url) => url.origin === stack.ciam.hera && url.pathname === "/login");
      await submitPassword(customerPage, customer.email, customer.password);
      await customerPage.waitForURL((url) => url.origin === stack.ciam.hera && url.pathname === "/settings");
      await expect(customerPage.getByTestId("second-factor-notice")).toBeVisible();
      // With mfa.allowed_methods unset every method is offered; an authenticator app or a security key is what counts
      // (backup codes alone are no device). An explicit allow-list hides the others: second-factor.test.ts at the edge.
      await expect(customerPage.getByTestId("ory/screen/settings/group/totp")).toBeVisible();
      const steps = await passSecondFactor(customerPage, customer.email, (url) => url.href.startsWith(client.redirectUri));
      expect(steps[0]).toBe("enrolled");
      const tokens = await redeem(client, await waitForCallback(customerPage, client), auth);
      expect(idTokenClaims(tokens)).toMatchObject({ sub: customer.id, acr: "aal2" });
    } finally {
      await context.close();
    }
  });

  await test.step("a plain sign-in at Hera, no application behind it, also ends on enrolment; the notice names only the allowed methods", async () => {
    await storeCiamSetting("mfa.allowed_methods", "totp");
    const plain = await createPerson(stack.ciam, uniqueEmail("mfa-plain"));
    const context = await browser.newContext();
    const plainPage = await context.newPage();
    try {
      await signInAtHera(plainPage, stack.ciam.hera, plain.email, plain.password);
      // Hera reads the policy at most every few seconds: the home page settles on sending the customer to enrol.
      await expect
        .poll(
          async () => {
            await plainPage.goto(`${stack.ciam.hera}/`);
            const notice = plainPage.getByTestId("second-factor-notice");
            return { path: new URL(plainPage.url()).pathname, text: (await notice.count()) > 0 ? await notice.textContent() : null };
          },
          { timeout: 30_000, intervals: [1_000] },
        )
        .toEqual({ path: "/settings", text: expect.stringContaining("Set up an authenticator app (TOTP) to continue") as unknown });
      const notice = plainPage.getByTestId("second-factor-notice");
      await expect(notice).toHaveAttribute("data-kind", "required");
      await expect(notice).not.toContainText("security key");
      await expect(plainPage.getByTestId("ory/screen/settings/group/totp")).toBeVisible();
    } finally {
      await context.close();
    }
  });

  await test.step("with a grace period of 30 days, a new customer still gets in and Hera's home page says how many days are left", async () => {
    await storeCiamSetting("mfa.grace_days", "30");
    const newcomer = await createPerson(stack.ciam, uniqueEmail("mfa-newcomer"));
    await nativeSignInSettlesOn(stack, newcomer, 200);
    const context = await browser.newContext();
    const newcomerPage = await context.newPage();
    try {
      await signInAtHera(newcomerPage, stack.ciam.hera, newcomer.email, newcomer.password);
      const notice = newcomerPage.getByTestId("second-factor-notice");
      await expect(notice).toHaveAttribute("data-kind", "grace");
      await expect(notice).toContainText("within 30 days");
    } finally {
      await context.close();
    }
  });
});
