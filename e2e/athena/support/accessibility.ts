import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { waitForSettledPage } from "../../support/settled-page";
import { expect } from "./fixtures";

/** Fails on any WCAG 2.1 A/AA violation axe finds on the current Athena page, whatever its impact. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await waitForSettledPage(page);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(found, `accessibility of ${label}`).toEqual([]);
}

/** The toasts on screen (sonner), for journeys that check what was or was not said. */
export const toasts = (page: Page) => page.locator("[data-sonner-toast]");
