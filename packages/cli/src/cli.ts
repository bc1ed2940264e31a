import { parseArgs } from "node:util";
import type { Command, OptionValues } from "./command";
import { adminAddCommand } from "./commands/admin-add";
import { bootstrapCommand } from "./commands/bootstrap";
import { kratosSettingsSyncCommand } from "./commands/kratos-settings";
import { rotateKeyCommand } from "./commands/rotate-key";
import { statusCommand } from "./commands/status";
import { tenantCommands } from "./commands/tenant";
import { controlPlaneCommands } from "./commands/control-plane";
import { verifyConfigCommand } from "./commands/verify-config";
import { CliError, toCliError, usageError } from "./errors";
import { Output, type CliIo } from "./output";

export type { CliIo } from "./output";

export const COMMANDS: readonly Command[] = [
  bootstrapCommand,
  adminAddCommand,
  statusCommand,
  verifyConfigCommand,
  rotateKeyCommand,
  kratosSettingsSyncCommand,
  ...tenantCommands,
  ...controlPlaneCommands,
];

const GLOBAL_FLAGS = new Set(["--json", "--help", "-h"]);
const GLOBAL_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Runs one `olympus` command line and returns the exit code: 0 done, 1 the
 * command failed (a service down, a refused configuration, an API error),
 * 2 the command line or the configuration is wrong. Never throws.
 */
export async function runOlympus(argv: readonly string[], io: CliIo): Promise<number> {
  // Global flags may come before the command too: `olympus --json status`.
  let first = 0;
  while (first < argv.length && GLOBAL_FLAGS.has(argv[first] ?? "")) first++;
  const leading = argv.slice(0, first);
  const tail = argv.slice(first);
  const json = argv.includes("--json");

  if (tail.length === 0 || (tail[0] === "help" && tail.length === 1)) {
    new Output(io, json, "").text(globalHelp());
    // A bare `olympus` is a usage mistake; asking for help is not.
    return tail.length === 0 && !leading.some((flag) => flag !== "--json") ? 2 : 0;
  }
  if (tail[0] === "help") {
    const helped = findCommand(tail.slice(1));
    const out = new Output(io, json, "help");
    if (helped) {
      out.text(commandHelp(helped));
      return 0;
    }
    out.error(usageError(`unknown command "${tail.slice(1).join(" ")}"; run olympus --help for the list`));
    return 2;
  }
  const command = findCommand(tail);
  if (!command) {
    const words = tail.filter((arg) => !arg.startsWith("-"));
    new Output(io, json, words[0] ?? "").error(
      usageError(`unknown command "${words.slice(0, 2).join(" ")}"; run olympus --help for the list`),
    );
    return 2;
  }

  const out = new Output(io, json, command.name);
  try {
    const rest = [...leading, ...tail.slice(command.name.split(" ").length)];
    let parsed: { values: OptionValues; positionals: string[] };
    try {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { ...command.options, ...GLOBAL_OPTIONS },
        allowPositionals: true,
        strict: true,
      });
      const single: OptionValues = {};
      for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
        if (typeof value === "string" || typeof value === "boolean") single[name] = value;
      }
      parsed = { values: single, positionals };
    } catch (error) {
      throw usageError(`${(error as Error).message.split(". ")[0]}; see olympus ${command.name} --help`);
    }
    if (parsed.values.help === true) {
      out.text(commandHelp(command));
      return 0;
    }
    const { min, max } = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) throw usageError(`usage: ${command.usage}`);
    const result = await command.run({ args: parsed.positionals, options: parsed.values, env: io.env, cwd: io.cwd, out });
    out.result(result);
    return result.ok ? 0 : 1;
  } catch (error) {
    const cliError: CliError = toCliError(error);
    out.error(cliError);
    return cliError.exitCode;
  }
}

/** The command named by the leading words: "status", "admin add". */
function findCommand(words: readonly string[]): Command | undefined {
  return COMMANDS.find((command) => {
    const name = command.name.split(" ");
    return name.every((word, index) => words[index] === word);
  });
}

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "olympus — operate an Olympus deployment",
    "",
    "Usage: olympus <command> [options] [--json]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command reads its configuration from the environment (run one with --help for",
    "its variables), prints one line per result, and with --json exactly one JSON document",
    'on stdout instead (errors too: {"ok": false, "error": {"code", "message"}}).',
    "Exit codes: 0 done, 1 failed (a service down, a refused configuration), 2 wrong command line or configuration.",
    "",
    "From a checkout: npm run olympus -- <command>. In Compose: the image olympus/cli (the bootstrap service).",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage} [--json]`,
    "",
    `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.`,
    "",
    command.help,
  ].join("\n");
}
