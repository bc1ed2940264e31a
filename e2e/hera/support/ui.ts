import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** Ory Elements' stable test ids for flow inputs. */
export const input = (page: Page, name: string) => page.getByTestId(`ory/form/node/input/${name}`);

/** Signs in with email and password on Hera's login page (already open). */
export async function submitPassword(page: Page, email: string, password: string): Promise<void> {
  await input(page, "identifier").fill(email);
  await input(page, "password").fill(password);
  await page.getByRole("button", { name: "Sign in with password" }).click();
}

/** Signs out through Hera's /logout confirmation and checks the session cookie is gone. */
export async function signOut(page: Page, base: string, sessionCookie: string): Promise<void> {
  await page.goto(`${base}/logout`);
  await page.getByTestId("logout-confirm").click();
  await page.waitForURL(/\/login\?flow=/);
  const cookies = await page.context().cookies(base);
  expect(cookies.map((c) => c.name)).not.toContain(sessionCookie);
}
