import { test as base, expect } from "@playwright/test";
import { startAthenaStack, type AthenaStack } from "./stack";

/** One stack (dev stack, Hera IAM, both Athenas) per worker, shared by every Athena journey. */
export const test = base.extend<object, { stack: AthenaStack }>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring; this one has none
    async ({}, use) => {
      const running = await startAthenaStack();
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

/** A fresh address per journey, so runs never collide. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}
