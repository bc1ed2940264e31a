/**
 * The `olympus` database's roles (created by platform/postgres/init.sql).
 *
 * Row-level security gives a row to the role a connection logged in as, so a
 * domain's boundary is its credential: an Athena holding `olympus_ciam`'s
 * password reaches CIAM's rows and nothing else, whatever it sets in its
 * session. Neither domain role owns anything, so neither can switch the
 * policies or the audit log's triggers off. The tables belong to
 * `olympus_migrator`, which only the migration step (the devstack at start,
 * the `olympus-migrate` one-shot in Compose) logs in as.
 */
export const OLYMPUS_DATABASE = "olympus";
export const OLYMPUS_MIGRATOR_ROLE = "olympus_migrator";
/**
 * The single login role every Athena shared before per-domain roles. The
 * upgrade renames it to the migrator (it owned the tables); nothing may log
 * in as it again.
 */
export const LEGACY_OLYMPUS_ROLE = "olympus";

/** The role one domain's Athena logs in as; defined with the domain facts the configuration checks. */
export { olympusDomainRole, type OlympusDomainRole } from "@olympus/runtime-config/config";
