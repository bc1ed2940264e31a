import "server-only";
import type pg from "pg";
import { createAuditLog, type AuditLog } from "@olympus/sdk/audit";
import { createOlympusPool, migrateOlympusDatabase } from "@olympus/sdk/olympus-db";
import { createSettingsStore, deriveEncryptionKey, type SettingsStore } from "@olympus/sdk/settings";
import { athenaConfig } from "./config";

interface OlympusDb {
  pool: pg.Pool;
  settings: SettingsStore;
  audit: AuditLog;
  migrated: Promise<void>;
}

// One pool per process, kept across dev-server module reloads.
const holder = globalThis as typeof globalThis & { __athenaOlympusDb?: OlympusDb };

function open(): OlympusDb {
  const config = athenaConfig();
  const pool = createOlympusPool(config.databaseUrl);
  const key = deriveEncryptionKey(config.encryptionKey, config.environment);
  const previousKeys = config.encryptionKeyPrevious ? [deriveEncryptionKey(config.encryptionKeyPrevious, config.environment)] : [];
  return {
    pool,
    settings: createSettingsStore({ pool, domain: config.domain, key, previousKeys }),
    audit: createAuditLog({ pool, domain: config.domain }),
    migrated: migrateOlympusDatabase(pool).then(() => undefined),
  };
}

function db(): OlympusDb {
  holder.__athenaOlympusDb ??= open();
  return holder.__athenaOlympusDb;
}

/** Runs the olympus database's migrations (at start-up; later callers wait for the same run). */
export async function migrateOnStartup(): Promise<void> {
  const current = db();
  try {
    await current.migrated;
  } catch (error) {
    // Retry on the next call instead of caching the failure forever.
    current.migrated = migrateOlympusDatabase(current.pool).then(() => undefined);
    throw error;
  }
}

/** This domain's settings store, once the schema is in place. */
export async function settingsStore(): Promise<SettingsStore> {
  await migrateOnStartup();
  return db().settings;
}

/** The olympus database's pool, once the schema is in place (Athena's session rows use it). */
export async function olympusPool(): Promise<pg.Pool> {
  await migrateOnStartup();
  return db().pool;
}

/** This domain's audit log, once the schema is in place. */
export async function auditLog(): Promise<AuditLog> {
  await migrateOnStartup();
  return db().audit;
}
