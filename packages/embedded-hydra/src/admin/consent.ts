import { z } from "zod";
import { withQuery, type HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { readJson } from "../http";
import { randomToken } from "../storage/flows-repo";
import { assertPending, finishInteraction, loadFlow, loadInteraction, rejection, sendIfHandled } from "./flow-helpers";
import type { AdminRouter } from "./router";

const claimsObject = z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? {});

const acceptConsentSchema = z.object({
  grant_scope: z.array(z.string()).nullish().transform((value) => value ?? []),
  grant_access_token_audience: z.array(z.string()).nullish().transform((value) => value ?? []),
  remember: z.boolean().optional().default(false),
  remember_for: z.number().int().nonnegative().optional().default(0),
  session: z
    .object({ access_token: claimsObject, id_token: claimsObject })
    .nullish()
    .transform((value) => value ?? { access_token: {}, id_token: {} }),
  context: z.unknown().optional(),
  handled_at: z.string().optional(),
});

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
    const body = parsed.data;
    const interaction = await loadInteraction(hctx, flow);
    const subject = flow.subject ?? "";
    const clientId = flow.clientId ?? "";

    const provider = hctx.provider();
    const grant = new provider.Grant({ accountId: subject, clientId });
    if (body.grant_scope.length) grant.addOIDCScope(body.grant_scope.join(" "));
    const grantId = await grant.save();
    await hctx.sessions.saveConsent(
      {
        grantId,
        subject,
        clientId,
        loginSessionId: typeof flow.request.login_session_id === "string" ? flow.request.login_session_id : null,
        challenge: flow.challenge,
        grantScope: body.grant_scope,
        grantAudience: body.grant_access_token_audience,
        session: body.session,
        context: body.context,
        consentRequest: { challenge: flow.challenge, consent_request_id: flow.challenge, ...flow.request },
        remember: body.remember,
        rememberFor: body.remember_for,
      },
      hctx.config.ttl.refresh_token,
    );
    await finishInteraction(interaction, { ...interaction.lastSubmission, consent: { grantId } });

    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { consent_verifier: verifier });
    if (!(await hctx.flows.decide(flow.challenge, "accepted", { ...body, redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The consent request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ req, url, res }) => {
    const flow = await loadFlow(hctx, "consent", url);
    assertPending(flow);
    const denied = rejection(await readJson(req));
    const interaction = await loadInteraction(hctx, flow);
    await finishInteraction(interaction, { ...interaction.lastSubmission, ...denied });
    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { consent_verifier: verifier });
    if (!(await hctx.flows.decide(flow.challenge, "rejected", { ...denied, redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The consent request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });
}
