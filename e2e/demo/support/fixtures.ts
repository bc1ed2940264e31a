import { test as base, expect } from "@playwright/test";
import { startDemoStack, type DemoStack } from "./stack";

/**
 * One dev stack, Hera CIAM and demo app per worker. Its own worker fixture,
 * so Playwright gives this suite its own worker and its stack never overlaps
 * the Hera or Athena suites' (they use the same fixed ports).
 */
export const test = base.extend<object, { demoStack: DemoStack }>({
  demoStack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring; this one has none
    async ({}, use) => {
      const running = await startDemoStack();
      try {
        await use(running.stack);
      } finally {
        await running.stop();
      }
    },
    { scope: "worker", timeout: 300_000 },
  ],
});

export { expect };
