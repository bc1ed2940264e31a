import { test as base, expect } from "@playwright/test";
import { startDemoStack, type DemoStack } from "./stack";
import { workerStack } from "../../support/worker-stack";

/**
 * One dev stack, Hera CIAM and demo app per worker. Its own worker fixture,
 * so Playwright gives this suite its own worker and its stack never overlaps
 * the Hera or Athena suites' (they use the same fixed ports).
 */
export const test = base.extend<object, { demoStack: DemoStack }>({
  demoStack: workerStack(startDemoStack),
});

export { expect };
