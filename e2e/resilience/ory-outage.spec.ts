import { expect, test, type Page } from "@playwright/test";
import type { OryServerId } from "@olympus/devstack";
import { passSecondFactor } from "../support/mfa";
import { startOutageStack, type OutageStack } from "./support/outage-stack";

/**
 * Kratos or Hydra stopped while Hera and Athena keep running: each app shows
 * a friendly error (never a stack trace or a browser error page) and works
 * again by itself once the server is back on its port — no app restart.
 * One dev stack and one browser page for the whole file, so Athena's session
 * carries from one outage to the next.
 */
const HERA_CIAM = "http://ciam.localhost:3000";
const HERA_IAM = "http://iam.localhost:4000";
const ATHENA_CIAM = "http://ciam.localhost:3001";
const CUSTOMER = "resilience-customer@example.com";
const ADMIN = { email: "admin@olympus.local", password: "dev-password-change-me" };

test.describe.configure({ mode: "serial" });

let stack: OutageStack | undefined;
let page: Page;

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(300_000);
  stack = await startOutageStack([
    { app: "hera", domain: "ciam" },
    { app: "hera", domain: "iam" },
    { app: "athena", domain: "ciam" },
  ]);
  // A customer for Athena's identity list to show once Kratos is back.
  const kratosAdmin = stack.devstack.servers["ciam-kratos"];
  const created = await fetch(`${kratosAdmin.adminUrl}/admin/identities`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${kratosAdmin.adminToken}` },
    body: JSON.stringify({ schema_id: "default", traits: { email: CUSTOMER, name: { first: "Resi", last: "Lience" } } }),
  });
  expect(created.status).toBe(201);
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page?.close();
  await stack?.stop();
});

/** Runs `during` with the server down, and always brings it back (a failed check must not leave the next test without it). */
async function withOutage(id: OryServerId, during: () => Promise<void>): Promise<void> {
  if (!stack) throw new Error("no stack");
  await stack.takeDown(id);
  try {
    await during();
  } finally {
    await stack.bringBack(id);
  }
}

/** An error notice (role=alert) with this text; Next's empty route announcer is an alert too. */
function notice(text: string) {
  return page.getByRole("alert").filter({ hasText: text });
}

async function expectNoInternals(): Promise<void> {
  expect(await page.locator("body").innerText()).not.toMatch(/ECONNREFUSED|fetch failed|at \w+ \(|Error:|Internal Server Error/);
}

test("Hera: the login page says sign-in is temporarily unavailable while CIAM Kratos is down, and Try again shows the form once it is back", async () => {
  await page.goto(`${HERA_CIAM}/login`);
  await expect(page.getByTestId("ory/form/node/input/identifier")).toBeVisible();

  await withOutage("ciam-kratos", async () => {
    await page.goto(`${HERA_CIAM}/login`);
    await expect(page.getByTestId("service-unavailable")).toContainText(/temporarily unavailable/i);
    await expectNoInternals();
    // Still down: trying again gives the same page, not a broken one.
    await page.getByTestId("retry").click();
    await expect(page.getByTestId("service-unavailable")).toBeVisible();
  });

  await page.getByTestId("retry").click();
  await expect(page.getByTestId("ory/form/node/input/identifier")).toBeVisible();
  await expect(page.getByTestId("service-unavailable")).toHaveCount(0);
});

test("Athena: signing in while IAM Hydra is down says so, and signing in works once it is back", async () => {
  await withOutage("iam-hydra", async () => {
    await page.goto(ATHENA_CIAM);
    await expect(page).toHaveURL(`${ATHENA_CIAM}/signin`);
    await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
    await expect(notice("IAM Hydra could not be reached. Try again shortly.")).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`^${ATHENA_CIAM}/signin`));
    await expectNoInternals();
  });

  await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  await page.waitForURL((url) => url.origin === HERA_IAM && url.pathname.startsWith("/login"));
  await page.getByTestId("ory/form/node/input/identifier").fill(ADMIN.email);
  await page.getByTestId("ory/form/node/input/password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in with password" }).click();
  // IAM requires a second factor: the seeded admin enrols an authenticator on this first sign-in.
  await passSecondFactor(page, ADMIN.email, (url) => url.origin === ATHENA_CIAM || url.pathname.startsWith("/consent"));
  if (new URL(page.url()).pathname.startsWith("/consent"))
    await page
      .getByRole("button", { name: /allow|accept|continue/i })
      .first()
      .click();
  await page.waitForURL(`${ATHENA_CIAM}/`);
  await expect(page.getByTestId("dashboard-title")).toHaveText("CIAM dashboard");
});

test("Athena: the identity list says Kratos is not reachable while CIAM Kratos is down, and lists identities again once it is back", async () => {
  await page.goto(`${ATHENA_CIAM}/identities`);
  await expect(page.getByText(CUSTOMER)).toBeVisible();

  await withOutage("ciam-kratos", async () => {
    await page.reload();
    await expect(notice("Identities could not be loaded")).toContainText("Kratos is not reachable right now.");
    await expectNoInternals();
  });

  await page.reload();
  await expect(page.getByText(CUSTOMER)).toBeVisible();
  await expect(notice("could not be loaded")).toHaveCount(0);
});

test("Athena: the OAuth2 client list says Hydra is not reachable while CIAM Hydra is down, and lists clients again once it is back", async () => {
  await page.goto(`${ATHENA_CIAM}/oauth2-clients`);
  await expect(page.getByTestId("clients-table")).toContainText("ciam-demo-rp");

  await withOutage("ciam-hydra", async () => {
    await page.reload();
    await expect(notice("OAuth2 clients could not be loaded")).toContainText("Hydra is not reachable right now.");
    await expectNoInternals();
  });

  await page.reload();
  await expect(page.getByTestId("clients-table")).toContainText("ciam-demo-rp");
});
