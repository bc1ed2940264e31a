import { withCiamSettings } from "../support/ciam-settings";
import { expect, expectAccessible, test, uniqueEmail } from "./support/fixtures";
import { input } from "./support/ui";

// CAPTCHA on CIAM sign-up, turned on in the settings store as Athena's "CAPTCHA" group saves
// it: Hera's page shows the ALTCHA widget, which solves its proof of work in Chromium by
// itself, and the sign-up goes through Hera's edge (which refuses it without a solution,
// see apps/hera/lib/server/kratos-edge/captcha.test.ts). With JavaScript off the form says
// the check needs JavaScript, and a post without it comes back with Kratos' "captcha failed".

/** Hera reads the settings at most every 5 s: after a change, journeys wait this long. */
const POLICY_TTL_MS = 6_000;

async function setCiamCaptcha(values: Record<string, string> | undefined): Promise<void> {
  await withCiamSettings(async (client) => {
    await client.query("DELETE FROM olympus_settings WHERE domain = 'ciam' AND key LIKE 'captcha.%'");
    for (const [key, value] of Object.entries(values ?? {}))
      await client.query("INSERT INTO olympus_settings (domain, key, value, updated_by) VALUES ('ciam', $1, $2, 'e2e')", [key, value]);
  });
}

// Both take the stack: the worker's dev stack (and its olympus database) must be up first.
test.beforeAll(async ({ stack: _stack }) => {
  // A small difficulty (ALTCHA max number): the widget solves it in a moment.
  await setCiamCaptcha({ "captcha.registration": "on", "captcha.difficulty": "2000" });
  await new Promise((resolve) => setTimeout(resolve, POLICY_TTL_MS));
});

test.afterAll(async ({ stack: _stack }) => {
  // Back to CIAM's default (no CAPTCHA), and past Hera's cache, before other journeys sign up.
  await setCiamCaptcha(undefined);
  await new Promise((resolve) => setTimeout(resolve, POLICY_TTL_MS));
});

test("with CAPTCHA on for sign-up, the ALTCHA widget solves its challenge in the browser and the customer signs up", async ({
  page,
  stack,
}) => {
  const base = stack.ciam.hera;
  const challenges: number[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname === "/api/captcha/challenge") challenges.push(response.status());
  });

  await page.goto(`${base}/registration`);
  await expect(page).toHaveURL(/\/registration\?flow=/);
  const widget = page.locator("altcha-widget");
  await expect(widget).toBeVisible();
  // Solved by itself (auto="onload"): the payload sits in the form's `altcha` field.
  await expect(page.locator('form input[name="altcha"]')).toHaveValue(/^[A-Za-z0-9+/=]{40,}$/, { timeout: 30_000 });
  expect(challenges).toEqual([200]);
  // No image, no puzzle: the widget must pass the same accessibility scan as every other page.
  await expectAccessible(page, "registration with the CAPTCHA widget");

  await input(page, "traits.email").fill(uniqueEmail("captcha"));
  await input(page, "traits.name.first").fill("Alan");
  await input(page, "traits.name.last").fill("Turing");
  await input(page, "password").fill("not-a-robot-at-all-42");
  await page.getByRole("button", { name: "Sign up", exact: true }).click();
  // Signed up: Kratos sends the new customer on to verify the address.
  await page.waitForURL(/\/verification\?flow=/);
});

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-up form says the check needs JavaScript, and a post without it is refused with Kratos' captcha message", async ({
    page,
    stack,
  }) => {
    await page.goto(`${stack.ciam.hera}/registration`);
    await expect(page).toHaveURL(/\/registration\?flow=/);
    await expect(page.getByTestId("hera/captcha-needs-javascript")).toBeVisible();
    await expect(page.getByTestId("hera/captcha-needs-javascript")).toContainText("needs JavaScript");

    await input(page, "traits.email").fill(uniqueEmail("captcha-no-js"));
    await input(page, "traits.name.first").fill("Noa");
    await input(page, "traits.name.last").fill("Script");
    await input(page, "password").fill("not-a-robot-at-all-42");
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await expect(page).toHaveURL(/\/registration\?flow=/);
    await expect(page.getByText("Captcha verification failed, please try again.")).toBeVisible();
  });
});
