/**
 * The embedded Postgres and the database layout, for other stacks built from
 * the same pieces (`olympus tenant create --embedded` runs one per tenant).
 */
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from "./server";
export { applyDatabaseLayout, migrateOlympusAsMigrator } from "./layout";
