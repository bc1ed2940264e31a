import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { heraAsksForPassword, passSecondFactor } from "../../support/mfa";
import { submitPassword } from "./ui";

/**
 * Signs in to an Athena the way an employee does: Athena → IAM Hydra →
 * Hera IAM's password form (skipped while the browser has an IAM session),
 * then the second factor IAM requires (enrolled on the first sign-in, a code
 * afterwards) → back to Athena's dashboard.
 */
export async function signInToAthena(page: Page, athena: string, heraIam: string, email: string, password: string): Promise<void> {
  await page.goto(`${athena}/signin`);
  await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  await page.waitForURL(
    (url) => (url.origin === heraIam && url.searchParams.has("flow")) || (url.origin === athena && url.pathname === "/"),
  );
  if (new URL(page.url()).origin === heraIam) {
    // The password, unless the browser's IAM session only lacks the second factor.
    if (await heraAsksForPassword(page)) await submitPassword(page, email, password);
    await passSecondFactor(page, email, (url) => url.href === `${athena}/`);
  }
  await expect(page.getByTestId("dashboard-title")).toBeVisible();
}
