import { test as base, expect } from "@playwright/test";
import { startAthenaStack, type AthenaStack } from "./stack";
import { uniqueEmail, workerStack } from "../../support/worker-stack";

/** One stack (dev stack, Hera IAM, both Athenas) per worker, shared by every Athena journey. */
export const test = base.extend<object, { stack: AthenaStack }>({
  stack: workerStack(startAthenaStack),
});

export { expect };

export { uniqueEmail };
