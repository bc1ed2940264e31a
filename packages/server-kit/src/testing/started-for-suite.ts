import { afterAll, beforeAll } from "vitest";

/**
 * Something a whole test file (or `describe` block) shares: started in the
 * calling block's `beforeAll`, stopped in its `afterAll`. The returned
 * function hands it out from the first test on and names `what` when it is
 * asked for earlier (at collection time, before `beforeAll` ran). A start
 * that fails leaves nothing to stop: it must clean up after itself.
 */
export function startedForSuite<T>(what: string, start: () => Promise<T>, stop: (started: T) => Promise<void>): () => T {
  let started: { value: T } | undefined;
  beforeAll(async () => {
    started = { value: await start() };
  });
  afterAll(async () => {
    if (started) await stop(started.value);
  });
  return () => {
    if (!started) throw new Error(`${what} is used before its beforeAll started it`);
    return started.value;
  };
}
