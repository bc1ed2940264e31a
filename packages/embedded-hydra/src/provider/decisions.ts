import type { Interaction, InteractionResults } from "oidc-provider";
import { z } from "zod";
import type { HydraContext } from "../context";
import type { Flow } from "../storage/flows-repo";
import type { HydraLoginResult } from "./interactions";

/**
 * The login/consent UI's decisions (Hydra's HandledLoginRequest,
 * AcceptOAuth2ConsentRequest, RequestDeniedError). The admin API validates
 * them and keeps them on the flow; they reach oidc-provider's interaction
 * only when the verifier is redeemed in the browser that started the
 * authorization (public/verifiers.ts), as Hydra applies them only in
 * verifyAuthentication / verifyConsent.
 */
export const acceptLoginSchema = z.object({
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

/** An accepted login as stored: the UI's body plus when it was accepted (the login's auth_time). */
export const acceptedLoginSchema = acceptLoginSchema.extend({ authenticated_at: z.number().int().nonnegative() });
export type AcceptedLogin = z.output<typeof acceptedLoginSchema>;

const claimsObject = z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? {});

export const acceptConsentSchema = z.object({
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
export type AcceptedConsent = z.output<typeof acceptConsentSchema>;

export const rejectionSchema = z.object({ error: z.string().min(1), error_description: z.string() });
export type Rejection = z.output<typeof rejectionSchema>;

/** Hydra's RequestDeniedError body, shared by every reject endpoint. */
export function rejection(body: unknown): Rejection {
  const fields = (body ?? {}) as Record<string, unknown>;
  const error = typeof fields.error === "string" && fields.error ? fields.error : "access_denied";
  const parts = [fields.error_description, fields.error_hint].filter((part): part is string => typeof part === "string" && part !== "");
  return { error, error_description: parts.join(" ") || "The resource owner denied the request" };
}

/** Stores a decision where oidc-provider's resume endpoint will read it. */
export async function finishInteraction(interaction: Interaction, result: InteractionResults): Promise<void> {
  interaction.result = result;
  const remaining = Math.max((interaction.exp ?? 0) - Math.floor(Date.now() / 1000), 1);
  await interaction.save(remaining);
}

/** An accepted login becomes oidc-provider's login result (and Hydra's, for the consent step). */
export async function applyLogin(hctx: HydraContext, flow: Flow, interaction: Interaction, login: AcceptedLogin): Promise<void> {
  if (interaction.session?.accountId && interaction.session.accountId !== login.subject) {
    // Another user signs in on this browser: end the old login session rather than let
    // oidc-provider ask the user to confirm a logout (Hydra does not).
    const previous = interaction.session.uid ? await hctx.provider().Session.findByUid(interaction.session.uid) : undefined;
    await previous?.destroy();
    interaction.session = undefined;
  }
  const hydraLogin: HydraLoginResult = {
    challenge: flow.challenge,
    skip: flow.request.skip === true,
    remember: login.remember,
    rememberFor: login.remember_for,
    context: login.context,
    acr: login.acr,
    amr: login.amr,
  };
  await finishInteraction(interaction, {
    login: {
      accountId: login.subject,
      remember: login.remember,
      ts: login.authenticated_at,
      ...(login.acr ? { acr: login.acr } : {}),
      ...(login.amr.length ? { amr: login.amr } : {}),
    },
    hydraLogin,
  });
}

/** Hydra's CreateConsentSession: the oidc-provider grant and the consent session the admin API lists. Returns the grant id. */
export async function recordConsent(hctx: HydraContext, flow: Flow, consent: AcceptedConsent): Promise<string> {
  const subject = flow.subject ?? "";
  const clientId = flow.clientId ?? "";
  const grant = new (hctx.provider().Grant)({ accountId: subject, clientId });
  if (consent.grant_scope.length) grant.addOIDCScope(consent.grant_scope.join(" "));
  const grantId = await grant.save();
  await hctx.sessions.saveConsent(
    {
      grantId,
      subject,
      clientId,
      loginSessionId: typeof flow.request.login_session_id === "string" ? flow.request.login_session_id : null,
      challenge: flow.challenge,
      grantScope: consent.grant_scope,
      grantAudience: consent.grant_access_token_audience,
      session: consent.session,
      context: consent.context,
      consentRequest: { challenge: flow.challenge, consent_request_id: flow.challenge, ...flow.request },
      remember: consent.remember,
      rememberFor: consent.remember_for,
    },
    hctx.config.ttl.refresh_token,
  );
  return grantId;
}

/** A rejection becomes an error result, which oidc-provider's resume sends to the client. */
export async function applyRejection(flow: Flow, interaction: Interaction, denied: Rejection): Promise<void> {
  await finishInteraction(interaction, flow.kind === "consent" ? { ...interaction.lastSubmission, ...denied } : denied);
}
