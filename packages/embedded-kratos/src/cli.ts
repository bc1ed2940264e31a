import { parseArgs } from "node:util";
import { runCleanupSql } from "./cleanup/command";
import { startEmbeddedKratos } from "./index";

/**
 * `tsx src/cli.ts -c <kratos.yml> [-c <overlay.yml> …]` — runs until
 * SIGINT/SIGTERM. Several files merge in order and are watched, as with
 * `kratos serve -c … -c …`. DSN and ADMIN_API_TOKEN come from the environment.
 *
 * `tsx src/cli.ts cleanup sql [<database-url>] [flags]` — one run of
 * `kratos cleanup sql` (see src/cleanup/command.ts), then exits.
 */
async function main(): Promise<void> {
  const [command, sub] = process.argv.slice(2);
  if (command === "cleanup") {
    if (sub !== "sql") {
      console.error(
        "usage: tsx src/cli.ts cleanup sql [<database-url>] [-e=false] [--keep-last 0s] [-b 100] [--database.cleanup.sleep.tables 1m] [-c kratos.yml]",
      );
      process.exit(2);
    }
    process.exit(await runCleanupSql(process.argv.slice(4), process.env, (line) => console.log(line)));
  }
  const { values } = parseArgs({
    options: { config: { type: "string", short: "c", multiple: true }, host: { type: "string" }, dev: { type: "boolean" } },
  });
  if (!values.config || values.config.length === 0) {
    console.error(
      "usage: tsx src/cli.ts --config <path/to/kratos.yml> [--config <overlay.yml> …] [--host 127.0.0.1] [--dev]\n  later files merge over earlier ones; all are watched and reloaded\n  env: DSN (overrides dsn), ADMIN_API_TOKEN (protects the admin API)",
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
