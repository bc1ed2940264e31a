import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { randomToken, type Flow } from "../flows/repository";
import { challengeParam, publicRequest } from "./flow-helpers";
import type { AdminRouter } from "./router";

/**
 * A logout challenge as Hydra's persister decodes it (GetLogoutRequest,
 * AcceptLogoutRequest, RejectLogoutRequest): unknown is x.ErrNotFound with
 * "Failed to decrypt the logout challenge.", expired is
 * flow.ErrorLogoutFlowExpired (401). Hydra's logout challenges are
 * stateless: reading, accepting or rejecting one again is answered the same.
 */
async function loadLogout(deps: Deps, url: URL): Promise<Flow> {
  const flow = await deps.flows.get("logout", challengeParam(url, "logout"));
  if (!flow) throw new HydraError(404, "Not Found", "Unable to locate the requested resource Failed to decrypt the logout challenge.");
  if (flow.expiresAt.getTime() <= Date.now())
    throw fositeHydraError("request_unauthorized", "The logout request has expired, please try the flow again.");
  return flow;
}

export function registerLogoutRoutes(router: AdminRouter, deps: Deps): void {
  const base = "/admin/oauth2/auth/requests/logout";

  router.add("GET", base, async ({ url, res }) => {
    const flow = await loadLogout(deps, url);
    // What only completing the logout needs (which session, where to go) stays private, as in Hydra.
    sendJson(res, 200, {
      challenge: flow.challenge,
      client: null,
      ...publicRequest(flow),
      requested_at: flow.requestedAt.toISOString(),
      expires_at: flow.expiresAt.toISOString(),
    });
  });

  router.add("PUT", `${base}/accept`, async ({ url, res }) => {
    const flow = await loadLogout(deps, url);
    // One verifier per challenge: accepting again hands out the same one.
    const verifier = flow.state === "accepted" && flow.verifier ? flow.verifier : randomToken();
    const redirectTo = `${deps.publicUrl}oauth2/sessions/logout?logout_verifier=${verifier}`;
    if (flow.state !== "accepted") await deps.flows.decide(flow.challenge, "accepted", { redirect_to: redirectTo }, verifier);
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ url, res }) => {
    await loadLogout(deps, url);
    res.writeHead(204).end();
  });
}
