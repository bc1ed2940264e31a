import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["src/**/*.test.ts"] },
  // `server-only` throws outside React's server environment; in tests the
  // modules run in plain Node, which is a server.
  resolve: { alias: { "server-only": fileURLToPath(new URL("./src/testing/server-only-stub.ts", import.meta.url)) } },
});
