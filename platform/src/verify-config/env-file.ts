import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/** Reads a dotenv file (KEY=value lines, # comments) as Compose's --env-file does. */
export function readEnvFile(file: string): Record<string, string> {
  const parsed = parseEnv(readFileSync(file, "utf8"));
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** Replaces ${VAR}, ${VAR:?msg} and ${VAR:-default} with values from `env` where it has them. */
export function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}/g, (match, name: string) => env[name] ?? match);
}
