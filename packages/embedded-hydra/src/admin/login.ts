import { withQuery, type HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { readJson } from "../http";
import { acceptLoginSchema, rejection } from "../provider/decisions";
import { randomToken } from "../storage/flows-repo";
import { assertPending, loadFlow, loadInteraction, sendIfHandled } from "./flow-helpers";
import type { AdminRouter } from "./router";

/**
 * Accept and reject only record the UI's decision on the flow, as Hydra does:
 * it takes effect when the browser that started the authorization redeems
 * the returned verifier (public/verifiers.ts), never for another browser.
 */
export function registerLoginRoutes(router: AdminRouter, hctx: HydraContext): void {
  const base = "/admin/oauth2/auth/requests/login";

  router.add("GET", base, async ({ url, res }) => {
    const flow = await loadFlow(hctx, "login", url);
    if (sendIfHandled(flow, res)) return;
    sendJson(res, 200, { challenge: flow.challenge, ...flow.request });
  });

  router.add("PUT", `${base}/accept`, async ({ req, url, res }) => {
    const flow = await loadFlow(hctx, "login", url);
    assertPending(flow);
    const parsed = acceptLoginSchema.safeParse(await readJson(req));
    if (!parsed.success) throw HydraError.badRequest(parsed.error.issues.map((issue) => issue.message).join("; "));
    const body = parsed.data;
    if (flow.request.skip === true && body.subject !== flow.subject) {
      throw HydraError.badRequest("Field 'subject' does not match subject from previous authentication.");
    }
    await loadInteraction(hctx, flow);
    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { login_verifier: verifier });
    const handled = { ...body, authenticated_at: Math.floor(Date.now() / 1000), redirect_to: redirectTo };
    if (!(await hctx.flows.decide(flow.challenge, "accepted", handled, verifier))) {
      throw new HydraError(409, "conflict", "The login request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ req, url, res }) => {
    const flow = await loadFlow(hctx, "login", url);
    assertPending(flow);
    const denied = rejection(await readJson(req));
    await loadInteraction(hctx, flow);
    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { login_verifier: verifier });
    if (!(await hctx.flows.decide(flow.challenge, "rejected", { ...denied, redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The login request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });
}
