import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { submitPassword } from "./ui";

/**
 * Signs in to an Athena the way an employee does: Athena → IAM Hydra →
 * Hera IAM's password form (skipped while the browser has an IAM session) →
 * back to Athena's dashboard.
 */
export async function signInToAthena(page: Page, athena: string, heraIam: string, email: string, password: string): Promise<void> {
  await page.goto(`${athena}/signin`);
  await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  await page.waitForURL((url) => (url.origin === heraIam && url.searchParams.has("flow")) || (url.origin === athena && url.pathname === "/"));
  if (new URL(page.url()).origin === heraIam) {
    await submitPassword(page, email, password);
    await page.waitForURL(`${athena}/`);
  }
  await expect(page.getByTestId("dashboard-title")).toBeVisible();
}
