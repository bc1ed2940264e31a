import type { Interaction, InteractionResults } from "oidc-provider";
import { z } from "zod";
import type { Deps } from "../deps";
import { REQUEST_DENIED_ERROR } from "../admin/go-structs";
import type { Flow } from "../flows/repository";
import { REMEMBERED_AUTH_TIME_KEY, type HydraLoginResult } from "./interactions";

/**
 * The login/consent UI's decisions (Hydra's HandledLoginRequest,
 * AcceptOAuth2ConsentRequest, RequestDeniedError). The admin API validates
 * them and keeps them on the flow; they reach oidc-provider's interaction
 * only when the verifier is redeemed in the browser that started the
 * authorization (public/verifiers.ts), as Hydra applies them only in
 * verifyAuthentication / verifyConsent.
 */
/** Go's zero value for a field that is absent or null. */
const orZero = <T extends z.ZodType>(schema: T, zero: z.output<T>) => schema.nullish().transform((value) => value ?? zero);
/** Seconds as Go's int, kept within what Postgres' integer columns hold. */
const seconds = orZero(z.number().int(), 0).transform((value) => Math.max(-2_147_483_648, Math.min(2_147_483_647, value)));

export const acceptLoginSchema = z.object({
  subject: z.string().min(1, "subject is required"),
  remember: orZero(z.boolean(), false),
  remember_for: seconds,
  acr: orZero(z.string(), ""),
  amr: orZero(
    z.array(
      z
        .string()
        .nullable()
        .transform((value) => value ?? ""),
    ),
    [],
  ),
  context: z.unknown().optional(),
  extend_session_lifespan: z.boolean().nullish(),
  identity_provider_session_id: z.string().nullish(),
  force_subject_identifier: z.string().nullish(),
});

/** An accepted login as stored: the UI's body plus when it was accepted (the login's auth_time). */
export const acceptedLoginSchema = acceptLoginSchema.extend({ authenticated_at: z.number().int().nonnegative() });
export type AcceptedLogin = z.output<typeof acceptedLoginSchema>;

const claimsObject = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((value) => value ?? {});

export const acceptConsentSchema = z.object({
  grant_scope: orZero(
    z.array(
      z
        .string()
        .nullable()
        .transform((value) => value ?? ""),
    ),
    [],
  ),
  grant_access_token_audience: orZero(
    z.array(
      z
        .string()
        .nullable()
        .transform((value) => value ?? ""),
    ),
    [],
  ),
  remember: orZero(z.boolean(), false),
  remember_for: seconds,
  session: z
    .object({ access_token: claimsObject, id_token: claimsObject })
    .nullish()
    .transform((value) => value ?? { access_token: {}, id_token: {} }),
  context: z.unknown().optional(),
  handled_at: z.string().nullish(),
});
export type AcceptedConsent = z.output<typeof acceptConsentSchema>;

export const rejectionSchema = z.object({ error: z.string().min(1), error_description: z.string() });
export type Rejection = z.output<typeof rejectionSchema>;

/** flow.RequestDeniedError (the body of every reject endpoint), described in admin/go-structs.ts. */
export const REJECTION_FIELDS = REQUEST_DENIED_ERROR;

/**
 * Hydra's RequestDeniedError as the client will see it (SetDefaults, then
 * ToRFCError and fosite's GetDescription): the error name, or the reject
 * endpoint's default ("login request denied" / "consent request denied");
 * the description followed by the hint, double quotes turned into single
 * ones. `error_debug` is kept apart for rejectionForClient.
 * `status_code` is the body's, 400 when it is 0 (SetDefaults): the status
 * the device verifier writes the error with (device/errors.ts rejected);
 * rejectionSchema leaves it and the debug text out of what reaches a
 * client's redirect.
 */
export function rejection(body: Record<string, unknown>, defaultName: string): Rejection & { status_code: number; error_debug: string } {
  const text = (name: string) => (typeof body[name] === "string" ? body[name] : "");
  const error = text("error") || defaultName;
  const hint = text("error_hint");
  const description = `${text("error_description")}${hint ? ` ${hint}` : ""}`.replaceAll('"', "'");
  const code = typeof body.status_code === "number" ? body.status_code : 0;
  return { error, error_description: description, status_code: code === 0 ? 400 : code, error_debug: text("error_debug") };
}

const storedDebugSchema = z.object({ error_debug: z.string().catch("") });

/**
 * A stored rejection as the browser flow's client (or the error UI) is
 * handed it: fosite's WriteAuthorizeError and Hydra's forwardError
 * (oauth2/handler.go) write the error WithExposeDebug(oauth2.expose_internal_errors,
 * driver/config/provider.go GetSendDebugMessagesToClients), and with it on
 * RFC6749Error.GetDescription appends the debug text after the hint, its
 * double quotes turned into single ones too. (The device verifier writes
 * through herodot, whose ErrorEnhancer never exposes it: device/errors.ts.)
 */
export function rejectionForClient(handled: unknown, exposeDebug: boolean): Rejection {
  const denied = rejectionSchema.parse(handled);
  const debug = exposeDebug ? storedDebugSchema.parse(handled).error_debug : "";
  return debug ? { ...denied, error_description: `${denied.error_description} ${debug.replaceAll('"', "'")}` } : denied;
}

/** Stores a decision where oidc-provider's resume endpoint will read it. */
export async function finishInteraction(interaction: Interaction, result: InteractionResults): Promise<void> {
  interaction.result = result;
  const remaining = Math.max((interaction.exp ?? 0) - Math.floor(Date.now() / 1000), 1);
  await interaction.save(remaining);
}

/**
 * Hydra's flow LoginAuthenticatedAt (Unix seconds): when the login UI
 * accepted the login, or for a skipped login the remembered one's original
 * time.
 */
export function loginAuthenticatedAt(flow: Flow, acceptedAt: number): number {
  const rememberedAt = flow.request[REMEMBERED_AUTH_TIME_KEY];
  return flow.request.skip === true && typeof rememberedAt === "number" ? rememberedAt : acceptedAt;
}

/** An accepted login becomes oidc-provider's login result (and Hydra's, for the consent step). */
export async function applyLogin(deps: Deps, flow: Flow, interaction: Interaction, login: AcceptedLogin): Promise<void> {
  if (interaction.session?.accountId && interaction.session.accountId !== login.subject) {
    // Another user signs in on this browser: end the old login session rather than let
    // oidc-provider ask the user to confirm a logout (Hydra does not).
    const previous = interaction.session.uid ? await deps.provider().Session.findByUid(interaction.session.uid) : undefined;
    await previous?.destroy();
    interaction.session = undefined;
  }
  const skip = flow.request.skip === true;
  // A skipped login is remembered again (consent/handler.go acceptOAuth2LoginRequest sets remember for skipped logins).
  const authenticatedAt = loginAuthenticatedAt(flow, login.authenticated_at);
  const remember = skip || login.remember;
  const hydraLogin: HydraLoginResult = {
    challenge: flow.challenge,
    skip,
    remember,
    rememberFor: login.remember_for,
    context: login.context,
    acr: login.acr,
    amr: login.amr,
    authenticatedAt,
    sessionId: typeof flow.request.session_id === "string" ? flow.request.session_id : "",
  };
  await finishInteraction(interaction, {
    login: {
      accountId: login.subject,
      remember,
      ts: authenticatedAt,
      ...(login.acr ? { acr: login.acr } : {}),
      ...(login.amr.length ? { amr: login.amr } : {}),
    },
    hydraLogin,
  });
}

/** Hydra's CreateConsentSession: the oidc-provider grant and the consent session the admin API lists. Returns the grant id. */
export async function recordConsent(deps: Deps, flow: Flow, consent: AcceptedConsent): Promise<string> {
  const subject = flow.subject ?? "";
  const clientId = flow.clientId ?? "";
  const grant = new (deps.provider().Grant)({ accountId: subject, clientId });
  if (consent.grant_scope.length) grant.addOIDCScope(consent.grant_scope.join(" "));
  const grantId = await grant.save();
  // Hydra's flow RequestedAt is the login request's, truncated to the second (forwardAuthenticationRequest).
  const loginChallenge = flow.request.login_challenge;
  const login = typeof loginChallenge === "string" ? await deps.flows.get("login", loginChallenge) : undefined;
  const loginRequestedAt = login ? new Date(Math.floor(login.requestedAt.getTime() / 1000) * 1000) : null;
  const accepted = login ? acceptedLoginSchema.safeParse(login.handled) : undefined;
  const loginAuthenticatedAtValue =
    login && accepted?.success ? new Date(loginAuthenticatedAt(login, accepted.data.authenticated_at) * 1000) : null;
  await deps.sessions.saveConsent(
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
      loginRequestedAt,
      loginAuthenticatedAt: loginAuthenticatedAtValue,
    },
    deps.config.ttl.refresh_token,
  );
  return grantId;
}

/** A rejection becomes an error result, which oidc-provider's resume sends to the client. */
export async function applyRejection(flow: Flow, interaction: Interaction, denied: Rejection): Promise<void> {
  await finishInteraction(interaction, flow.kind === "consent" ? { ...interaction.lastSubmission, ...denied } : denied);
}
