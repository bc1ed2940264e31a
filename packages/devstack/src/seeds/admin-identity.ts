import { ensureIamAdmin, type EnsureOutcome } from "@olympus/ory-client/bootstrap";
import type { AdminApi } from "../ory/admin-api";
import type { AdminLogin } from "../options";
import { ADMIN_NAME } from "./dev-seeds";
import { seedError } from "./seed-error";

export type SeedOutcome = EnsureOutcome;

/**
 * Ensures the IAM admin identity exists (schema `admin`, Athena role `admin`
 * in metadata_admin, where only the admin API can put it), through
 * @olympus/ory-client/bootstrap — the code `olympus bootstrap` runs in production.
 * Development differs only in what it asks for: a password (the developer's
 * login) instead of an invitation, a verified address, and a deactivated
 * admin re-activated. An existing identity keeps its password — someone may
 * have changed it through the settings flow — and its other metadata, but
 * gets its role back if it lost it.
 */
export async function seedAdminIdentity(kratosAdmin: AdminApi, admin: AdminLogin): Promise<SeedOutcome> {
  try {
    const result = await ensureIamAdmin(
      { ...kratosAdmin, label: "IAM Kratos admin API" },
      { email: admin.email, role: "admin", name: ADMIN_NAME, password: admin.password, verified: true, reactivate: true },
    );
    return result.outcome;
  } catch (error) {
    throw seedError(error);
  }
}
