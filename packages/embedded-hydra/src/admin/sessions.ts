import type { HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import type { ConsentSessionRecord } from "../storage/sessions-repo";
import type { AdminRouter } from "./router";
import { requiredQuery } from "./router";

function consentSessionJson(record: ConsentSessionRecord): Record<string, unknown> {
  return {
    consent_request: record.consentRequest,
    consent_request_id: record.challenge,
    grant_scope: record.grantScope,
    grant_access_token_audience: record.grantAudience,
    handled_at: record.handledAt.toISOString(),
    remember: record.remember,
    remember_for: record.rememberFor,
    session: record.session,
    ...(record.context !== undefined && record.context !== null ? { context: record.context } : {}),
  };
}

/** Revokes everything issued under the given grants (codes, tokens, the grants themselves). */
export async function revokeGrants(hctx: HydraContext, grantIds: string[]): Promise<void> {
  if (grantIds.length === 0) return;
  await hctx.db.query(
    "DELETE FROM oidc_payloads WHERE grant_id = ANY($1::text[]) OR (model = 'Grant' AND id = ANY($1::text[]))",
    [grantIds],
  );
}

export function registerSessionRoutes(router: AdminRouter, hctx: HydraContext): void {
  router.add("GET", "/admin/oauth2/auth/sessions/consent", async ({ url, res }) => {
    const subject = requiredQuery(url, "subject");
    const loginSessionId = url.searchParams.get("login_session_id") ?? undefined;
    const records = await hctx.sessions.listConsents(subject, loginSessionId);
    sendJson(res, 200, records.map(consentSessionJson));
  });

  router.add("DELETE", "/admin/oauth2/auth/sessions/consent", async ({ url, res }) => {
    const subject = requiredQuery(url, "subject");
    const client = url.searchParams.get("client") ?? undefined;
    const all = url.searchParams.get("all") === "true";
    if (!client && !all) throw HydraError.badRequest('Either "client" or "all=true" must be given');
    await revokeGrants(hctx, await hctx.sessions.deleteConsents(subject, client));
    res.writeHead(204).end();
  });

  router.add("DELETE", "/admin/oauth2/auth/sessions/login", async ({ url, res }) => {
    const subject = url.searchParams.get("subject") ?? undefined;
    const sid = url.searchParams.get("sid") ?? undefined;
    if (!subject && !sid) throw HydraError.badRequest('Either "subject" or "sid" must be given');
    if (subject) await hctx.db.query("DELETE FROM oidc_payloads WHERE model = 'Session' AND account_id = $1", [subject]);
    if (sid) await hctx.db.query("DELETE FROM oidc_payloads WHERE model = 'Session' AND uid = $1", [sid]);
    await hctx.sessions.forgetLogins({ ...(subject ? { subject } : {}), ...(sid ? { sessionId: sid } : {}) });
    res.writeHead(204).end();
  });
}
