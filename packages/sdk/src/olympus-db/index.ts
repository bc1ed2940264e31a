export { createOlympusPool } from "./pool";
export { migrateOlympusDatabase, MIGRATIONS, type Migration } from "./migrations";
export { inDomainTransaction } from "./scoped";
