import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The integration files each run a whole backend (Postgres, four servers, the mail catcher); two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
