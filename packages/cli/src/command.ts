import type { ParseArgsConfig } from "node:util";
import type { Env } from "./env";
import type { CommandResult, Output } from "./output";

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  /** Positional arguments after the command's words (`admin add <email>` → [email]). */
  args: string[];
  options: OptionValues;
  env: Env;
  cwd: string;
  out: Output;
}

export interface Command {
  /** The words that select it: "bootstrap", "admin add". */
  name: string;
  summary: string;
  /** "olympus admin add <email> [--role viewer|admin]" */
  usage: string;
  /** Options, variables and examples, as `--help` prints them after the usage line. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
  run(context: CommandContext): Promise<CommandResult>;
}

/** A flag's value as a string, when given. */
export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}
