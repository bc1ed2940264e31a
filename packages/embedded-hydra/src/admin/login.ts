import type { Deps } from "../deps";
import { sendJson } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { acceptLoginSchema, rejection, REJECTION_FIELDS } from "../provider/decisions";
import { HANDLED_LOGIN_REQUEST } from "./go-structs";
import { decisionRedirect, expiredFlow, loadFlow, publicRequest, readDecisionBody } from "./flow-helpers";
import type { AdminRouter } from "./router";

const undecodable = (message: string) => fositeHydraError("invalid_request", `Unable to decode body because: ${message}`);

/**
 * Hydra's login request API (consent/handler.go getOAuth2LoginRequest,
 * acceptOAuth2LoginRequest, rejectOAuth2LoginRequest). Accept and reject
 * only record the decision and a new verifier, as often as the UI asks
 * until the challenge expires (Hydra's challenge always decodes to the flow
 * as first encoded); it takes effect when the browser that started the
 * authorization follows the verifier (public/verifiers.ts), never for
 * another browser.
 */
export function registerLoginRoutes(router: AdminRouter, deps: Deps): void {
  const base = "/admin/oauth2/auth/requests/login";

  router.add("GET", base, async ({ url, res }) => {
    const flow = await loadFlow(deps, "login", url);
    sendJson(res, 200, { challenge: flow.challenge, ...publicRequest(flow) });
  });

  router.add("PUT", `${base}/accept`, async ({ req, url, res }) => {
    const body = await readDecisionBody(req, url, "login", HANDLED_LOGIN_REQUEST, undecodable);
    if (typeof body.subject !== "string" || body.subject === "")
      throw fositeHydraError("invalid_request", "Field 'subject' must not be empty.");
    const flow = await loadFlow(deps, "login", url);
    const requestUrl = String(flow.request.request_url);
    // A remembered login accepted for someone else: Hydra asks the browser to log in afresh.
    if (flow.subject && body.subject !== flow.subject) {
      sendJson(res, 200, { redirect_to: decisionRedirect(requestUrl, { prompt: "login" }) });
      return;
    }
    const parsed = acceptLoginSchema.safeParse(body);
    if (!parsed.success)
      throw fositeHydraError(
        "invalid_request",
        `Unable to decode body because: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
      );
    const verifier = deps.flows.newVerifier("login", flow.expiresAt);
    const redirectTo = decisionRedirect(requestUrl, { login_verifier: verifier });
    const handled = { ...parsed.data, authenticated_at: Math.floor(Date.now() / 1000), redirect_to: redirectTo };
    if (!(await deps.flows.decide(flow.challenge, "accepted", handled, verifier))) {
      throw expiredFlow("login");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ req, url, res }) => {
    const body = await readDecisionBody(req, url, "login", REJECTION_FIELDS, undecodable);
    const flow = await loadFlow(deps, "login", url);
    const denied = rejection(body, "login request denied");
    const verifier = deps.flows.newVerifier("login", flow.expiresAt);
    const redirectTo = decisionRedirect(String(flow.request.request_url), { login_verifier: verifier });
    if (!(await deps.flows.decide(flow.challenge, "rejected", { ...denied, redirect_to: redirectTo }, verifier))) {
      throw expiredFlow("login");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });
}
