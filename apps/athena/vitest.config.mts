import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["features/**/*.test.ts", "shared/**/*.test.ts", "app/**/*.test.ts"] },
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // `server-only` throws outside React's server environment; tests run in plain Node, which is a server.
      "server-only": fileURLToPath(new URL("./shared/testing/server-only-stub.ts", import.meta.url)),
    },
  },
});
