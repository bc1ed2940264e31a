import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    // Each integration file starts its own PostgreSQL and embedded Ory servers.
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
