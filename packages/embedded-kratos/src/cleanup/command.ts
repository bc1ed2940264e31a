import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { parseDuration } from "../config/duration";
import { deepMerge } from "../config/load";
import { isPlainObject } from "../config/unknown-keys";
import { Database } from "../storage/database";
import { cleanupDatabase } from "./sql";

/**
 * `cleanup sql [<database-url>]` with `kratos cleanup sql`'s flags
 * (cmd/cleanup/sql.go, cmd/cliclient/cleanup.go CleanupSQL):
 * `-e/--read-from-env` (default true: DSN from the environment or the config
 * files' `dsn`, arguments ignored; `--read-from-env=false` takes the DSN as
 * the one argument), `--database.cleanup.sleep.tables` (default 1m),
 * `-b/--database.cleanup.batch_size` (default 100), `--keep-last` (default 0)
 * and `-c/--config` files. As with configx, flags win over the environment
 * (`DSN`, `DATABASE_CLEANUP_SLEEP_TABLES`, `DATABASE_CLEANUP_BATCH_SIZE`),
 * which wins over the files.
 */

export interface CleanupCommand {
  dsn: string;
  sleepMs: number;
  batchSize: number;
  keepLastMs: number;
}

export class CleanupUsageError extends Error {}

const SLEEP_FLAG = "database.cleanup.sleep.tables";
const BATCH_FLAG = "database.cleanup.batch_size";

/** pflag's bool syntax: bare means true, `=value` takes strconv.ParseBool. */
function parseBoolFlag(name: string, value: string | undefined): boolean {
  if (value === undefined) return true;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  throw new CleanupUsageError(`invalid argument "${value}" for "${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

function parseDurationFlag(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new CleanupUsageError(`invalid argument "${value}" for "${name}" flag: time: invalid duration "${value}"`);
  return ms;
}

function parseIntFlag(name: string, value: string): number {
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new CleanupUsageError(`invalid argument "${value}" for "${name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
  return Number(value);
}

/** The value at a dotted path of the merged config files, if any. */
function configValue(config: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = config;
  for (const key of dotted.split(".")) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

function readConfigFiles(paths: readonly string[]): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const file of paths) {
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(file, "utf8"));
    } catch (error) {
      throw new CleanupUsageError(`cannot read config ${file}: ${(error as Error).message}`);
    }
    if (raw !== null && raw !== undefined && !isPlainObject(raw)) throw new CleanupUsageError(`config ${file} is not a mapping`);
    merged = deepMerge(merged, raw ?? {});
  }
  return merged;
}

/** Reads `cleanup sql`'s arguments (after `cleanup sql`) and environment into a command. */
export function parseCleanupSqlArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CleanupCommand {
  const flags: { readFromEnv: boolean; sleep?: string; batch?: string; keepLast?: string; config: string[] } = {
    readFromEnv: true,
    config: [],
  };
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("-") || arg === "-") {
      args.push(arg);
      continue;
    }
    if (arg === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new CleanupUsageError(`flag needs an argument: ${name}`);
      return next;
    };
    switch (name) {
      case "-e":
      case "--read-from-env":
        flags.readFromEnv = parseBoolFlag("read-from-env", inline);
        break;
      case `--${SLEEP_FLAG}`:
        flags.sleep = value();
        break;
      case "-b":
      case `--${BATCH_FLAG}`:
        flags.batch = value();
        break;
      case "--keep-last":
        flags.keepLast = value();
        break;
      case "-c":
      case "--config":
        flags.config.push(...value().split(","));
        break;
      default:
        throw new CleanupUsageError(`unknown flag: ${name}`);
    }
  }
  const config = readConfigFiles(flags.config);
  const fromConfig = (key: string) => {
    const v = configValue(config, key);
    return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  };

  let dsn: string;
  if (flags.readFromEnv) dsn = env.DSN || fromConfig("dsn") || "";
  else {
    if (args.length !== 1) throw new CleanupUsageError('expected to get the DSN as an argument, or the "read-from-env" flag');
    dsn = args[0] ?? "";
  }
  if (dsn === "") throw new CleanupUsageError('required config value "dsn" was not set');

  const sleep = flags.sleep ?? env.DATABASE_CLEANUP_SLEEP_TABLES ?? fromConfig(SLEEP_FLAG) ?? "1m";
  const batch = flags.batch ?? env.DATABASE_CLEANUP_BATCH_SIZE ?? fromConfig(BATCH_FLAG) ?? "100";
  const batchSize = parseIntFlag(BATCH_FLAG, batch);
  // Postgres refuses a negative LIMIT; say so before connecting.
  if (batchSize < 0) throw new CleanupUsageError(`${BATCH_FLAG} must not be negative, got ${batchSize}`);
  return {
    dsn,
    sleepMs: parseDurationFlag(SLEEP_FLAG, sleep),
    batchSize,
    keepLastMs: parseDurationFlag("keep-last", flags.keepLast ?? "0s"),
  };
}

/** Runs one cleanup; errors are printed and the exit code is 1, as cmdx.FailSilently. */
export async function runCleanupSql(argv: readonly string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<number> {
  let command: CleanupCommand;
  try {
    command = parseCleanupSqlArgs(argv, env);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const db = new Database(command.dsn, 1);
  try {
    await cleanupDatabase(db, { ...command, log });
    return 0;
  } catch (error) {
    log(`An error occurred while cleaning up expired data: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}
