import type { AdminLogin, DevstackPorts } from "../options";
import { seedAdminIdentity, type SeedOutcome } from "./admin-identity";
import { clientSeeds } from "./dev-seeds";
import { seedOAuth2Client } from "./oauth2-clients";

export interface SeedTargets {
  iamKratosAdminUrl: string;
  iamHydraAdminUrl: string;
  ciamHydraAdminUrl: string;
}

export interface SeedReport {
  admin: SeedOutcome;
  clients: { hydra: "ciam" | "iam"; clientId: string; outcome: SeedOutcome }[];
}

/** Runs every seed through the admin HTTP APIs; safe to run on every start. */
export async function runSeeds(targets: SeedTargets, admin: AdminLogin, ports: DevstackPorts): Promise<SeedReport> {
  const seeds = clientSeeds(ports);
  const report: SeedReport = { admin: await seedAdminIdentity(targets.iamKratosAdminUrl, admin), clients: [] };
  for (const seed of seeds.iam) {
    report.clients.push({ hydra: "iam", clientId: seed.client_id, outcome: await seedOAuth2Client(targets.iamHydraAdminUrl, seed) });
  }
  for (const seed of seeds.ciam) {
    report.clients.push({ hydra: "ciam", clientId: seed.client_id, outcome: await seedOAuth2Client(targets.ciamHydraAdminUrl, seed) });
  }
  return report;
}
