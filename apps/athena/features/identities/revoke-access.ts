import "server-only";
import { hydraAdmin, kratosAdmin } from "@/shared/server/ory";

/** What revokeAccess ended, for the audit log. */
export type RevokedAccess = "kratos_sessions" | "hydra_consents" | "hydra_login_sessions";

/**
 * Ends everything that lets `subject` act in this domain without signing in
 * again: its Kratos sessions (unless `kratosSessions: false`), every Hydra
 * consent session — which revokes every access and refresh token issued
 * under it, for every client — and every Hydra login session, so no client
 * gets a new token without a fresh login at Hera. Used when an identity is
 * deactivated, deleted or signed out by an admin, and (Hydra only) when an
 * employee's Athena role changes.
 */
export async function revokeAccess(subject: string, options: { kratosSessions: boolean }): Promise<RevokedAccess[]> {
  const revoked: RevokedAccess[] = [];
  // Kratos first: while a Kratos session lives, Hera could accept a new Hydra login with it.
  if (options.kratosSessions) {
    await kratosAdmin().deleteIdentitySessions(subject);
    revoked.push("kratos_sessions");
  }
  await hydraAdmin().revokeConsentSessions(subject);
  revoked.push("hydra_consents");
  await hydraAdmin().revokeLoginSessions({ subject });
  revoked.push("hydra_login_sessions");
  return revoked;
}
