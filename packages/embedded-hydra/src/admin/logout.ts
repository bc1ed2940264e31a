import type { HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { randomToken } from "../storage/flows-repo";
import { assertPending, loadFlow, sendIfHandled } from "./flow-helpers";
import type { AdminRouter } from "./router";

export function registerLogoutRoutes(router: AdminRouter, hctx: HydraContext): void {
  const base = "/admin/oauth2/auth/requests/logout";

  router.add("GET", base, async ({ url, res }) => {
    const flow = await loadFlow(hctx, "logout", url);
    if (sendIfHandled(flow, res)) return;
    // What only completing the logout needs (which session, where to go) stays private, as in Hydra.
    const request = Object.fromEntries(Object.entries(flow.request).filter(([key]) => !key.startsWith("_")));
    sendJson(res, 200, {
      challenge: flow.challenge,
      ...request,
      requested_at: flow.requestedAt.toISOString(),
      expires_at: flow.expiresAt.toISOString(),
    });
  });

  router.add("PUT", `${base}/accept`, async ({ url, res }) => {
    const flow = await loadFlow(hctx, "logout", url);
    assertPending(flow);
    const verifier = randomToken();
    const redirectTo = `${hctx.publicUrl}oauth2/sessions/logout?logout_verifier=${verifier}`;
    if (!(await hctx.flows.decide(flow.challenge, "accepted", { redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The logout request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ url, res }) => {
    const flow = await loadFlow(hctx, "logout", url);
    assertPending(flow);
    await hctx.flows.decide(flow.challenge, "rejected", {}, null);
    res.writeHead(204).end();
  });
}
