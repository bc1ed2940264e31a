import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file starts its own Postgres cluster; two at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
  },
});
