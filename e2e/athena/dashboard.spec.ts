import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { expectAccessible, toasts } from "./support/accessibility";
import { createEmployee } from "./support/iam";
import { signInToAthena } from "./support/sign-in";

const DEFAULT_ORDER = [
  "totals",
  "active-users",
  "verification-rate",
  "sign-ups-vs-sign-ins",
  "users-by-schema",
  "mfa-adoption",
  "peak-hours",
  "grant-types",
  "recent-activity",
];

/** The widgets on screen, in order, by id. */
const widgetOrder = (page: Page) =>
  page
    .getByTestId("dashboard-widgets")
    .locator(":scope > [data-testid^='widget-']")
    .evaluateAll((nodes) => nodes.map((n) => (n.getAttribute("data-testid") ?? "").replace(/^widget-/, "")));

test("dashboard: charts with axes and values; an admin's own layout survives a reload, another admin keeps the default", async ({
  page,
  browser,
  stack,
}) => {
  // Athena IAM: its Kratos holds the employees, and signing in makes sessions to count.
  const athena = stack.athena.iam;
  const admin = await createEmployee(stack, uniqueEmail("dash-admin"), "admin");
  await signInToAthena(page, athena, admin.email, admin.password);

  await test.step("every widget is there, with its figures", async () => {
    expect(await widgetOrder(page)).toEqual(DEFAULT_ORDER);
    await expect(page.getByTestId("total-identities")).toHaveText(/^[1-9][\d,]*\+?$/);
    await expect(page.getByTestId("active-users-7")).toHaveText(/^\d[\d,]*$/);
    await expect(page.getByTestId("active-users-30")).toHaveText(/^\d[\d,]*$/);
    await expect(page.getByTestId("verification-rate")).toHaveText(/^(\d{1,3}%|—)$/);
    await expect(page.getByTestId("mfa-adoption")).toHaveText(/^(\d{1,3}%|—)$/);
    await expect(page.getByTestId("activity-feed").getByRole("listitem").first()).toBeVisible();
  });

  await test.step("the charts are drawn by recharts with axis titles, ticks and bar values, and have a table for screen readers", async () => {
    const schemas = page.getByTestId("widget-users-by-schema");
    await expect(schemas.locator(".recharts-bar-rectangle").first()).toBeVisible();
    await expect(schemas.locator(".recharts-label-list").first()).toContainText(/\d/);
    await expect(schemas.locator(".recharts-label")).toContainText(["Identities"]);
    await expect(schemas.getByRole("table")).toContainText("admin");

    const daily = page.getByTestId("widget-sign-ups-vs-sign-ins");
    await expect(daily.locator("svg.recharts-surface").first()).toBeVisible();
    await expect(daily.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value").first()).toHaveText(/^\d\d-\d\d$/);
    await expect(daily.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").first()).toHaveText(/^\d[\d,]*$/);
    await expect(daily.locator(".recharts-label")).toContainText(["Day (MM-DD, UTC)", "Count"]);
    await expect(daily.locator(".recharts-legend-wrapper")).toContainText("Sign-ups");
    await expect(daily.getByRole("table").locator("tbody tr")).toHaveCount(14);
    await daily.getByText("7 days", { exact: true }).click();
    await expect(daily.getByTestId("sign-ups-caption")).toContainText("last 7 days");
    await expect(daily.getByRole("table").locator("tbody tr")).toHaveCount(7);
    await daily.getByText("30 days", { exact: true }).click();
    await expect(daily.getByRole("table").locator("tbody tr")).toHaveCount(30);

    await expect(page.getByTestId("widget-peak-hours").getByRole("table").locator("tbody tr")).toHaveCount(24);
    await expect(page.getByTestId("widget-grant-types").locator(".recharts-bar-rectangle").first()).toBeVisible();
  });

  await test.step("at 1280 px nothing overflows and axe finds no violation", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, "the dashboard");
  });

  await test.step("the admin hides peak hours, moves recent activity to the top and saves", async () => {
    await page.getByTestId("customize-dashboard").click();
    const editor = page.getByTestId("layout-editor");
    await editor.getByRole("checkbox", { name: "Peak hours" }).uncheck();
    for (let i = 0; i < DEFAULT_ORDER.length - 1; i++) await editor.getByRole("button", { name: "Move Recent activity up" }).click();
    await expect(editor.getByRole("button", { name: "Move Recent activity up" })).toBeDisabled();
    await expectAccessible(page, "the dashboard's layout editor");
    await page.getByRole("button", { name: "Save layout" }).click();
    await expect(toasts(page).filter({ hasText: "Dashboard layout saved." })).toBeVisible();
    await expect(page.getByTestId("layout-editor")).toHaveCount(0);
  });

  const customised = ["recent-activity", ...DEFAULT_ORDER.filter((id) => id !== "recent-activity" && id !== "peak-hours")];
  expect(await widgetOrder(page)).toEqual(customised);

  await test.step("after a reload the layout is kept", async () => {
    await page.reload();
    await expect(page.getByTestId("layout-source")).toHaveText("Your saved layout.");
    expect(await widgetOrder(page)).toEqual(customised);
    await expect(page.getByTestId("widget-peak-hours")).toHaveCount(0);
  });

  await test.step("the save is in the audit log, in the admin's name", async () => {
    await expect(page.getByTestId("widget-recent-activity")).toContainText("dashboard.layout.save");
  });

  await test.step("a second admin still has the default layout", async () => {
    const other = await createEmployee(stack, uniqueEmail("dash-admin-2"), "admin");
    const context = await browser.newContext();
    try {
      const second = await context.newPage();
      await signInToAthena(second, athena, other.email, other.password);
      await expect(second.getByTestId("layout-source")).toHaveText("The default layout.");
      expect(await widgetOrder(second)).toEqual(DEFAULT_ORDER);
    } finally {
      await context.close();
    }
  });
});
