import { parseArgs } from "node:util";
import { startEmbeddedKratos } from "./index";

/** `tsx src/cli.ts --config <kratos.yml>` — runs until SIGINT/SIGTERM. DSN and ADMIN_API_TOKEN come from the environment. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: "string", short: "c" }, host: { type: "string" }, dev: { type: "boolean" } } });
  if (!values.config) {
    console.error(
      "usage: tsx src/cli.ts --config <path/to/kratos.yml> [--host 127.0.0.1] [--dev]\n  env: DSN (overrides dsn), ADMIN_API_TOKEN (protects the admin API)",
    );
    process.exit(2);
  }
  const kratos = await startEmbeddedKratos({
    configPath: values.config,
    dsn: process.env.DSN || undefined,
    adminToken: process.env.ADMIN_API_TOKEN || undefined,
    host: values.host ?? process.env.HOST ?? "127.0.0.1",
    // Kratos' `serve --dev`: courier bodies visible in the admin API.
    dev: values.dev === true,
  });
  console.log(`embedded-kratos: public ${kratos.publicUrl}  admin ${kratos.adminUrl}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`embedded-kratos: ${signal}, shutting down`);
    await kratos.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
