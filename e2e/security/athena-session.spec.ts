import type { Browser, BrowserContext, Page } from "@playwright/test";
import { signInToAthena } from "./support/athena";
import { createPerson, identityOf, type Person } from "./support/identities";
import type { SecurityStack } from "./support/stack";
import { expect, test, uniqueEmail } from "./support/fixtures";

// Attack: an Athena session that outlives the IAM account. The role used to be frozen
// into Athena's cookie at sign-in, and signing out only deleted the cookie: a demoted,
// deactivated or signed-out admin (or whoever copied the cookie) kept acting for up to
// eight hours. Athena now keeps the IAM refresh token server-side, re-validates at IAM
// Hydra every few minutes (seconds in this stack), and revokes the token at sign-out.

/** A signed-in admin of Athena CIAM, in a browser of their own. */
async function adminInAthenaCiam(browser: Browser, stack: SecurityStack, person: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInToAthena(page, stack.ciam.athena, stack.iam.hera, person.email, person.password);
  return { context, page };
}

/** Tries to deactivate a customer in Athena CIAM; returns whether Kratos shows the customer deactivated. */
async function tryToDeactivate(page: Page, stack: SecurityStack, customer: Person): Promise<boolean> {
  await page.goto(`${stack.ciam.athena}/identities/${customer.id}`);
  const button = page.getByRole("button", { name: "Deactivate", exact: true });
  if (await button.isVisible().catch(() => false)) {
    await button.click();
    await page.waitForLoadState("networkidle").catch(() => undefined);
  }
  return (await identityOf(stack.ciam, customer.id)).state === "inactive";
}

/** Waits out Athena's re-validation window. */
async function afterTheWindow(page: Page, stack: SecurityStack): Promise<void> {
  await page.waitForTimeout((stack.athenaRevalidateSeconds + 1) * 1000);
}

/** The seeded IAM admin, signed in to Athena IAM, changes an employee there. */
async function asIamAdmin(browser: Browser, stack: SecurityStack, act: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInToAthena(page, stack.iam.athena, stack.iam.hera, stack.admin.email, stack.admin.password);
    await act(page);
  } finally {
    await context.close();
  }
}

test("a demoted admin's next write after the re-validation window is refused", async ({ browser, stack }) => {
  const target = await createPerson(stack.iam, uniqueEmail("to-be-demoted"), { role: "admin" });
  const customer = await createPerson(stack.ciam, uniqueEmail("demotion-probe"));
  const { context, page } = await adminInAthenaCiam(browser, stack, target);
  try {
    await asIamAdmin(browser, stack, async (admin) => {
      await admin.goto(`${stack.iam.athena}/identities/${target.id}`);
      await admin.getByTestId("role-select").selectOption("viewer");
      await admin.getByRole("button", { name: "Change role" }).click();
      await expect(admin.getByTestId("role-current")).toHaveText("viewer");
    });
    expect((await identityOf(stack.iam, target.id)).metadata_admin).toMatchObject({ iam_admin_role: "viewer" });
    await afterTheWindow(page, stack);
    expect(await tryToDeactivate(page, stack, customer), "the demoted admin still changed a customer").toBe(false);
  } finally {
    await context.close();
  }
});

test("a deactivated admin is signed out of Athena at the next re-validation", async ({ browser, stack }) => {
  const target = await createPerson(stack.iam, uniqueEmail("to-be-deactivated"), { role: "admin" });
  const customer = await createPerson(stack.ciam, uniqueEmail("deactivation-probe"));
  const { context, page } = await adminInAthenaCiam(browser, stack, target);
  try {
    await asIamAdmin(browser, stack, async (admin) => {
      await admin.goto(`${stack.iam.athena}/identities/${target.id}`);
      await admin.getByRole("button", { name: "Deactivate", exact: true }).click();
      await expect(admin.getByRole("button", { name: "Activate", exact: true })).toBeVisible();
    });
    await afterTheWindow(page, stack);
    expect(await tryToDeactivate(page, stack, customer), "the deactivated admin still changed a customer").toBe(false);
    await page.goto(`${stack.ciam.athena}/`);
    await expect(page).toHaveURL(/\/signin/);
  } finally {
    await context.close();
  }
});

test("after signing out, a copy of the Athena cookie opens nothing", async ({ browser, stack }) => {
  const admin = await createPerson(stack.iam, uniqueEmail("signs-out"), { role: "admin" });
  const { context, page } = await adminInAthenaCiam(browser, stack, admin);
  const copied = await context.cookies(stack.ciam.athena);
  try {
    await page.getByRole("button", { name: "Sign out" }).click();
    // The sign-out ends on Athena's sign-in page. (A predicate the page's current Athena URL already met
    // returned at once, so the context could close before the sign-out had run.)
    await page.waitForURL((url) => url.origin === stack.ciam.athena && url.pathname === "/signin" && url.searchParams.has("signed_out"));
  } finally {
    await context.close();
  }
  const replay = await browser.newContext();
  try {
    await replay.addCookies(copied);
    const page2 = await replay.newPage();
    await page2.goto(`${stack.ciam.athena}/identities`);
    await expect(page2).toHaveURL(/\/signin/);
  } finally {
    await replay.close();
  }
});
