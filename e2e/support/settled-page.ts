import { expect, type Page } from "@playwright/test";

/** How long the DOM must stay unchanged to count as settled, and the most a page is given to get there. */
const QUIET_MS = 250;
const QUIET_WITHIN_MS = 5_000;

/**
 * Waits until a page is ready to be inspected (an accessibility scan): loaded,
 * its forms hydrated by React, its DOM done changing (what only shows once
 * the page is hydrated has shown), no button mid-submit (Ory Elements marks
 * it `data-loading="true"` while it posts) and no ALTCHA widget still solving
 * (its checkbox carries the same marker until it is verified or has failed).
 *
 * Not `waitForLoadState("networkidle")`: the ALTCHA widget solves in Web
 * Workers loaded from blob: URLs and ends them all as soon as one has the
 * solution; a worker ended while its script was still loading leaves a
 * request Chromium never reports as finished, so on a busy machine the page
 * may never become network-idle at all.
 */
export async function waitForSettledPage(page: Page): Promise<void> {
  await page.waitForLoadState("load");
  // React attaches its fiber to each DOM node it hydrates, a <form> once everything in it is hydrated.
  await page.waitForFunction(
    () => [document.body, ...Array.from(document.forms)].every((node) => Object.keys(node).some((key) => key.startsWith("__reactFiber$"))),
    undefined,
    { timeout: 30_000 },
  );
  await page.evaluate(
    ({ quietMs, withinMs }) =>
      new Promise<void>((resolve) => {
        const done = () => {
          observer.disconnect();
          clearTimeout(quiet);
          clearTimeout(limit);
          resolve();
        };
        let quiet = setTimeout(done, quietMs);
        const limit = setTimeout(done, withinMs);
        const observer = new MutationObserver(() => {
          clearTimeout(quiet);
          quiet = setTimeout(done, quietMs);
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
    { quietMs: QUIET_MS, withinMs: QUIET_WITHIN_MS },
  );
  await expect(page.locator('[data-loading="true"]')).toHaveCount(0);
}
