import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { startHeraStack, type HeraStack } from "./stack";
import { waitForSettledPage } from "../../support/settled-page";
import { uniqueEmail, workerStack } from "../../support/worker-stack";

/**
 * One dev stack and one pair of Hera instances per worker, shared by every
 * Hera journey (starting them takes most of a minute); torn down when the
 * worker ends.
 */
export const test = base.extend<{ cspGuard: void }, { stack: HeraStack }>({
  // Every journey doubles as a CSP check: the policy must permit everything the pages need.
  cspGuard: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await use();
      expect(violations, "CSP violations").toEqual([]);
    },
    { auto: true },
  ],
  stack: workerStack(startHeraStack),
});

export { expect };

/** Fails on any serious or critical accessibility violation on the current page. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Scan the settled page, not a button mid-submit nor a CAPTCHA still solving.
  await waitForSettledPage(page);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(blocking, `accessibility of ${label}`).toEqual([]);
}

export { uniqueEmail };
