import { ensureOAuth2Client } from "@olympus/ory-client/bootstrap";
import type { AdminApi } from "../ory/admin-api";
import type { SeedOutcome } from "./admin-identity";
import type { OAuth2ClientSeed } from "./dev-seeds";
import { seedError } from "./seed-error";

/**
 * Creates the client when Hydra does not know it, replaces it (PUT, secret
 * included) when any seeded field or the secret drifted, and leaves it alone
 * otherwise — @olympus/ory-client/bootstrap, as `olympus bootstrap` does in production.
 */
export async function seedOAuth2Client(hydraAdmin: AdminApi, seed: OAuth2ClientSeed): Promise<SeedOutcome> {
  try {
    return (await ensureOAuth2Client(hydraAdmin, seed)).outcome;
  } catch (error) {
    throw seedError(error);
  }
}
