import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { expectAccessible, toasts } from "./support/accessibility";
import { CiamApi } from "./support/ciam-api";
import { createEmployee } from "./support/iam";
import { signInToAthena } from "./support/sign-in";

/** A real browser's user agent, as a session records it: long enough to push a careless layout sideways. */
const CHROME_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

const table = (page: Page) => page.getByTestId("identities-table");
const summary = (page: Page) => page.getByTestId("pager-summary");
const identifiersShown = async (page: Page) =>
  (await table(page).locator("tbody tr td:nth-child(2) a").allInnerTexts()).map((t) => t.trim());

async function search(page: Page, athena: string, fields: { identifier?: string; name?: string }): Promise<void> {
  await page.goto(`${athena}/identities`);
  const form = page.getByRole("search", { name: "Search identities" });
  await form.getByRole("searchbox", { name: "Email or identifier", exact: true }).fill(fields.identifier ?? "");
  await form.getByRole("searchbox", { name: "Name", exact: true }).fill(fields.name ?? "");
  await form.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\/identities\?/);
}

async function select(page: Page, emails: string[]): Promise<void> {
  for (const email of emails)
    await table(page)
      .getByRole("checkbox", { name: `Select ${email}` })
      .check();
  await expect(page.getByTestId("bulk-actions")).toContainText(
    `${emails.length} ${emails.length === 1 ? "identity" : "identities"} selected`,
  );
}

test("an operator finds customers by the start of their email or by name, pages newest first, and acts on several at once", async ({
  page,
  stack,
}) => {
  test.setTimeout(300_000);
  const athena = stack.athena.ciam;
  const api = new CiamApi(stack);
  const run = Date.now().toString(36);
  const prefix = `find-${run}`;
  // 30 customers, each created after the one before; two of them share an unusual surname.
  const emails: string[] = [];
  const ids: string[] = [];
  for (let n = 0; n < 30; n++) {
    const email = `${prefix}-${String(n).padStart(2, "0")}@example.com`;
    ids.push(
      await api.createBareCustomer(email, {
        first: n === 7 ? "Zoë" : "Test",
        last: n === 7 || n === 21 ? `Quokka${run}` : `Customer ${n}`,
      }),
    );
    emails.push(email);
  }
  const newestFirst = [...emails].reverse();
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);

  await test.step("a partial identifier finds every identity whose identifier starts with it, newest first, with the total", async () => {
    await search(page, athena, { identifier: prefix });
    await expect(summary(page)).toHaveText("1–25 of 30");
    expect(await identifiersShown(page)).toEqual(newestFirst.slice(0, 25));
    await expect(page.getByTestId("order-notice")).toHaveCount(0);
    await expectAccessible(page, "the identities list");
  });

  await test.step("the pager goes to the next page and back", async () => {
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(summary(page)).toHaveText("26–30 of 30");
    expect(await identifiersShown(page)).toEqual(newestFirst.slice(25));
    await expect(page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next page" })).toHaveCount(0);
    await page.getByRole("link", { name: "Previous page" }).click();
    await expect(summary(page)).toHaveText("1–25 of 30");
    expect(await identifiersShown(page)).toEqual(newestFirst.slice(0, 25));
  });

  await test.step("a name finds people by every word, ignoring case and accents", async () => {
    await search(page, athena, { name: `quokka${run}` });
    await expect(summary(page)).toHaveText("1–2 of 2");
    expect(await identifiersShown(page)).toEqual([emails[21], emails[7]]);
    await search(page, athena, { name: `zoe QUOKKA${run}` });
    expect(await identifiersShown(page)).toEqual([emails[7]]);
  });

  const chosen = [emails[29], emails[28], emails[27]] as string[];
  const chosenIds = [ids[29], ids[28], ids[27]] as string[];
  await test.step("bulk deactivate asks once, naming the count, and deactivates each", async () => {
    await search(page, athena, { identifier: prefix });
    await select(page, chosen);
    await page.getByTestId("bulk-actions").getByRole("button", { name: "Deactivate" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading")).toHaveText("Deactivate 3 identities?");
    await dialog.getByRole("button", { name: "Deactivate 3 identities" }).click();
    await expect(page.getByText("3 identities deactivated; their sessions and tokens are revoked")).toBeVisible();
    for (const id of chosenIds) expect(await api.identityState(id)).toBe("inactive");
    await expect(table(page).locator('tbody tr[data-state="inactive"]')).toHaveCount(3);
  });

  await test.step("bulk activate brings them back", async () => {
    await select(page, chosen);
    await page.getByTestId("bulk-actions").getByRole("button", { name: "Activate", exact: true }).click();
    await expect(page.getByText("3 identities activated")).toBeVisible();
    for (const id of chosenIds) expect(await api.identityState(id)).toBe("active");
  });

  await test.step("bulk revoke sessions signs each selected customer out", async () => {
    const password = "bulk-sessions-pass-42";
    const people = [uniqueEmail(`sessions-${run}`), uniqueEmail(`sessions-${run}`)];
    for (const email of people) await api.createCustomer(email, password);
    const tokens = await Promise.all(people.map((email) => api.signIn(email, password)));
    for (const token of tokens) expect(await api.whoamiStatus(token)).toBe(200);
    await search(page, athena, { identifier: `sessions-${run}` });
    await select(page, people);
    await page.getByTestId("bulk-actions").getByRole("button", { name: "Revoke sessions" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke sessions" }).click();
    await expect(page.getByText("Every session of 2 identities revoked")).toBeVisible();
    for (const token of tokens) expect(await api.whoamiStatus(token)).toBe(401);
  });

  await test.step("bulk delete asks once, naming the count, and deletes each", async () => {
    await search(page, athena, { identifier: prefix });
    const doomed = [emails[29], emails[28]] as string[];
    await select(page, doomed);
    await page.getByTestId("bulk-actions").getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading")).toHaveText("Delete 2 identities?");
    await dialog.getByRole("button", { name: "Delete 2 identities" }).click();
    await expect(page.getByText("2 identities deleted")).toBeVisible();
    expect(await api.identityState(ids[29] ?? "")).toBe("deleted");
    expect(await api.identityState(ids[28] ?? "")).toBe("deleted");
    await expect(summary(page)).toHaveText("1–25 of 28");
  });

  await test.step("the audit log has one entry per identity for each bulk action", async () => {
    for (const [action, id] of [
      ["identity.set_state", ids[27]],
      ["identity.delete", ids[29]],
      ["identity.delete", ids[28]],
    ] as const) {
      await page.goto(`${athena}/audit?target=${id}&action=${action}`);
      await expect(
        page.getByTestId("audit-table").locator(`tr[data-action="${action}"][data-outcome="success"]`).first(),
        `${action} ${id}`,
      ).toContainText(stack.admin.email);
    }
  });
});

test("on an identity's page an operator removes one credential and extends a session, and nothing is cut off at 1280 px", async ({
  page,
  stack,
  browser,
}) => {
  test.setTimeout(300_000);
  const athena = stack.athena.ciam;
  const api = new CiamApi(stack);
  const email = uniqueEmail("credentials");
  const password = "credentials-pass-42";
  const id = await api.createBareCustomer(
    email,
    { first: "Grace", last: "Hopper" },
    { credentials: { password: { config: { password } }, oidc: { config: { providers: [{ provider: "github", subject: "4242" }] } } } },
  );
  await api.signIn(email, password, CHROME_ON_LINUX);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);
  await page.goto(`${athena}/identities/${id}`);

  await test.step("at 1280 px the page fits the window, Actions included, with the session shown as 'Chrome on Linux'", async () => {
    const session = page.getByTestId("identity-sessions").locator("li").first();
    await expect(session).toContainText("Chrome on Linux");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);
    const actions = page.locator("section").filter({ has: page.getByRole("heading", { name: "Actions" }) });
    const box = await actions.boundingBox();
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    expect((box?.x ?? 0) + (box?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(width);
    await expect(actions.getByRole("button", { name: "Delete identity" })).toBeInViewport();
    await expectAccessible(page, "an identity's page");
  });

  await test.step("extend asks Kratos and says what it did: a fresh session is outside Kratos' extend window", async () => {
    await page
      .getByTestId("identity-sessions")
      .getByRole("button", { name: /^Extend session / })
      .click();
    await expect(page.getByText(/Kratos left the session as it was .*earliest_possible_extend/)).toBeVisible();
  });

  await test.step("one social sign-in link is removed through Kratos' admin API; the password stays", async () => {
    expect(await api.credentials(id)).toMatchObject({ password: [email], oidc: ["github:4242"] });
    await page.getByRole("button", { name: "Remove Sign-in with GitHub (account 4242)" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await expect(page.getByText("The social sign-in link was removed.")).toBeVisible();
    await expect(page.getByTestId("credentials")).not.toContainText("GitHub");
    // Kratos drops the link and keeps the password (an emptied oidc credential may stay, as Kratos leaves it).
    const after = await api.credentials(id);
    expect(after.password).toEqual([email]);
    expect(after.oidc ?? []).toEqual([]);
  });

  await test.step("an employee's authenticator app is removed on Athena IAM", async () => {
    // The employee signs in once: Hera IAM makes them enrol an authenticator (their lack of an Athena role is refused after that).
    const employee = await createEmployee(stack, uniqueEmail("totp"), undefined);
    const context = await browser.newContext();
    const employeePage = await context.newPage();
    await signInToAthena(employeePage, stack.athena.iam, employee.email, employee.password);
    await context.close();
    const typesOf = async () =>
      Object.keys(
        (
          (await (
            await fetch(`${stack.kratosAdmin.iam}/admin/identities/${employee.id}`, {
              headers: { Authorization: `Bearer ${stack.adminToken.iam}` },
            })
          ).json()) as {
            credentials?: Record<string, unknown>;
          }
        ).credentials ?? {},
      );
    expect(await typesOf()).toContain("totp");

    await signInToAthena(page, stack.athena.iam, stack.admin.email, stack.admin.password);
    await page.goto(`${stack.athena.iam}/identities/${employee.id}`);
    await page.getByRole("button", { name: "Remove Authenticator app (TOTP)" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await expect(page.getByText("The authenticator app was removed.")).toBeVisible();
    expect(await typesOf()).not.toContain("totp");
    await page.goto(`${stack.athena.iam}/audit?action=identity.remove_credential&target=${employee.id}`);
    await expect(
      page.getByTestId("audit-table").locator('tr[data-action="identity.remove_credential"][data-outcome="success"]'),
    ).toHaveCount(1);
  });

  await test.step("each change is in the audit log", async () => {
    for (const action of ["identity.remove_credential", "session.extend"]) {
      await page.goto(`${athena}/audit?action=${action}`);
      await expect(
        page.getByTestId("audit-table").locator(`tr[data-action="${action}"][data-outcome="success"]`).first(),
        action,
      ).toContainText(stack.admin.email);
    }
  });
});

test("creating an identity with an email that is taken says so beside the email field, not in a toast", async ({ page, stack }) => {
  const athena = stack.athena.ciam;
  const api = new CiamApi(stack);
  const email = uniqueEmail("taken");
  await api.createBareCustomer(email, { first: "Ada", last: "Lovelace" });
  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);
  await page.goto(`${athena}/identities/new`);
  await page.getByLabel("Identity schema").selectOption("customer");
  await page.locator("input[name='email']").fill(email.toUpperCase());
  await page.locator("input[name='name.first']").fill("Ada");
  await page.locator("input[name='name.last']").fill("Again");
  await page.getByRole("button", { name: "Create identity" }).click();

  const field = page.locator("input[name='email']");
  await expect(page.getByTestId("field-error-email")).toHaveText("An identity with this email exists already.");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toBeFocused();
  await expect(toasts(page)).toHaveCount(0);
  await expect(page).toHaveURL(`${athena}/identities/new`);
  await expectAccessible(page, "the new-identity form with a field error");
});
