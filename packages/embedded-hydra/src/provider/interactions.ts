import type { Interaction, KoaContextWithOIDC } from "oidc-provider";
import { clientToJson, type StoredClient } from "../clients/model";
import { withQuery } from "@olympus/server-kit/http";
import type { Deps } from "../deps";
import { flowCsrfCookie, serializeCsrfCookies } from "../csrf-cookie";
import { FositeProviderError } from "../fosite-errors";
import { randomUUID } from "node:crypto";
import { flowExpiry, randomToken } from "../flows/repository";
import { decideAuthentication } from "./authentication-decision";
import { confirmLoginSession } from "./login-session";
import { CONTINUED_CONSENT_KEY, takeContinuedLogin } from "./continued-login";
import { pairwiseSubject } from "./pairwise";
import { originalRequest, originalRequestQuery, requestedPrompts, wantsRegistrationUi } from "./request-params";

/** What the login accept handler stores on the interaction for the consent step. */
export interface HydraLoginResult {
  challenge: string;
  skip: boolean;
  remember: boolean;
  rememberFor: number;
  context: unknown;
  acr: string;
  amr: string[];
  /** When the login happened (seconds): the accept, or the remembered login's time for a skipped one. */
  authenticatedAt: number;
  /** Hydra's login session id: the login request's `session_id` (the ID token's `sid`, provider/id-token-claims.ts). */
  sessionId: string;
}

/** Key under which a skipped login request keeps the remembered login's auth_time (private: the admin API drops `_` keys). */
export const REMEMBERED_AUTH_TIME_KEY = "_remembered_auth_time";

type Params = Record<string, unknown>;

function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function splitParam(params: Params, name: string): string[] {
  return stringParam(params, name)?.split(" ").filter(Boolean) ?? [];
}

/** OAuth2AuthURL with the request URL's raw query (strategy_default.go forwardAuthenticationRequest); Go writes no `?` for an empty one. */
function requestUrl(deps: Deps, params: Params): string {
  const query = originalRequestQuery(params);
  return query === "" ? `${deps.publicUrl}oauth2/auth` : `${deps.publicUrl}oauth2/auth?${query}`;
}

/** Hydra's OAuth2ConsentRequestOpenIDConnectContext, from the request as sent. */
function oidcContext(request: URLSearchParams, hintClaims: Record<string, unknown> | undefined): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  const list = (name: string) => (request.get(name) ?? "").split(" ").filter(Boolean);
  if (list("acr_values").length) context.acr_values = list("acr_values");
  if (list("ui_locales").length) context.ui_locales = list("ui_locales");
  const display = request.get("display");
  if (display) context.display = display;
  const loginHint = request.get("login_hint");
  if (loginHint) context.login_hint = loginHint;
  if (hintClaims) context.id_token_hint_claims = hintClaims;
  return context;
}

async function loadClient(deps: Deps, clientId: string): Promise<StoredClient> {
  const client = await deps.clients.get(clientId);
  if (!client) throw new Error(`client ${clientId} vanished during authorization`);
  return client;
}

/** The requested audience; the authorization endpoint refused it already unless the client whitelisted all of it. */
function requestedAudience(params: Params): string[] {
  return splitParam(params, "audience");
}

/** The claims of the id_token_hint oidc-provider validated (signature checked, expiry ignored), if one was sent. */
function idTokenHintClaims(ctx: KoaContextWithOIDC): Record<string, unknown> | undefined {
  const hint: unknown = ctx.oidc.entities.IdTokenHint;
  const payload: unknown = typeof hint === "object" && hint !== null ? Reflect.get(hint, "payload") : undefined;
  return typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : undefined;
}

/**
 * Hydra's requestConsent: whether the consent UI may skip asking. Only a
 * remembered consent counts (Hydra leaves `skip_consent` to the consent UI),
 * the newest one the subject gave this client without it being skipped, and
 * only if it covers every requested scope; never for a public client whose
 * redirect URI is neither https nor on localhost (its identity is unproven),
 * and never with `prompt=consent`.
 */
async function consentSkip(deps: Deps, client: StoredClient, subject: string, params: Params, scopes: string[]): Promise<boolean> {
  if (requestedPrompts(params).includes("consent")) return false;
  if (client.data.token_endpoint_auth_method === "none") {
    const redirect = new URL(typeof params.redirect_uri === "string" ? params.redirect_uri : "", "http://invalid.");
    const localhost =
      redirect.hostname === "localhost" || redirect.hostname.endsWith(".localhost") || /^(127\.|\[::1\]$)/.test(redirect.hostname);
    if (!(redirect.protocol === "https:" || (redirect.protocol === "http:" && localhost))) return false;
  }
  const previous = await deps.sessions.rememberedConsent(subject, client.id);
  return previous !== undefined && scopes.every((scope) => previous.grantScope.includes(scope));
}

/**
 * Hydra's setCSRFCookie: a fresh value for this browser, kept in the flow;
 * the verifier the UI gets back is honoured only next to this cookie
 * (public/verifiers.ts).
 */
function issueCsrfCookie(deps: Deps, ctx: KoaContextWithOIDC, kind: "login" | "consent", clientId: string): string {
  const value = randomToken();
  const { name, options } = flowCsrfCookie(deps.config, deps.issuer, kind, clientId);
  ctx.append("Set-Cookie", serializeCsrfCookies(name, value, options));
  return value;
}

/**
 * oidc-provider's `interactions.url`: instead of rendering its own pages, each
 * pending prompt becomes a Hydra login or consent request and the browser is
 * sent to the configured login/consent UI with the challenge.
 */
export async function interactionUrl(deps: Deps, ctx: KoaContextWithOIDC, interaction: Interaction): Promise<string> {
  const params = interaction.params;
  const clientId = String(params.client_id);
  const stored = await loadClient(deps, clientId);
  const client = clientToJson(stored);
  const original = originalRequest(params);
  // fosite's RequestedScope: the scope as sent (the authorization endpoint refused it unless all of it is the client's).
  const scopes = (original.get("scope") ?? "").split(" ").filter(Boolean);
  const session = ctx.oidc.session;
  const ttlSeconds = deps.config.ttl.login_consent_request;
  const hintClaims = idTokenHintClaims(ctx);

  if (interaction.prompt.name === "login") {
    // oidc-provider would drop a fresh, empty session and start another at resume; keeping it keeps
    // the browser's session (and its uid, which the remembered login is found by) from here on.
    // (`new`/`touched` exist at runtime but not in @types/oidc-provider.)
    if (session && Reflect.get(session, "new") === true) Reflect.set(session, "touched", true);
    // A login verifier followed again (public/verifiers.ts): its accepted login, no new login request.
    const continued = takeContinuedLogin(ctx.req);
    if (continued) {
      await continued(interaction);
      // applyLogin ended the session of another subject: oidc-provider must not save it back at the end of this request.
      if (session?.accountId && !interaction.session) Reflect.set(session, "destroyed", true);
      return interaction.returnTo;
    }
    const accountId = session?.accountId;
    const stillRemembered = accountId && session ? await deps.sessions.browserLogin(session.uid) : undefined;
    const remembered = stillRemembered?.subject === accountId ? stillRemembered : undefined;
    const hintSubject = typeof hintClaims?.sub === "string" ? hintClaims.sub : undefined;
    const salt = deps.config.oidc.subject_identifiers.pairwise.salt ?? "";
    const obfuscate = (subject: string) =>
      stored.data.subject_type === "pairwise"
        ? pairwiseSubject(salt, subject, {
            clientId,
            sectorIdentifierUri: stored.data.sector_identifier_uri,
            redirectUris: stored.data.redirect_uris,
          })
        : subject;
    const decision = decideAuthentication(original, remembered, hintSubject, obfuscate);
    const request = {
      requested_scope: scopes,
      requested_access_token_audience: requestedAudience(params),
      skip: decision.skip,
      subject: decision.skip ? decision.remembered.subject : "",
      oidc_context: oidcContext(original, hintClaims),
      client,
      request_url: requestUrl(deps, params),
      // forwardAuthenticationRequest: the remembered login session's id when skipped, else a new UUID per request.
      session_id: decision.skip ? decision.remembered.id : randomUUID(),
      // A skipped login keeps the remembered login's time (Hydra's LoginAuthenticatedAt); never shown by the admin API.
      ...(decision.skip ? { [REMEMBERED_AUTH_TIME_KEY]: Math.floor(decision.remembered.authenticatedAt.getTime() / 1000) } : {}),
    };
    const csrf = issueCsrfCookie(deps, ctx, "login", clientId);
    const challenge = await deps.flows.create({
      kind: "login",
      interactionUid: interaction.uid,
      clientId,
      ...(decision.skip ? { subject: decision.remembered.subject } : {}),
      csrf,
      request,
      // forwardAuthenticationRequest's RequestedAt: now, truncated to the second.
      expiresAt: flowExpiry(ttlSeconds),
    });
    // Hydra sends `prompt=registration` to the registration UI, any other request to the login UI.
    const { login, registration } = deps.urls;
    const ui = wantsRegistrationUi(params) ? registration : login;
    return withQuery(ui, { login_challenge: challenge });
  }

  const result = ctx.oidc.result ?? {};
  const login = result.hydraLogin as HydraLoginResult | undefined;
  const subject = session?.accountId ?? "";
  if (login && session) await confirmLoginSession(deps.sessions, session.uid, { ...login, subject });
  const continuedConsent: unknown = Reflect.get(result, CONTINUED_CONSENT_KEY);
  const continuedGrant: unknown =
    typeof continuedConsent === "object" && continuedConsent !== null ? Reflect.get(continuedConsent, "grantId") : undefined;
  if (typeof continuedGrant === "string") {
    // A consent verifier run as a new authorization (public/verifiers.ts): its consent took effect already.
    interaction.result = { ...result, consent: { grantId: continuedGrant } };
    await interaction.save(Math.max((interaction.exp ?? 0) - Math.floor(Date.now() / 1000), 1));
    return interaction.returnTo;
  }
  const skip = await consentSkip(deps, stored, subject, params, scopes);
  if (requestedPrompts(params).includes("none") && !skip) {
    throw new FositeProviderError("consent_required", "Prompt 'none' was requested, but no previous consent was found.");
  }
  const request = {
    requested_scope: scopes,
    requested_access_token_audience: requestedAudience(params),
    skip,
    subject,
    oidc_context: oidcContext(original, hintClaims),
    client,
    request_url: requestUrl(deps, params),
    login_challenge: login?.challenge ?? "",
    login_session_id: login?.sessionId ?? "",
    acr: login?.acr ?? session?.acr ?? "",
    amr: login?.amr ?? session?.amr ?? [],
    ...(login?.context !== undefined ? { context: login.context } : {}),
  };
  const csrf = issueCsrfCookie(deps, ctx, "consent", clientId);
  // Hydra's consent request is its login's flow, expiring with it (decodeFlow reads the login's RequestedAt).
  const loginFlow = login ? await deps.flows.get("login", login.challenge) : undefined;
  const challenge = await deps.flows.create({
    kind: "consent",
    interactionUid: interaction.uid,
    clientId,
    subject,
    csrf,
    request,
    expiresAt: loginFlow ? loginFlow.expiresAt : flowExpiry(ttlSeconds),
  });
  return withQuery(deps.urls.consent, { consent_challenge: challenge });
}
