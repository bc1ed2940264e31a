import { DOMAINS, envPrefix } from "@olympus/runtime-config/config";
import type { Problem } from "../problem";
import type { ComposeProject } from "./compose-model";

/** The one-shot that migrates the olympus database (platform/src/olympus-migrate.ts). */
export const MIGRATE_SERVICE = "olympus-migrate";

/**
 * Who may hold which credential of the shared Postgres. The superuser's and
 * the migration role's passwords own the whole `olympus` database (they can
 * switch its row-level security and the audit log's trigger off), so only
 * postgres and the migration one-shot get them; each domain's role password
 * goes to that domain's apps only: its Athena (settings, audit log), its
 * Hera (the Kratos edge's sign-in counters) and its kratos-settings service
 * (reads the settings Kratos' overlay is rendered from). (That each app's URL logs in as
 * its own domain's role is the apps' start-up rule, reported with their environment.)
 */
const SHARED_HOLDERS = ["postgres", MIGRATE_SERVICE];
const POWERFUL = ["POSTGRES_PASSWORD", "OLYMPUS_MIGRATOR_DB_PASSWORD"];

/**
 * Each credential of the olympus database with its owner alone, and the
 * migration one-shot present: Athena's roles have no DDL rights, so without
 * it the schema would never be migrated.
 */
export function checkOlympusDatabaseAccess(project: ComposeProject): Problem[] {
  const problems: Problem[] = [];
  if (!project.services.some((s) => s.name === MIGRATE_SERVICE)) {
    problems.push({
      where: `${project.label}:services.${MIGRATE_SERVICE}`,
      message: "is missing; it migrates the olympus database before the Athenas start (their roles have no DDL rights)",
    });
  }
  const domainPasswords = Object.fromEntries(
    DOMAINS.map((d) => [`${envPrefix(d)}OLYMPUS_DB_PASSWORD`, [`${d}-athena`, `${d}-hera`, `${d}-kratos-settings`]]),
  );
  for (const service of project.services) {
    if (SHARED_HOLDERS.includes(service.name)) continue;
    for (const entry of service.environment.values()) {
      for (const variable of entry.from) {
        if (POWERFUL.includes(variable)) {
          problems.push({
            where: entry.where,
            message: `uses ${variable}, which owns the olympus database; only ${SHARED_HOLDERS.join(" and ")} may hold it`,
          });
        }
        const owners = domainPasswords[variable];
        if (owners !== undefined && !owners.includes(service.name)) {
          problems.push({
            where: entry.where,
            message: `uses ${variable}, ${owners.join(" and ")}'s own login to the olympus database; no other service may hold it`,
          });
        }
      }
    }
  }
  return problems;
}
