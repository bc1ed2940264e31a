import { randomUUID } from "node:crypto";
import { clientToJson } from "../clients/model";
import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import type { Flow } from "../flows/repository";
import { challengeParam } from "./flow-helpers";
import { logoutRequestToJson } from "./logout-json";
import type { AdminRouter } from "./router";

/** Hydra's was_used (flow.LogoutRequest WasHandled): the verifier was redeemed. */
export function logoutWasUsed(flow: Flow): boolean {
  return flow.handled?.was_used === true;
}

/**
 * The admin side of logout requests as Hydra v26.2 answers it
 * (consent/handler.go getOAuth2LogoutRequest, acceptOAuth2LogoutRequest,
 * rejectOAuth2LogoutRequest over persistence/sql/persister_consent.go):
 * requests are stored, a rejected one is not found, and none of these look
 * at the expiry (only redeeming the verifier does, public/logout.ts).
 */
export function registerLogoutRoutes(router: AdminRouter, deps: Deps): void {
  const base = "/admin/oauth2/auth/requests/logout";

  router.add("GET", base, async ({ url, res }) => {
    // GetLogoutRequest finds no row (unknown, or rejected): sqlcon.ErrNoRows.
    const flow = await deps.flows.readableLogout(challengeParam(url, "logout"));
    if (!flow) throw HydraError.noRows();
    // WasHandled: 410 with where the flow can be started again.
    if (logoutWasUsed(flow)) {
      sendJson(res, 410, { redirect_to: typeof flow.request.request_url === "string" ? flow.request.request_url : "" });
      return;
    }
    // flow.LogoutRequest AfterFind loads the client as it is now (without its secret), not as it was.
    const client = flow.clientId ? await deps.clients.get(flow.clientId) : undefined;
    const current = client ? { ...flow, request: { ...flow.request, client: clientToJson(client) } } : flow;
    // What only completing the logout needs (which session, where to go) stays private, as in Hydra.
    sendJson(res, 200, logoutRequestToJson(current));
  });

  router.add("PUT", `${base}/accept`, async ({ url, res }) => {
    // AcceptLogoutRequest: an UPDATE that may match nothing, then GetLogoutRequest (sqlcon.ErrNoRows).
    // Hydra's verifier is a random UUID too (issueLogoutVerifier); only the first accept's is kept.
    const flow = await deps.flows.acceptLogout(challengeParam(url, "logout"), randomUUID());
    if (!flow?.verifier) throw HydraError.noRows();
    sendJson(res, 200, { redirect_to: `${deps.publicUrl}oauth2/sessions/logout?logout_verifier=${flow.verifier}` });
  });

  router.add("PUT", `${base}/reject`, async ({ url, res }) => {
    // RejectLogoutRequest: an UPDATE matching no row is x.ErrNotFound.
    if (!(await deps.flows.rejectLogout(challengeParam(url, "logout")))) throw HydraError.notFound();
    res.writeHead(204).end();
  });
}
