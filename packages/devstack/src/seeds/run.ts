import { moveAdminOnlyTraits, type MoveAdminOnlyTraitsReport } from "@olympus/ory-client/identity";
import { DevstackError } from "../errors";
import type { AdminApi } from "../ory/admin-api";
import type { AdminLogin, DevstackPorts } from "../options";
import { seedAdminIdentity, type SeedOutcome } from "./admin-identity";
import { clientSeeds } from "./dev-seeds";
import { seedOAuth2Client } from "./oauth2-clients";

/** The admin APIs the seeds write to, each with the token it requires. */
export interface SeedTargets {
  ciamKratos: AdminApi;
  iamKratos: AdminApi;
  iamHydra: AdminApi;
  ciamHydra: AdminApi;
}

export interface SeedReport {
  /** Identities whose admin-only traits (IAM role, CIAM business attributes) were moved into metadata_admin. */
  movedToAdminMetadata: { ciam: number; iam: number };
  admin: SeedOutcome;
  clients: { hydra: "ciam" | "iam"; clientId: string; outcome: SeedOutcome }[];
}

/** Runs every seed through the admin HTTP APIs; safe to run on every start. */
export async function runSeeds(targets: SeedTargets, admin: AdminLogin, ports: DevstackPorts): Promise<SeedReport> {
  const seeds = clientSeeds(ports);
  // First, so data from before the role left the traits is valid under today's schemas (the admin seed below validates them when it repairs the role).
  const movedToAdminMetadata = {
    ciam: movedCount(
      "CIAM",
      await moveAdminOnlyTraits({ domain: "ciam", kratosAdminUrl: targets.ciamKratos.url, adminToken: targets.ciamKratos.token }),
    ),
    iam: movedCount(
      "IAM",
      await moveAdminOnlyTraits({ domain: "iam", kratosAdminUrl: targets.iamKratos.url, adminToken: targets.iamKratos.token }),
    ),
  };
  const report: SeedReport = { movedToAdminMetadata, admin: await seedAdminIdentity(targets.iamKratos, admin), clients: [] };
  for (const seed of seeds.iam) {
    report.clients.push({ hydra: "iam", clientId: seed.client_id, outcome: await seedOAuth2Client(targets.iamHydra, seed) });
  }
  for (const seed of seeds.ciam) {
    report.clients.push({ hydra: "ciam", clientId: seed.client_id, outcome: await seedOAuth2Client(targets.ciamHydra, seed) });
  }
  return report;
}

function movedCount(label: string, report: MoveAdminOnlyTraitsReport): number {
  const [first] = report.failed;
  if (first) {
    throw new DevstackError(
      "seed",
      `seed: ${label} Kratos refused to move admin-only traits of ${report.failed.length} identities into metadata_admin (${first.id}: ${first.reason}); fix them by hand or run npm run dev:reset`,
    );
  }
  return report.moved.length;
}
