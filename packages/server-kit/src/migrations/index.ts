export { runMigrations, type Migration, type MigrationLedger } from "./run-migrations";
