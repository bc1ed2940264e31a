import type { Page } from "@playwright/test";
import { z } from "zod";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { expectAccessible } from "./support/accessibility";
import { createEmployee } from "./support/iam";
import { signInToAthena } from "./support/sign-in";

/** Hera IAM's same-origin Kratos API, where its brute-force limits apply (by loopback address: Node cannot resolve *.localhost). */
const HERA_IAM_KRATOS = "http://127.0.0.1:4000/.ory/kratos";
/** platform/dev/iam-hera/limits.yml: 5 password guesses per identifier, back-off from the 3rd, then a 30-minute lockout. */
const IAM_PASSWORD_MAX = 5;

async function passwordAttempt(identifier: string, password: string): Promise<Response> {
  const flow = z.object({ id: z.string() }).parse(await (await fetch(`${HERA_IAM_KRATOS}/self-service/login/api`)).json());
  return fetch(`${HERA_IAM_KRATOS}/self-service/login?flow=${flow.id}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ method: "password", identifier, password }),
  });
}

/** Wrong passwords through Hera's edge until it locks the identifier, waiting out each back-off it announces (Retry-After). */
async function lockOut(identifier: string): Promise<void> {
  let counted = 0;
  for (let tries = 0; counted < IAM_PASSWORD_MAX && tries < 30; tries++) {
    const response = await passwordAttempt(identifier, "not-the-password-1");
    const retryAfter = response.headers.get("retry-after");
    await response.body?.cancel();
    if (retryAfter === null) counted++;
    else await new Promise((resolve) => setTimeout(resolve, (Number(retryAfter) + 0.3) * 1000));
  }
  expect(counted, `wrong passwords Hera counted for ${identifier}`).toBe(IAM_PASSWORD_MAX);
}

const lockedRow = (page: Page, identifier: string) => page.getByTestId("locked-table").getByRole("row").filter({ hasText: identifier });

test("locked accounts: what Hera's limits locked, when and why; unlocked one at a time or several at once, each audited", async ({
  page,
  stack,
}) => {
  test.setTimeout(300_000);
  const athena = stack.athena.iam;
  const employee = await createEmployee(stack, uniqueEmail("locked"), undefined);
  const strangers = [uniqueEmail("nobody"), uniqueEmail("nobody"), uniqueEmail("nobody")];

  await test.step("Hera's edge locks an employee and addresses nobody has, after five wrong passwords each", async () => {
    await Promise.all([employee.email, ...strangers].map(lockOut));
    const refused = await passwordAttempt(employee.email, employee.password);
    expect(refused.headers.get("retry-after"), "even the right password is refused while locked").not.toBeNull();
    await refused.body?.cancel();
  });

  await signInToAthena(page, athena, stack.admin.email, stack.admin.password);

  await test.step("the Locked accounts page lists each, with why, since when, until when and from where", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Locked accounts" }).click();
    await expect(page.getByRole("heading", { name: "Locked accounts" })).toBeVisible();
    for (const identifier of [employee.email, ...strangers]) {
      const row = lockedRow(page, identifier);
      await expect(row).toHaveCount(1);
      await expect(row).toContainText(`Wrong passwords: ${IAM_PASSWORD_MAX} of ${IAM_PASSWORD_MAX}`);
      await expect(row).toContainText("127.0.0.1");
      await expect(row.locator("time")).toHaveCount(2);
    }
    await expect(page.getByTestId("pager-summary")).toHaveText(/^1–\d+ of \d+$/);
    await expectAccessible(page, "the locked accounts page");
  });

  await test.step("one account is unlocked: it leaves the list and the right password gets through Hera again", async () => {
    await lockedRow(page, employee.email)
      .getByRole("button", { name: `Unlock ${employee.email}` })
      .click();
    await expect(page.getByText("1 account unlocked")).toBeVisible();
    await expect(lockedRow(page, employee.email)).toHaveCount(0);
    // The password is accepted again. IAM requires a second factor and this employee has none, so Hera's edge
    // answers a native login with Kratos' session_aal2_required (enrol first) instead of a session token.
    const login = await passwordAttempt(employee.email, employee.password);
    const answer = z.object({ error: z.object({ id: z.string() }) }).parse(await login.json());
    expect({ status: login.status, id: answer.error.id }).toEqual({ status: 403, id: "session_aal2_required" });
  });

  await test.step("several are unlocked at once", async () => {
    const [first, second] = strangers as [string, string, string];
    await page
      .getByTestId("locked-table")
      .getByRole("checkbox", { name: `Select ${first}` })
      .check();
    await page
      .getByTestId("locked-table")
      .getByRole("checkbox", { name: `Select ${second}` })
      .check();
    await page.getByRole("button", { name: "Unlock selected" }).click();
    await expect(page.getByText("2 accounts unlocked")).toBeVisible();
    await expect(lockedRow(page, first)).toHaveCount(0);
    await expect(lockedRow(page, second)).toHaveCount(0);
    await expect(lockedRow(page, strangers[2] ?? "")).toHaveCount(1);
  });

  await test.step("each unlock is in the audit log under the identifier Hera locked", async () => {
    for (const identifier of [employee.email, strangers[0], strangers[1]]) {
      await page.goto(`${athena}/audit?action=edge.unlock&target=${encodeURIComponent(identifier ?? "")}`);
      await expect(
        page.getByTestId("audit-table").locator('tr[data-action="edge.unlock"][data-outcome="success"]'),
        identifier,
      ).toHaveCount(1);
    }
    await page.goto(`${athena}/audit?action=edge.lockout&target=${encodeURIComponent(employee.email)}`);
    await expect(page.getByTestId("audit-table").locator('tr[data-action="edge.lockout"]').first()).toBeVisible();
  });
});
