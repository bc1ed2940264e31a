import "server-only";
import type pg from "pg";
import { createAuditLog, type AuditLog } from "@olympus/athena-store/audit";
import { checkOlympusSchema, createOlympusPool } from "@olympus/athena-store/olympus-db";
import { createSettingsStore, deriveEncryptionKey, type SettingChanges, type SettingsStore } from "@olympus/athena-store/settings";
import { athenaConfig } from "./config";

interface OlympusDb {
  pool: pg.Pool;
  settings: SettingsStore;
  audit: AuditLog;
  /** The schema check in flight or passed; cleared when it fails, so the next caller asks again. */
  ready: Promise<void> | undefined;
}

// One pool per process, kept across dev-server module reloads.
const holder = globalThis as typeof globalThis & { __athenaOlympusDb?: OlympusDb };

function open(): OlympusDb {
  const config = athenaConfig();
  // Logged in as this domain's own role (olympus_ciam / olympus_iam): row-level
  // security gives it this domain's rows only, and it has no DDL rights.
  const pool = createOlympusPool(config.databaseUrl);
  const key = deriveEncryptionKey(config.encryptionKey, config.environment);
  const previousKeys = config.encryptionKeyPrevious ? [deriveEncryptionKey(config.encryptionKeyPrevious, config.environment)] : [];
  return {
    pool,
    settings: createSettingsStore({ pool, domain: config.domain, key, previousKeys }),
    audit: createAuditLog({ pool, domain: config.domain }),
    ready: undefined,
  };
}

function db(): OlympusDb {
  holder.__athenaOlympusDb ??= open();
  return holder.__athenaOlympusDb;
}

/**
 * Checks, at start-up and before first use, that the olympus database is
 * migrated (by the migration step: the devstack, or the olympus-migrate
 * one-shot in Compose) and that this Athena logs in as its own domain's
 * role. Later callers wait for the same check.
 */
export async function olympusDbReady(): Promise<void> {
  const current = db();
  current.ready ??= checkOlympusSchema(current.pool, athenaConfig().domain);
  try {
    await current.ready;
  } catch (error) {
    // The migration step may still be running: check again on the next call instead of caching the failure.
    current.ready = undefined;
    throw error;
  }
}

/** This domain's settings store, once the schema is in place. */
export async function settingsStore(): Promise<SettingsStore> {
  await olympusDbReady();
  return db().settings;
}

/** Sets and removes this domain's settings in one transaction, once the schema is in place. */
export async function changeDomainSettings(changes: SettingChanges, actor: string): Promise<{ removed: string[] }> {
  await olympusDbReady();
  return db().settings.change(changes, actor);
}

/** The olympus database's pool, once the schema is in place (Athena's session rows use it). */
export async function olympusPool(): Promise<pg.Pool> {
  await olympusDbReady();
  return db().pool;
}

/** This domain's audit log, once the schema is in place. */
export async function auditLog(): Promise<AuditLog> {
  await olympusDbReady();
  return db().audit;
}
