import { existsSync } from "node:fs";
import path from "node:path";
import { DEFAULT_CADDYFILE, DEFAULT_PRODUCTION_DIR, readEnvFile, verifyProductionConfig } from "@olympus/platform/verify-config";
import { stringOption, type Command } from "../command";
import { configError, usageError } from "../errors";

export const verifyConfigCommand: Command = {
  name: "verify-config",
  summary: "refuse a production configuration that would break the CIAM/IAM boundary",
  usage: "olympus verify-config --env <file> [--dir <folder>] [--caddyfile <file>]",
  help: `Runs platform/src/verify-config (also: npm run verify-config) on a production
configuration set: compose.yml, both domains' Kratos and Hydra configs,
oauth2-clients.yml and the Caddyfile, with the deployment's env file. Prints
one line per problem and exits 1 if there is any. Needs Caddy's \`caddy\`
binary on the PATH (the CLI image has it).

Options:
  --env <file>        the deployment's env file, as given to docker compose --env-file (required)
  --dir <folder>      the configuration set (default platform/prod)
  --caddyfile <file>  the Caddyfile (default platform/caddy/Caddyfile)`,
  options: { env: { type: "string" }, dir: { type: "string" }, caddyfile: { type: "string" } },
  positionals: { min: 0, max: 0 },
  // Checks files only, synchronously; the command interface is asynchronous.
  run({ options, cwd, out }) {
    const envOption = stringOption(options, "env");
    if (!envOption) throw usageError("--env <file> is required: the deployment's env file (see platform/prod/olympus.env.example)");
    const envFile = path.resolve(cwd, envOption);
    const dir = path.resolve(cwd, stringOption(options, "dir") ?? DEFAULT_PRODUCTION_DIR);
    const caddyfile = path.resolve(cwd, stringOption(options, "caddyfile") ?? DEFAULT_CADDYFILE);
    if (!existsSync(envFile)) throw configError(`--env ${envOption} does not exist; copy platform/prod/olympus.env.example and fill it in`);
    if (!existsSync(dir)) throw configError(`--dir ${dir} does not exist`);
    out.progress(`checking ${path.relative(cwd, dir) || dir} with ${path.relative(cwd, envFile) || envFile}…`);
    const problems = verifyProductionConfig({ dir, caddyfile, env: readEnvFile(envFile) });
    return Promise.resolve({
      ok: problems.length === 0,
      data: { dir, caddyfile, envFile, problems },
      lines:
        problems.length === 0
          ? ["verify-config: OK — routes, cookies, databases, networks, admin ports, OAuth2 clients and secrets keep CIAM and IAM apart"]
          : [
              ...problems.map((p) => `verify-config: ${p.where}: ${p.message}`),
              `verify-config: ${problems.length} problem(s); refusing this configuration`,
            ],
    });
  },
};
