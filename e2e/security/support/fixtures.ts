import { test as base, expect } from "@playwright/test";
import { uniqueEmail, workerStack } from "../../support/worker-stack";
import { startSecurityStack, type SecurityStack } from "./stack";

/** One platform per worker, shared by every attack journey. */
export const test = base.extend<object, { stack: SecurityStack }>({
  stack: workerStack(startSecurityStack),
});

export { expect, uniqueEmail };
