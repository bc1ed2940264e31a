import { parseArgs } from "node:util";
import { startEmbeddedHydra } from "./start";

/**
 * tsx src/cli.ts --config platform/dev/ciam-hydra/hydra.yml
 * Env: DSN overrides the config's dsn; ADMIN_API_TOKEN protects /admin.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: "string" }, host: { type: "string" }, dev: { type: "boolean" } } });
  if (!values.config) {
    process.stderr.write("usage: tsx src/cli.ts --config <path/to/hydra.yml> [--host 127.0.0.1] [--dev]\n");
    process.exit(2);
  }
  const hydra = await startEmbeddedHydra({
    configPath: values.config,
    ...(process.env.DSN ? { dsn: process.env.DSN } : {}),
    ...(process.env.ADMIN_API_TOKEN ? { adminToken: process.env.ADMIN_API_TOKEN } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values.dev ? { dev: true } : {}),
  });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`embedded-hydra: ${signal} received, shutting down\n`);
    hydra.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`embedded-hydra: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
