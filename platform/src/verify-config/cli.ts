/**
 * verify-config: refuses a production configuration that would break the
 * CIAM/IAM boundary.
 *
 *   npm run verify-config -- --env platform/prod/olympus.env [--dir platform/prod] [--caddyfile platform/caddy/Caddyfile]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { PLATFORM_DIR } from "../paths";
import { readEnvFile } from "./env-file";
import { verifyProductionConfig } from "./verify";

function main(): number {
  const { values } = parseArgs({
    options: {
      env: { type: "string" },
      dir: { type: "string", default: path.join(PLATFORM_DIR, "prod") },
      caddyfile: { type: "string", default: path.join(PLATFORM_DIR, "caddy", "Caddyfile") },
    },
    strict: true,
  });
  if (!values.env) {
    console.error("verify-config: --env <file> is required (the deployment's env file, see platform/prod/olympus.env.example)");
    return 2;
  }
  const problems = verifyProductionConfig({
    dir: path.resolve(values.dir),
    caddyfile: path.resolve(values.caddyfile),
    env: readEnvFile(values.env),
  });
  if (problems.length === 0) {
    console.log(
      "verify-config: OK — routes, cookies, databases, networks, admin ports, OAuth2 clients and secrets keep CIAM and IAM apart",
    );
    return 0;
  }
  for (const problem of problems) console.error(`verify-config: ${problem.where}: ${problem.message}`);
  console.error(`verify-config: ${problems.length} problem(s); refusing this configuration`);
  return 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`verify-config: ${(error as Error).message}`);
  process.exitCode = 2;
}
