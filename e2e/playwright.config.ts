import { defineConfig } from "@playwright/test";

/**
 * Journeys run in Debian's Chromium (apt package `chromium`): Playwright's own
 * browser download cannot reach its servers from this network.
 */
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  // CI has two cores shared by Postgres, four Ory servers and two Next.js apps.
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    trace: "off",
    // Every click, fill and navigation gets its own limit below the test's two minutes, so a step that hangs
    // fails naming itself (a hung invitee page once surfaced only as the whole test's timeout).
    actionTimeout: 30_000,
    navigationTimeout: 45_000,
  },
});
