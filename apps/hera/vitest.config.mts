import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Hera's plain modules, and its Kratos edge against a real Postgres and a real
  // embedded Kratos; pages are covered by the browser journeys in e2e/hera.
  test: { include: ["lib/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 120_000 },
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // `server-only` throws outside React's server environment; tests run in plain Node, which is a server.
      "server-only": fileURLToPath(new URL("./lib/testing/server-only-stub.ts", import.meta.url)),
    },
  },
});
