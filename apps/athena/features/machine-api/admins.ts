import "server-only";
import type { Identity } from "@ory/client";
import { athenaConfig } from "@/shared/server/config";
import { kratosAdmin } from "@/shared/server/ory";
import { recordAudit } from "@/shared/server/audit";
import { parseAdminRole } from "@/shared/auth/roles";
import { DeniedCallAudit } from "./denied-call-audit";
import { authorizeMachine, hydraIntrospection } from "./machine-auth";

/** The scope the control plane's client holds at this tenant's IAM Hydra. */
const ADMINS_READ_SCOPE = "olympus.admins.read";
const PAGE_SIZE = 250;
const ACTION = "machine.admins.list";

/** One per Athena process: refused calls cost at most one audit row per reason and minute here. */
const deniedCalls = new DeniedCallAudit();

function roleOf(identity: Identity): string | undefined {
  const metadata = identity.metadata_admin as Record<string, unknown> | null | undefined;
  return parseAdminRole(metadata?.iam_admin_role);
}

/**
 * `GET /api/machine/admins` (Athena IAM only): the tenant's Athena admins —
 * id, email, role — for the control plane, which calls with a
 * client_credentials token of this tenant's own IAM Hydra. Anything else is
 * refused (401 without a valid token of this Hydra, 403 for another client
 * or without the scope). Every successful call is audited; refused ones as
 * DeniedCallAudit allows.
 */
export async function listAdminsForMachine(request: Request): Promise<Response> {
  const config = athenaConfig();
  if (config.domain !== "iam") return Response.json({ error: "not_found" }, { status: 404 });
  const decision = await authorizeMachine(
    request.headers.get("authorization"),
    { allowedClientId: config.machine.clientId, scope: ADMINS_READ_SCOPE },
    hydraIntrospection(config.hydra.adminUrl, config.secrets.adminApiToken),
  );
  if (!decision.ok) {
    const audit = deniedCalls.admit(decision.reason);
    if (audit.record) {
      await recordAudit({
        actor: { id: "machine:unknown" },
        action: ACTION,
        outcome: "denied",
        details: { reason: decision.reason, ...(audit.suppressed > 0 ? { suppressed: audit.suppressed } : {}) },
      });
    }
    return Response.json(
      { error: decision.error },
      { status: decision.status, headers: { "www-authenticate": `Bearer error="${decision.error}"` } },
    );
  }
  const admins: { id: string; email: string | null; role: string }[] = [];
  let pageToken: string | undefined;
  do {
    const page = await kratosAdmin().listIdentities({ pageSize: PAGE_SIZE, pageToken });
    for (const identity of page.items) {
      const role = roleOf(identity);
      const email = (identity.traits as Record<string, unknown> | undefined)?.email;
      if (role) admins.push({ id: identity.id, email: typeof email === "string" ? email : null, role });
    }
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  await recordAudit({
    actor: { id: `machine:${decision.clientId}` },
    action: ACTION,
    outcome: "success",
    details: { count: admins.length },
  });
  return Response.json({ admins }, { headers: { "cache-control": "no-store" } });
}
