import type { Identity } from "@ory/client";
import { athenaConfig } from "@/shared/server/config";
import { kratosAdmin } from "@/shared/server/ory";
import { recordAudit } from "@/shared/server/audit";
import { parseAdminRole } from "@/shared/auth/roles";
import { authorizeMachine, hydraIntrospection } from "../machine-auth";

export const dynamic = "force-dynamic";

/** The scope the control plane's client holds at this tenant's IAM Hydra. */
const ADMINS_READ_SCOPE = "olympus.admins.read";
const PAGE_SIZE = 250;

function roleOf(identity: Identity): string | undefined {
  const metadata = identity.metadata_admin as Record<string, unknown> | null | undefined;
  return parseAdminRole(metadata?.iam_admin_role);
}

/**
 * `GET /api/machine/admins` (Athena IAM only): the tenant's Athena admins —
 * id, email, role — for the control plane, which calls with a
 * client_credentials token of this tenant's own IAM Hydra. Anything else is
 * refused (401 without a valid token of this Hydra, 403 for another client
 * or without the scope); every call is audited.
 */
export async function GET(request: Request) {
  const config = athenaConfig();
  if (config.domain !== "iam") return Response.json({ error: "not_found" }, { status: 404 });
  const decision = await authorizeMachine(
    request.headers.get("authorization"),
    { allowedClientId: process.env.IAM_MACHINE_CLIENT_ID, scope: ADMINS_READ_SCOPE },
    hydraIntrospection(config.hydra.adminUrl, config.secrets.adminApiToken),
  );
  if (!decision.ok) {
    await recordAudit({
      actor: { id: "machine:unknown" },
      action: "machine.admins.list",
      outcome: "denied",
      details: { reason: decision.reason },
    });
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
    action: "machine.admins.list",
    outcome: "success",
    details: { count: admins.length },
  });
  return Response.json({ admins }, { headers: { "cache-control": "no-store" } });
}
