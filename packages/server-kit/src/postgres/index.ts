export { createPgPool, PgDatabase, type PoolOptions, type Queryable } from "./database";
export { isDatabaseUnavailable, isUniqueViolation } from "./outage";
