import "server-only";
import { KratosRejection } from "@olympus/ory-client/admin";
import { AdminActionError } from "@/shared/server/action-result";
import { kratosAdmin } from "@/shared/server/ory";
import { revokeAccess, type RevokedAccess } from "./revoke-access";

/**
 * What Athena does to one identity, shared by the identity page's actions
 * and the list's bulk actions (which run it per selected identity), so a
 * bulk deactivation revokes exactly what a single one does.
 */

/** Kratos' validation reasons are meant for operators; anything else stays generic. */
export async function kratosCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof KratosRejection) throw new AdminActionError(error.message);
    throw error;
  }
}

function notYourself(id: string, actorId: string, what: string): void {
  // An employee locking themselves out of Athena IAM needs another admin to undo it.
  if (id === actorId) throw new AdminActionError(`You cannot ${what} your own identity; ask another admin.`);
}

export async function activateIdentity(id: string): Promise<void> {
  await kratosCall(() => kratosAdmin().patchIdentity(id, [{ op: "replace", path: "/state", value: "active" }]));
}

/** Inactive first (no new login is accepted), then everything already out there ends. */
export async function deactivateIdentity(id: string, actorId: string): Promise<RevokedAccess[]> {
  notYourself(id, actorId, "deactivate");
  await kratosCall(() => kratosAdmin().patchIdentity(id, [{ op: "replace", path: "/state", value: "inactive" }]));
  return revokeAccess(id, { kratosSessions: true });
}

/**
 * Deactivated and revoked before it goes: if revoking fails, the identity
 * is still there (inactive) to try again.
 */
export async function deleteIdentityEverywhere(id: string, actorId: string): Promise<{ schema: string; revoked: RevokedAccess[] }> {
  notYourself(id, actorId, "delete");
  const identity = await kratosAdmin().getIdentity(id);
  if (!identity) throw new AdminActionError("This identity no longer exists.");
  await kratosCall(() => kratosAdmin().patchIdentity(id, [{ op: "replace", path: "/state", value: "inactive" }]));
  const revoked = await revokeAccess(id, { kratosSessions: true });
  await kratosAdmin().deleteIdentity(id);
  return { schema: identity.schema_id, revoked };
}

/** Signs the identity out everywhere: Kratos sessions, and every Hydra consent, token and login. */
export async function revokeEverySession(id: string): Promise<RevokedAccess[]> {
  return revokeAccess(id, { kratosSessions: true });
}
