export { createOlympusPool } from "./pool";
export { migrateOlympusDatabase, MIGRATIONS, type Migration } from "./migrations";
export { checkOlympusSchema, OlympusSchemaError } from "./readiness";
export { LEGACY_OLYMPUS_ROLE, OLYMPUS_DATABASE, OLYMPUS_MIGRATOR_ROLE, olympusDomainRole, type OlympusDomainRole } from "./roles";
export { inDomainTransaction, OlympusRoleError } from "./scoped";
