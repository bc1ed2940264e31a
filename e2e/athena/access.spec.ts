import { expect, test, uniqueEmail } from "./support/fixtures";
import { createEmployee } from "./support/iam";
import { expectDashboard, signInToAthena } from "./support/sign-in";

test.describe("Athena access: employees sign in through IAM", () => {
  test("the seeded IAM admin signs in to Athena IAM and Athena CIAM through Hera IAM and lands on each dashboard", async ({
    page,
    stack,
  }) => {
    await test.step("Athena IAM", async () => {
      await signInToAthena(page, stack.athena.iam, stack.admin.email, stack.admin.password);
      await expectDashboard(page, stack.athena.iam, "iam");
      await expect(page.getByTestId("role")).toHaveText("admin");
    });
    await test.step("Athena CIAM, same IAM account", async () => {
      await signInToAthena(page, stack.athena.ciam, stack.admin.email, stack.admin.password);
      await expectDashboard(page, stack.athena.ciam, "ciam");
    });
    await test.step("each Athena's session cookie stays on its own host", async () => {
      const ciam = await page.context().cookies(stack.athena.ciam);
      const session = ciam.find((c) => c.name.startsWith("athena.session"));
      expect(session?.domain).toBe("ciam.localhost");
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe("Lax");
      // A short idle timeout: the cookie expires within about 30 minutes.
      expect(session?.expires ?? 0).toBeLessThan(Date.now() / 1000 + 31 * 60);
    });
    await test.step("signing out of Athena CIAM also ends the IAM session (RP-initiated logout through Hera)", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/signin\?signed_out/);
      const names = (await page.context().cookies(stack.athena.ciam)).map((c) => c.name);
      expect(names.some((n) => n.startsWith("athena.session"))).toBe(false);
      // The next sign-in has to show Hera's login form again.
      await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
      await page.waitForURL(/iam\.localhost:4000\/login/);
    });
  });

  test("an IAM identity without iam_admin_role is refused", async ({ page, stack }) => {
    const nobody = await createEmployee(stack, uniqueEmail("norole"), undefined);
    await signInToAthena(page, stack.athena.ciam, nobody.email, nobody.password);
    await expect(page).toHaveURL(/\/signin\?error=AccessDenied/);
    await expect(page.getByRole("alert").filter({ hasText: "no Athena role" })).toBeVisible();
    const response = await page.goto(`${stack.athena.ciam}/identities`);
    expect(new URL(response?.url() ?? "").pathname).toBe("/signin");
  });

  test("a viewer can read but not write: the UI offers no write, and a direct server call is refused", async ({ page, stack }) => {
    const viewer = await createEmployee(stack, uniqueEmail("viewer"), "viewer");
    await signInToAthena(page, stack.athena.iam, viewer.email, viewer.password);
    await expectDashboard(page, stack.athena.iam, "iam");
    await expect(page.getByTestId("role")).toHaveText("viewer");

    await page.goto(`${stack.athena.iam}/settings`);
    await expect(page.getByTestId("read-only-notice")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save setting" })).toBeDisabled();

    await test.step("the disabled form, submitted anyway, reaches the server action, which refuses", async () => {
      const form = page.getByRole("form", { name: "Set a setting" });
      await form.evaluate((element) => {
        for (const fieldset of Array.from(element.querySelectorAll("fieldset"))) fieldset.disabled = false;
        const key = element.querySelector<HTMLInputElement>("input[list]");
        const value = element.querySelector<HTMLInputElement>("input[autocomplete=off]");
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
        if (key && value && setter) {
          setter.call(key, "viewer.attempt");
          key.dispatchEvent(new Event("input", { bubbles: true }));
          setter.call(value, "nope");
          value.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      await form.evaluate((element) => (element as HTMLFormElement).requestSubmit());
      await expect(page.getByText(/Only an admin may do this/)).toBeVisible();
      await expect(page.getByTestId("settings-table")).toHaveCount(0);
    });

    await test.step("the admin pages refuse the viewer", async () => {
      await page.goto(`${stack.athena.iam}/identities/new`);
      await expect(page).toHaveURL(`${stack.athena.iam}/?notice=forbidden`);
    });

    await test.step("the refusal is in the audit log", async () => {
      await page.goto(`${stack.athena.iam}/audit?action=settings.update&outcome=denied`);
      await expect(page.getByTestId("audit-table").locator("tbody tr").first()).toContainText(viewer.email);
    });
  });
});
