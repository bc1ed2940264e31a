import { defineConfig } from "vitest/config";

export default defineConfig({
  // Unit tests of Hera's plain modules; pages are covered by the browser journeys in e2e/hera.
  test: { include: ["lib/**/*.test.ts"] },
});
