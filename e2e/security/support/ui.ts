import type { Page } from "@playwright/test";

/** Ory Elements' stable test ids for flow inputs. */
export const input = (page: Page, name: string) => page.getByTestId(`ory/form/node/input/${name}`);

/** Fills Hera's password login form (already on screen) and submits it. */
export async function submitPassword(page: Page, email: string, password: string): Promise<void> {
  await input(page, "identifier").fill(email);
  await input(page, "password").fill(password);
  await page.getByRole("button", { name: "Sign in with password" }).click();
}

/** Signs in on a Hera (login page → home page). */
export async function signInAtHera(page: Page, hera: string, email: string, password: string): Promise<void> {
  await page.goto(`${hera}/login`);
  await page.waitForURL(/\/login\?flow=/);
  await submitPassword(page, email, password);
  await page.waitForURL((url) => url.origin === hera && !url.pathname.startsWith("/login"));
}

/** Whether the page shows (or comes to show) Hera's password form: a sign-in is being asked for. */
export async function showsLoginForm(page: Page): Promise<boolean> {
  return input(page, "password")
    .waitFor({ state: "visible", timeout: 15_000 })
    .then(
      () => true,
      () => false,
    );
}

/** Waits until the browser either rests on a Hera sign-in form or reaches `callback`; says which. */
export async function loginFormOrCallback(page: Page, callback: string): Promise<"login" | "callback"> {
  await page.waitForURL((url) => url.href.startsWith(callback) || (url.pathname === "/login" && url.searchParams.has("flow")));
  return page.url().startsWith(callback) ? "callback" : "login";
}
