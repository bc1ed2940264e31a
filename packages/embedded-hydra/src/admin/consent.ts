import { withQuery, type HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { readJson } from "../http";
import { acceptConsentSchema, rejection } from "../provider/decisions";
import { randomToken } from "../storage/flows-repo";
import { assertPending, loadFlow, loadInteraction, sendIfHandled } from "./flow-helpers";
import type { AdminRouter } from "./router";

/**
 * Accept and reject only record the UI's decision on the flow; the consent
 * session and grant are created when the verifier is redeemed (Hydra's
 * verifyConsent), see public/verifiers.ts.
 */
export function registerConsentRoutes(router: AdminRouter, hctx: HydraContext): void {
  const base = "/admin/oauth2/auth/requests/consent";

  router.add("GET", base, async ({ url, res }) => {
    const flow = await loadFlow(hctx, "consent", url);
    if (sendIfHandled(flow, res)) return;
    sendJson(res, 200, { challenge: flow.challenge, consent_request_id: flow.challenge, ...flow.request });
  });

  router.add("PUT", `${base}/accept`, async ({ req, url, res }) => {
    const flow = await loadFlow(hctx, "consent", url);
    assertPending(flow);
    const parsed = acceptConsentSchema.safeParse(await readJson(req));
    if (!parsed.success) throw HydraError.badRequest(parsed.error.issues.map((issue) => issue.message).join("; "));
    await loadInteraction(hctx, flow);
    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { consent_verifier: verifier });
    if (!(await hctx.flows.decide(flow.challenge, "accepted", { ...parsed.data, redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The consent request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ req, url, res }) => {
    const flow = await loadFlow(hctx, "consent", url);
    assertPending(flow);
    const denied = rejection(await readJson(req));
    await loadInteraction(hctx, flow);
    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { consent_verifier: verifier });
    if (!(await hctx.flows.decide(flow.challenge, "rejected", { ...denied, redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The consent request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });
}
