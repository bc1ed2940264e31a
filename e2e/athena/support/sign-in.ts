import type { Page } from "@playwright/test";
import { heraAsksForPassword, passSecondFactor } from "../../support/mfa";
import { expect } from "./fixtures";

const HERA_IAM = "http://iam.localhost:4000";

/**
 * Opens an Athena and signs in the way an employee does: Athena sends the
 * browser to IAM Hydra, which hands the login to Hera IAM (skipped when the
 * browser already has an IAM session); after the password, the second factor
 * IAM requires (enrolled on the first sign-in, a code afterwards) and the
 * consent page if Hera shows one, IAM Hydra returns to Athena's callback.
 */
export async function signInToAthena(page: Page, athena: string, email: string, password: string): Promise<void> {
  await page.goto(athena);
  await expect(page).toHaveURL(`${athena}/signin`);
  const signInPage = page.url();
  await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  // Either Hera's login form, or straight back to Athena when the browser already has an IAM session.
  await page.waitForURL((url) => url.href !== signInPage && (url.origin === HERA_IAM || url.origin === athena));
  if (new URL(page.url()).origin === HERA_IAM) {
    // The password, unless the browser's IAM session only lacks the second factor.
    if (await heraAsksForPassword(page)) {
      await page.getByTestId("ory/form/node/input/identifier").fill(email);
      await page.getByTestId("ory/form/node/input/password").fill(password);
      await page.getByRole("button", { name: "Sign in with password" }).click();
    }
    await passSecondFactor(page, email, (url) => url.origin === athena || url.pathname.startsWith("/consent"));
  }
  if (new URL(page.url()).pathname.startsWith("/consent")) {
    await page
      .getByRole("button", { name: /allow|accept|continue/i })
      .first()
      .click();
  }
  await page.waitForURL((url) => url.origin === athena && !url.pathname.startsWith("/api/auth") && url.href !== signInPage);
}

/** Checks the dashboard of the given domain is on screen. */
export async function expectDashboard(page: Page, athena: string, domain: "ciam" | "iam"): Promise<void> {
  await expect(page).toHaveURL(`${athena}/`);
  await expect(page.getByTestId("dashboard-title")).toHaveText(`${domain.toUpperCase()} dashboard`);
  await expect(page.getByTestId("totals")).toBeVisible();
}
