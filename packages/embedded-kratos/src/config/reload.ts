import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { loadKratosConfig, type KratosConfig, type LoadConfigOptions } from "./load";
import { isPlainObject } from "./unknown-keys";

/**
 * Keys Kratos refuses to change while running: driver/config/config.go `New`
 * passes configx.WithImmutables("serve", "profiling", "log") with the
 * exception of serve.public.cors.allowed_origins. ory/x configx
 * (provider.go, Provider.reload) then rejects a changed revision that
 * touches any of them as a whole and keeps the running one.
 */
const IMMUTABLE_KEYS: readonly string[][] = [["serve"], ["profiling"], ["log"]];
const MUTABLE_EXCEPTIONS: readonly string[][] = [["serve", "public", "cors", "allowed_origins"]];

/**
 * Keys Kratos does reload but this server reads once, at start-up (the
 * database, the schema registry, the hasher, the courier worker and the set
 * of enabled strategies with their routes, except `oidc`'s). A change keeps
 * the start-up value and is logged as needing a restart. Kratos itself also
 * reads `dsn` only at start-up.
 */
const READ_AT_START_UP: readonly string[][] = [
  ["dsn"],
  ["identity"],
  ["hashers"],
  ["courier", "worker"],
  ["courier", "message_retries"],
  ["selfservice", "methods", "*", "enabled"],
];
/** Exceptions to READ_AT_START_UP: strategies whose routes check `enabled` per request (Strategy.switchableAtRunTime). */
const RELOADED_ANYWAY: ReadonlySet<string> = new Set(["selfservice.methods.oidc.enabled"]);

export interface ConfigReloaderOptions extends LoadConfigOptions {
  /** The files, in merge order, as given at start-up. */
  files: readonly string[];
  /** The running config: every service holds this object, so a reload updates it in place. */
  config: KratosConfig;
  log: (line: string) => void;
  /** Checks beyond the schema that a new revision must pass (e.g. the SMTP URI builds a transport). Throw to refuse. */
  validate?: (next: KratosConfig) => void;
  /**
   * Looks at each revision that is not refused, before it is applied, without
   * refusing it: Kratos' config watchers (configx.AttachWatcher) run after
   * every reload and can only log, as validateIdentitySchemas does.
   */
  inspect?: (next: KratosConfig) => void;
  /** Quiet period after a file event before reading (editors and renames come in bursts). Default 100 ms. */
  debounceMs?: number;
}

export type ReloadOutcome = "applied" | "unchanged" | "invalid" | "immutable-changed";

export interface ConfigReloader {
  /** Reads the files now and applies them if valid; what happened. */
  reload(): ReloadOutcome;
  close(): void;
}

/**
 * Watches the config files as Kratos does (ory/x watcherx watches each file's
 * folder, so a file replaced by rename is seen) and applies a changed
 * revision: read, merged and validated like at start-up; an invalid one is
 * logged and the last working revision stays, as in Kratos. The swap is in
 * place — fields of the one config object every service holds are replaced —
 * so code that reads the config per request sees the new values on its next
 * read, without any service being rebuilt.
 */
export function watchKratosConfig(options: ConfigReloaderOptions): ConfigReloader {
  const { config, log } = options;
  const files = options.files.map((file) => path.resolve(file));
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];

  const reload = (): ReloadOutcome => {
    let next: KratosConfig;
    try {
      next = loadKratosConfig(files, { overrides: options.overrides, warn: options.warn ?? log });
      options.validate?.(next);
    } catch (error) {
      log(
        `embedded-kratos: the changed configuration is invalid and was not loaded; keeping the last working revision: ${(error as Error).message}`,
      );
      return "invalid";
    }
    const immutable = changedImmutableKey(config, next);
    if (immutable) {
      log(
        `embedded-kratos: config key "${immutable}" cannot change while the server runs (Kratos marks it immutable); the changed revision was not loaded — restart to apply it`,
      );
      return "immutable-changed";
    }
    options.inspect?.(next);
    for (const key of keepStartUpValues(config, next)) {
      log(`embedded-kratos: config key "${key}" changed; embedded-kratos reads it at start-up only, so it applies after a restart`);
    }
    if (isDeepStrictEqual(strip(config), strip(next))) return "unchanged";
    replaceInPlace(config, next);
    log(`embedded-kratos: configuration reloaded from ${files.join(" + ")}`);
    return "applied";
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      reload();
    }, options.debounceMs ?? 100);
    timer.unref();
  };

  const byFolder = new Map<string, Set<string>>();
  for (const file of files) {
    const names = byFolder.get(path.dirname(file)) ?? new Set<string>();
    names.add(path.basename(file));
    byFolder.set(path.dirname(file), names);
  }
  for (const [folder, names] of byFolder) {
    const watcher = watch(folder, { persistent: false }, (_event, name) => {
      // Some platforms give no name: re-read to be safe.
      if (name === null || names.has(name.toString())) schedule();
    });
    watcher.on("error", (error) => log(`embedded-kratos: watching ${folder} for config changes failed: ${error.message}`));
    watchers.push(watcher);
  }

  return {
    reload,
    close() {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** The first immutable key whose value differs, or undefined. */
function changedImmutableKey(current: KratosConfig, next: KratosConfig): string | undefined {
  const withoutExceptions = (config: KratosConfig) => {
    let copy = strip(config);
    for (const key of MUTABLE_EXCEPTIONS) copy = withoutPath(copy, key);
    return copy;
  };
  const a = withoutExceptions(current);
  const b = withoutExceptions(next);
  for (const key of IMMUTABLE_KEYS) {
    if (!isDeepStrictEqual(getPath(a, key), getPath(b, key))) return key.join(".");
  }
  return undefined;
}

/** Puts the start-up values of READ_AT_START_UP keys into `next`; returns the keys that had changed. */
function keepStartUpValues(current: KratosConfig, next: KratosConfig): string[] {
  const changed: string[] = [];
  const target = next as unknown as Record<string, unknown>;
  const source = current as unknown as Record<string, unknown>;
  for (const pattern of READ_AT_START_UP) {
    for (const key of expand(pattern, source, target)) {
      if (RELOADED_ANYWAY.has(key.join("."))) continue;
      const before = getPath(source, key);
      if (isDeepStrictEqual(before, getPath(target, key))) continue;
      changed.push(key.join("."));
      setPath(target, key, before);
    }
  }
  return changed;
}

/** A pattern's concrete paths: `*` stands for every key present at that level in either config. */
function expand(pattern: readonly string[], a: Record<string, unknown>, b: Record<string, unknown>): string[][] {
  const star = pattern.indexOf("*");
  if (star < 0) return [[...pattern]];
  const prefix = pattern.slice(0, star);
  const keys = new Set<string>();
  for (const config of [a, b]) {
    const level = getPath(config, prefix);
    if (isPlainObject(level)) for (const key of Object.keys(level)) keys.add(key);
  }
  return [...keys].flatMap((key) => expand([...prefix, key, ...pattern.slice(star + 1)], a, b));
}

function replaceInPlace(current: KratosConfig, next: KratosConfig): void {
  const target = current as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!(key in next)) delete target[key];
  Object.assign(target, next);
}

/** The config without the bookkeeping fields that name files. */
function strip(config: KratosConfig): Record<string, unknown> {
  const { source: _source, sources: _sources, ...rest } = config;
  return rest;
}

function getPath(value: unknown, key: readonly string[]): unknown {
  let cursor = value;
  for (const part of key) {
    if (!isPlainObject(cursor)) return undefined;
    cursor = cursor[part];
  }
  return cursor;
}

function setPath(value: Record<string, unknown>, key: readonly string[], leaf: unknown): void {
  let cursor = value;
  for (const part of key.slice(0, -1)) {
    const child = cursor[part];
    if (!isPlainObject(child)) {
      if (leaf === undefined) return;
      cursor[part] = {};
    }
    cursor = cursor[part] as Record<string, unknown>;
  }
  const last = key[key.length - 1];
  if (last === undefined) return;
  if (leaf === undefined) delete cursor[last];
  else cursor[last] = leaf;
}

/** A copy without `key`, sharing everything off its path (the original is untouched). */
function withoutPath(value: Record<string, unknown>, key: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = key;
  if (head === undefined || !(head in value)) return value;
  const { [head]: child, ...others } = value;
  if (rest.length === 0) return others;
  return isPlainObject(child) ? { ...others, [head]: withoutPath(child, rest) } : value;
}
