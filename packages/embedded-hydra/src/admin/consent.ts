import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import { acceptConsentSchema, rejection, REJECTION_FIELDS } from "../provider/decisions";
import { ACCEPT_OAUTH2_CONSENT_REQUEST } from "./go-structs";
import { decisionRedirect, expiredFlow, loadFlow, publicRequest, readDecisionBody } from "./flow-helpers";
import type { AdminRouter } from "./router";

/**
 * The consent handlers answer a body Go cannot decode with the decoding
 * error itself, forced to 400, which Hydra's error enhancer cannot name
 * (fosite's ErrorToRFC6749Error for a foreign error).
 */
const undecodable = () => new HydraError(400, "error", "The error is unrecognizable");

/**
 * Hydra's consent request API (consent/handler.go getOAuth2ConsentRequest,
 * acceptOAuth2ConsentRequest, rejectOAuth2ConsentRequest). Accept and reject
 * only record the decision and a new verifier, as often as the UI asks
 * until the challenge expires; the consent session and grant are created
 * when an accepted verifier is first followed (Hydra's verifyConsent), see
 * public/verifiers.ts.
 */
export function registerConsentRoutes(router: AdminRouter, deps: Deps): void {
  const base = "/admin/oauth2/auth/requests/consent";

  router.add("GET", base, async ({ url, res }) => {
    const flow = await loadFlow(deps, "consent", url);
    sendJson(res, 200, { challenge: flow.challenge, consent_request_id: flow.challenge, ...publicRequest(flow) });
  });

  router.add("PUT", `${base}/accept`, async ({ req, url, res }) => {
    const body = await readDecisionBody(req, url, "consent", ACCEPT_OAUTH2_CONSENT_REQUEST, undecodable);
    const flow = await loadFlow(deps, "consent", url);
    const parsed = acceptConsentSchema.safeParse(body);
    if (!parsed.success) throw undecodable();
    const verifier = deps.flows.newVerifier("consent", flow.expiresAt);
    const redirectTo = decisionRedirect(String(flow.request.request_url), { consent_verifier: verifier });
    if (!(await deps.flows.decide(flow.challenge, "accepted", { ...parsed.data, redirect_to: redirectTo }, verifier))) {
      throw expiredFlow("consent");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ req, url, res }) => {
    const body = await readDecisionBody(req, url, "consent", REJECTION_FIELDS, undecodable);
    const flow = await loadFlow(deps, "consent", url);
    const denied = rejection(body, "consent request denied");
    const verifier = deps.flows.newVerifier("consent", flow.expiresAt);
    const redirectTo = decisionRedirect(String(flow.request.request_url), { consent_verifier: verifier });
    if (!(await deps.flows.decide(flow.challenge, "rejected", { ...denied, redirect_to: redirectTo }, verifier))) {
      throw expiredFlow("consent");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });
}
