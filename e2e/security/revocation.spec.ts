import type { Page } from "@playwright/test";
import { signInToAthena } from "./support/athena";
import { createPerson, whoami, type Person } from "./support/identities";
import { authorization, createTestClient, redeem, refreshWorks, waitForCallback, type TestClient } from "./support/oauth2";
import type { SecurityStack } from "./support/stack";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { input, signInAtHera, submitPassword } from "./support/ui";

// Attack: revocation that did not revoke. Before the fix, deactivating or deleting an
// identity in Athena, or revoking its sessions, left its Hydra consents and tokens alone:
// a refresh token kept minting access tokens for a deleted customer. And a password
// change or a recovery left every other session signed in (a thief kept his session).

/** A customer signed in at a throwaway client, holding a refresh token. */
async function customerWithRefreshToken(
  page: Page,
  stack: SecurityStack,
  client: TestClient,
  label: string,
): Promise<{ customer: Person; refreshToken: string }> {
  const customer = await createPerson(stack.ciam, uniqueEmail(label));
  const auth = await authorization(client);
  await page.goto(auth.url.href);
  await page.waitForURL(/\/login\?flow=/);
  await submitPassword(page, customer.email, customer.password);
  const tokens = await redeem(client, await waitForCallback(page, client), auth);
  if (!tokens.refresh_token) throw new Error("no refresh token");
  return { customer, refreshToken: tokens.refresh_token };
}

test("deactivating, deleting or signing out a customer in Athena revokes their tokens", async ({ browser, stack }) => {
  test.setTimeout(240_000);
  const client = await createTestClient(stack.ciam, "revocation");
  const customerContext = await browser.newContext();
  const adminContext = await browser.newContext();
  try {
    const customerPage = await customerContext.newPage();
    const adminPage = await adminContext.newPage();
    await signInToAthena(adminPage, stack.ciam.athena, stack.iam.hera, stack.admin.email, stack.admin.password);

    await test.step("deactivate: the refresh token dies and stays dead after re-activation", async () => {
      await customerContext.clearCookies();
      const { customer, refreshToken } = await customerWithRefreshToken(customerPage, stack, client, "revoke-deactivate");
      await adminPage.goto(`${stack.ciam.athena}/identities/${customer.id}`);
      await adminPage.getByRole("button", { name: "Deactivate", exact: true }).click();
      await expect(adminPage.getByRole("button", { name: "Activate", exact: true })).toBeVisible();
      expect(await refreshWorks(client, refreshToken)).toBe(false);
      await adminPage.getByRole("button", { name: "Activate", exact: true }).click();
      await expect(adminPage.getByRole("button", { name: "Deactivate", exact: true })).toBeVisible();
      expect(await refreshWorks(client, refreshToken), "re-activation brought an old token back").toBe(false);
    });

    await test.step("revoke all sessions: Kratos sessions, Hydra consents and tokens end", async () => {
      await customerContext.clearCookies();
      const { customer, refreshToken } = await customerWithRefreshToken(customerPage, stack, client, "revoke-sessions");
      await adminPage.goto(`${stack.ciam.athena}/identities/${customer.id}`);
      await adminPage.getByRole("button", { name: "Revoke all sessions" }).click();
      await adminPage.getByRole("dialog").getByRole("button", { name: "Revoke all" }).click();
      await expect(adminPage.getByRole("dialog")).toBeHidden();
      await expect.poll(() => refreshWorks(client, refreshToken)).toBe(false);
    });

    await test.step("delete: the refresh token of a deleted customer no longer works", async () => {
      await customerContext.clearCookies();
      const { customer, refreshToken } = await customerWithRefreshToken(customerPage, stack, client, "revoke-delete");
      await adminPage.goto(`${stack.ciam.athena}/identities/${customer.id}`);
      await adminPage.getByRole("button", { name: "Delete identity" }).click();
      const dialog = adminPage.getByRole("dialog");
      await dialog.getByRole("textbox").fill(customer.email);
      await dialog.getByRole("button", { name: "Delete permanently" }).click();
      await adminPage.waitForURL(`${stack.ciam.athena}/identities`);
      expect(await refreshWorks(client, refreshToken)).toBe(false);
    });
  } finally {
    await customerContext.close();
    await adminContext.close();
  }
});

test("changing the password signs every other device out", async ({ browser, stack }) => {
  const customer = await createPerson(stack.ciam, uniqueEmail("password-change"));
  const thiefContext = await browser.newContext();
  const ownerContext = await browser.newContext();
  try {
    const thief = await thiefContext.newPage();
    await signInAtHera(thief, stack.ciam.hera, customer.email, customer.password);
    const owner = await ownerContext.newPage();
    await signInAtHera(owner, stack.ciam.hera, customer.email, customer.password);

    await owner.goto(`${stack.ciam.hera}/settings`);
    const form = owner.getByTestId("ory/screen/settings/group/password");
    await form.getByTestId("ory/form/node/input/password").fill(`changed-${customer.password}`);
    await form.getByRole("button", { name: "Save" }).click();
    await expect(owner.getByText(/your changes have been saved/i).first()).toBeVisible();

    const cookieOf = async (page: Page) =>
      (await page.context().cookies(stack.ciam.hera)).find((c) => c.name === stack.ciam.sessionCookie)?.value ?? "";
    expect((await whoami(stack.ciam, await cookieOf(thief))).status, "the other device is still signed in").toBe(401);
    expect((await whoami(stack.ciam, await cookieOf(owner))).status).toBe(200);
    await thief.goto(`${stack.ciam.hera}/settings`);
    await expect(input(thief, "password")).toBeVisible();
  } finally {
    await thiefContext.close();
    await ownerContext.close();
  }
});
