import { test as base, expect } from "@playwright/test";
import { startIsolationStack, type IsolationStack } from "./stack";
import { uniqueEmail, workerStack } from "../../support/worker-stack";

/**
 * One running platform per worker, shared by every isolation spec (starting
 * it takes most of a minute); torn down when the worker ends.
 */
export const test = base.extend<object, { stack: IsolationStack }>({
  stack: workerStack(startIsolationStack),
});

export { expect };

export { uniqueEmail };
