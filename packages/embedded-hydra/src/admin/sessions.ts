import { goQueryParams } from "@olympus/server-kit/go-url";
import type { Deps } from "../deps";
import { sendJson } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { endLoginSession } from "../public/logout";
import type { ConsentSessionRecord } from "../sessions/repository";
import { linkHeader, parsePageRequest } from "./pagination";
import type { AdminRouter } from "./router";

/** flow.OAuth2ConsentSession's JSON. */
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
    context: record.context ?? {},
  };
}

/** Revokes everything issued under the given grants (codes, tokens, the grants themselves). */
export async function revokeGrants(deps: Deps, grantIds: string[]): Promise<void> {
  if (grantIds.length === 0) return;
  await deps.db.query("DELETE FROM oidc_payloads WHERE grant_id = ANY($1::text[]) OR (model = 'Grant' AND id = ANY($1::text[]))", [
    grantIds,
  ]);
}

/** Hydra's consent and login session API (consent/handler.go). */
export function registerSessionRoutes(router: AdminRouter, deps: Deps): void {
  router.add("GET", "/admin/oauth2/auth/sessions/consent", async ({ url, res }) => {
    // r.URL.Query(): Go's parsing, which drops malformed pairs (server-kit go-url).
    const query = goQueryParams(url.search);
    const subject = query.get("subject");
    if (!subject) throw fositeHydraError("invalid_request", "Query parameter 'subject' is not defined but should have been.");
    const page = parsePageRequest(url, (message) =>
      fositeHydraError("invalid_request", `Unable to parse pagination parameters: ${message}`),
    );
    const loginSessionId = query.get("login_session_id") || undefined;
    const { records, nextAfter } = await deps.sessions.listConsents(subject, {
      ...(loginSessionId ? { loginSessionId } : {}),
      after: page.after,
      size: page.size,
    });
    // Hydra answers "none found" before it sets the Link header.
    sendJson(res, 200, records.map(consentSessionJson), records.length ? { link: linkHeader(url, page.size, nextAfter) } : {});
  });

  router.add("DELETE", "/admin/oauth2/auth/sessions/consent", async ({ url, res }) => {
    const query = goQueryParams(url.search);
    const subject = query.get("subject") ?? "";
    const client = query.get("client") ?? "";
    const consentRequestId = query.get("consent_request_id") ?? "";
    const all = query.get("all") === "true";
    let grants: string[];
    if (consentRequestId && !subject && !client) grants = await deps.sessions.deleteConsentByRequest(consentRequestId);
    else if (!consentRequestId && subject && client && !all) grants = await deps.sessions.deleteConsents(subject, client);
    else if (!consentRequestId && subject && !client && all) grants = await deps.sessions.deleteConsents(subject);
    else throw fositeHydraError("invalid_request", "Invalid combination of query parameters.");
    await revokeGrants(deps, grants);
    res.writeHead(204).end();
  });

  router.add("DELETE", "/admin/oauth2/auth/sessions/login", async ({ url, res }) => {
    const query = goQueryParams(url.search);
    const subject = query.get("subject") ?? "";
    const sid = query.get("sid") ?? "";
    if (!subject && !sid) throw fositeHydraError("invalid_request", "Either 'subject' or 'sid' query parameters need to be defined.");
    if (sid) {
      // Hydra's HandleHeadlessLogout: a remembered login session ends, its clients hear of it over the back-channel;
      // one that is not remembered (or gone) is left alone.
      const remembered = await deps.sessions.rememberedLogin(sid);
      if (remembered) await endLoginSession(deps, remembered.subject, sid, { frontChannel: false });
      res.writeHead(204).end();
      return;
    }
    // RevokeSubjectLoginSession; the subject's browsers lose their oidc-provider sessions too.
    await deps.sessions.deleteLogins({ subject });
    await deps.db.query("DELETE FROM oidc_payloads WHERE model = 'Session' AND account_id = $1", [subject]);
    res.writeHead(204).end();
  });
}
