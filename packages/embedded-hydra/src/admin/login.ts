import { z } from "zod";
import { withQuery, type HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { readJson } from "../http";
import { randomToken } from "../storage/flows-repo";
import type { HydraLoginResult } from "../provider/interactions";
import { assertPending, finishInteraction, loadFlow, loadInteraction, rejection, sendIfHandled } from "./flow-helpers";
import type { AdminRouter } from "./router";

const acceptLoginSchema = z.object({
  subject: z.string().min(1, "subject is required"),
  remember: z.boolean().optional().default(false),
  remember_for: z.number().int().nonnegative().optional().default(0),
  acr: z.string().optional().default(""),
  amr: z.array(z.string()).optional().default([]),
  context: z.unknown().optional(),
  extend_session_lifespan: z.boolean().optional(),
  identity_provider_session_id: z.string().optional(),
  force_subject_identifier: z.string().optional(),
});

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
    const skip = flow.request.skip === true;
    if (skip && body.subject !== flow.subject) {
      throw HydraError.badRequest("Field 'subject' does not match subject from previous authentication.");
    }
    const interaction = await loadInteraction(hctx, flow);
    if (interaction.session?.accountId && interaction.session.accountId !== body.subject) {
      // Another user signs in on this browser: end the old login session rather
      // than let oidc-provider ask the user to confirm a logout (Hydra does not).
      const previous = interaction.session.uid ? await hctx.provider().Session.findByUid(interaction.session.uid) : undefined;
      await previous?.destroy();
      interaction.session = undefined;
    }
    const hydraLogin: HydraLoginResult = {
      challenge: flow.challenge,
      skip,
      remember: body.remember,
      rememberFor: body.remember_for,
      context: body.context,
      acr: body.acr,
      amr: body.amr,
    };
    await finishInteraction(interaction, {
      login: {
        accountId: body.subject,
        remember: body.remember,
        ts: Math.floor(Date.now() / 1000),
        ...(body.acr ? { acr: body.acr } : {}),
        ...(body.amr.length ? { amr: body.amr } : {}),
      },
      hydraLogin,
    });
    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { login_verifier: verifier });
    if (!(await hctx.flows.decide(flow.challenge, "accepted", { ...body, redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The login request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });

  router.add("PUT", `${base}/reject`, async ({ req, url, res }) => {
    const flow = await loadFlow(hctx, "login", url);
    assertPending(flow);
    const denied = rejection(await readJson(req));
    const interaction = await loadInteraction(hctx, flow);
    await finishInteraction(interaction, denied);
    const verifier = randomToken();
    const redirectTo = withQuery(String(flow.request.request_url), { login_verifier: verifier });
    if (!(await hctx.flows.decide(flow.challenge, "rejected", { ...denied, redirect_to: redirectTo }, verifier))) {
      throw new HydraError(409, "conflict", "The login request has already been handled.");
    }
    sendJson(res, 200, { redirect_to: redirectTo });
  });
}
