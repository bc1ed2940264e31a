import { test as base, expect } from "@playwright/test";
import { startIsolationStack, type IsolationStack } from "./stack";

/**
 * One running platform per worker, shared by every isolation spec (starting
 * it takes most of a minute); torn down when the worker ends.
 */
export const test = base.extend<object, { stack: IsolationStack }>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring; this one has none
    async ({}, use) => {
      const running = await startIsolationStack();
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

/** A fresh address per run, so runs never collide. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}
