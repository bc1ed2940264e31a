import { moveAdminOnlyTraits, type MoveAdminOnlyTraitsReport } from "@olympus/ory-client/identity";
import { DevstackError } from "../errors";
import type { AdminApi } from "../ory/admin-api";
import type { AdminLogin, DevstackPorts } from "../options";
import { seedAdminIdentity, type SeedOutcome } from "./admin-identity";
import { clientSeeds, type OAuth2ClientSeed } from "./dev-seeds";
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
  // The domains' seeds do not depend on each other: run them side by side. Within IAM the traits move
  // first, so data from before the role left the traits is valid under today's schemas (the admin seed
  // validates them when it repairs the role).
  const [ciamMoved, iam, iamClients, ciamClients] = await Promise.all([
    moveAdminOnlyTraits({ domain: "ciam", kratosAdminUrl: targets.ciamKratos.url, adminToken: targets.ciamKratos.token }),
    (async () => {
      const moved = await moveAdminOnlyTraits({
        domain: "iam",
        kratosAdminUrl: targets.iamKratos.url,
        adminToken: targets.iamKratos.token,
      });
      // A refused move stops here, before the admin seed meets the traits it could not move.
      const count = movedCount("IAM", moved);
      return { moved: count, admin: await seedAdminIdentity(targets.iamKratos, admin) };
    })(),
    seedClients(targets.iamHydra, "iam", seeds.iam),
    seedClients(targets.ciamHydra, "ciam", seeds.ciam),
  ]);
  return {
    movedToAdminMetadata: { ciam: movedCount("CIAM", ciamMoved), iam: iam.moved },
    admin: iam.admin,
    clients: [...iamClients, ...ciamClients],
  };
}

/** One Hydra's clients, one after the other (each a read and maybe a write). */
async function seedClients(hydra: AdminApi, domain: "ciam" | "iam", seeds: readonly OAuth2ClientSeed[]): Promise<SeedReport["clients"]> {
  const outcomes: SeedReport["clients"] = [];
  for (const seed of seeds) outcomes.push({ hydra: domain, clientId: seed.client_id, outcome: await seedOAuth2Client(hydra, seed) });
  return outcomes;
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
