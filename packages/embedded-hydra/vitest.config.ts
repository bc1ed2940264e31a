import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // RSA-4096 signing keys for every test stack, generated once (src/testing/signing-keys.ts).
    globalSetup: ["src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Each file starts its own embedded Postgres; two at a time suits 2 cores.
    maxWorkers: 2,
  },
});
