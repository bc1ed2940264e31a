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

/**
 * The supervisor's, which hosts the tenant's embedded Kratos and Hydra — as the dev stack runs its servers
 * (packages/devstack's dev script): one V8 worker, a young generation V8 may grow to 16 MB under load, and
 * `--expose-gc` for the idle collection (@olympus/devstack/idle-gc) that gives it back once idle. Not --optimize-for-size: it pins the young generation at 1 MB, so under load every
 * request in flight is promoted and old-space collections follow each other (whoami's latency tail; the
 * embedded Kratos bench runs with these flags).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=16", "--v8-pool-size=1", "--expose-gc"];

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
