import {
  createInvitation,
  endHydraSessions,
  ensureIamAdmin,
  isDemotion,
  type EnsureOutcome,
  type Invitation,
  type PersonName,
} from "@olympus/ory-client/bootstrap";
import type { IamAdminRole } from "@olympus/ory-client/identity";
import type { IamApis } from "./iam-apis";
import type { Output } from "./output";

export interface AdminAccountRequest {
  email: string;
  role: IamAdminRole;
  name: PersonName | undefined;
  /** "new": an invitation only for an identity this run created; "always": a fresh one for an existing identity too. */
  invite: "new" | "always";
  /** Kratos duration the invitation stays valid (24h, 30m). */
  invitationLifespan: string;
}

/** What `--json` reports about the admin. */
export interface AdminAccountReport {
  email: string;
  identityId: string;
  role: IamAdminRole;
  previousRole: IamAdminRole | null;
  outcome: EnsureOutcome;
  changes: string[];
  active: boolean;
  /** True when a lowered role ended the person's IAM Hydra consents and logins. */
  signInsEnded: boolean;
  /** Printed here once and nowhere else: Kratos' admin API sends no mail. */
  invitation: (Invitation & { delivery: "printed" }) | null;
  notes: string[];
}

/**
 * Creates or repairs one IAM admin identity (role in metadata_admin, no
 * password) and, for a new identity, makes its invitation: a Kratos admin
 * recovery code with the link to enter it at, valid `invitationLifespan`.
 * It is printed, not mailed: the admin API cannot send mail, the
 * self-service recovery flow that could would mail a "reset your password"
 * message through the public API instead of an invitation, and the first
 * admin must get in before anyone has checked the SMTP settings. The
 * operator hands it over.
 */
export async function provisionAdmin(
  apis: IamApis,
  request: AdminAccountRequest,
  out: Output,
): Promise<{ report: AdminAccountReport; lines: string[] }> {
  out.progress(`IAM admin ${request.email}: checking in IAM Kratos…`);
  const result = await ensureIamAdmin(apis.kratos, { email: request.email, role: request.role, name: request.name, reactivate: false });
  const notes: string[] = [];
  let signInsEnded = false;
  if (isDemotion(result.previousRole, request.role)) {
    // As Athena does on a role change: the lower role takes effect at the next sign-in, not at the session's next refresh.
    await endHydraSessions(apis.hydra, result.identityId);
    signInsEnded = true;
    notes.push(
      `role lowered from ${result.previousRole ?? "none"}: their IAM sign-ins were ended, so the new role applies at their next sign-in`,
    );
  }
  let invitation: AdminAccountReport["invitation"] = null;
  const wantsInvitation = result.outcome === "created" || request.invite === "always";
  if (!result.active) {
    notes.push("the identity is deactivated and was left so; activate it in Athena IAM if that was a mistake");
  } else if (wantsInvitation) {
    invitation = { ...(await createInvitation(apis.kratos, result.identityId, request.invitationLifespan)), delivery: "printed" };
  }

  const report: AdminAccountReport = {
    email: result.email,
    identityId: result.identityId,
    role: result.role,
    previousRole: result.previousRole ?? null,
    outcome: result.outcome,
    changes: result.changes,
    active: result.active,
    signInsEnded,
    invitation,
    notes,
  };
  return { report, lines: describeAdmin(report) };
}

function describeAdmin(report: AdminAccountReport): string[] {
  const what =
    report.outcome === "created"
      ? `created with role ${report.role}`
      : report.outcome === "updated"
        ? `updated (${report.changes.join(", ")}): role ${report.role}`
        : `unchanged (role ${report.role})`;
  const lines = [`IAM admin ${report.email}: ${what}, identity ${report.identityId}`];
  for (const note of report.notes) lines.push(`  note: ${note}`);
  if (report.invitation) {
    lines.push(
      `  invitation for ${report.email}, valid until ${report.invitation.expiresAt ?? "Kratos' code lifespan"} — shown only here, not mailed; send it to them yourself.`,
      `  They open the link, enter the code, and choose a password:`,
      `  link: ${report.invitation.link}`,
      `  code: ${report.invitation.code}`,
    );
  }
  return lines;
}
