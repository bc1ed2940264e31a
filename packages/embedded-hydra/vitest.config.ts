import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Each file starts its own embedded Postgres; two at a time suits 2 cores.
    maxWorkers: 2,
  },
});
