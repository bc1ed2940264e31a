import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TenantSecrets } from "../secrets";

/** Inside a tenant's directory: its secrets (mode 600), rendered configs, Postgres data, logs and run state. */
export const EMBEDDED_LAYOUT = {
  secrets: ".env",
  postgresData: join("data", "postgres"),
  logs: "logs",
  state: join("run", "state.json"),
  appEnv: join("embedded", "app-env.json"),
} as const;

/** The base of the app processes' flags (app-runner.ts): a small young generation, one V8 worker, size before speed. */
export const LEAN_NODE_FLAGS = ["--max-semi-space-size=2", "--v8-pool-size=1", "--optimize-for-size"];

/** KEY=VALUE lines of the tenant's .env (comments and blank lines skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) values[match[1]] = match[2] ?? "";
  }
  return values;
}

export async function readTenantSecrets(directory: string): Promise<TenantSecrets> {
  return parseEnvFile(await readFile(join(directory, EMBEDDED_LAYOUT.secrets), "utf8"));
}
