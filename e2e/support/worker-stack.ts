import type { WorkerFixture } from "@playwright/test";

/** Something a suite started and must stop again. */
export interface RunningStack<T> {
  stack: T;
  stop: () => Promise<void>;
}

/**
 * A worker-scoped Playwright fixture around a stack: started once per worker
 * (starting one takes most of a minute) and shared by every test of the
 * suite, stopped when the worker ends. Each suite's fixture is its own, so
 * Playwright gives each suite its own worker and two stacks on the same fixed
 * ports never run at once.
 */
export function workerStack<T>(start: () => Promise<RunningStack<T>>): [WorkerFixture<T, object>, { scope: "worker"; timeout: number }] {
  return [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring; this one has none
    async ({}, use) => {
      const running = await start();
      try {
        await use(running.stack);
      } finally {
        await running.stop();
      }
    },
    { scope: "worker", timeout: 300_000 },
  ];
}

/** A fresh address per journey, so runs never collide. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}
