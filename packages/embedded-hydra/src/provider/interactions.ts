import type { Interaction, KoaContextWithOIDC } from "oidc-provider";
import { clientToJson } from "../clients/model";
import { withQuery, type HydraContext } from "../context";
import { flowCsrfCookie, serializeCsrfCookie } from "../csrf-cookie";
import { randomToken } from "../storage/flows-repo";

/** Marker the public router adds when it injects prompt=consent (see public/hydra-paths.ts). */
export const INJECTED_PROMPT_PARAM = "olympus_injected_prompt";
/** Marker the public router adds when it takes `registration` out of `prompt` (see public/hydra-paths.ts). */
export const REGISTRATION_PROMPT_PARAM = "olympus_prompt_registration";

/** What the login accept handler stores on the interaction for the consent step. */
export interface HydraLoginResult {
  challenge: string;
  skip: boolean;
  remember: boolean;
  rememberFor: number;
  context: unknown;
  acr: string;
  amr: string[];
}

type Params = Record<string, unknown>;

function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function splitParam(params: Params, name: string): string[] {
  return stringParam(params, name)?.split(" ").filter(Boolean) ?? [];
}

/** The parameters the relying party actually sent (without what the router injected or moved). */
function originalParams(params: Params): Params {
  const copy: Params = { ...params };
  if (copy[INJECTED_PROMPT_PARAM]) {
    delete copy.prompt;
    delete copy[INJECTED_PROMPT_PARAM];
  }
  if (copy[REGISTRATION_PROMPT_PARAM]) {
    copy.prompt = [...splitParam(copy, "prompt"), "registration"].join(" ");
    delete copy[REGISTRATION_PROMPT_PARAM];
  }
  return copy;
}

function requestUrl(hctx: HydraContext, params: Params): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(originalParams(params))) {
    if (typeof value === "string") query.set(key, value);
  }
  return `${hctx.publicUrl}oauth2/auth?${query.toString()}`;
}

function oidcContext(params: Params): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  const acr = splitParam(params, "acr_values");
  if (acr.length) context.acr_values = acr;
  const locales = splitParam(params, "ui_locales");
  if (locales.length) context.ui_locales = locales;
  const display = stringParam(params, "display");
  if (display) context.display = display;
  const loginHint = stringParam(params, "login_hint");
  if (loginHint) context.login_hint = loginHint;
  return context;
}

async function clientJson(hctx: HydraContext, clientId: string): Promise<{ json: Record<string, unknown>; audience: string[]; skipConsent: boolean }> {
  const client = await hctx.clients.get(clientId);
  if (!client) throw new Error(`client ${clientId} vanished during authorization`);
  return { json: clientToJson(client), audience: client.data.audience, skipConsent: client.data.skip_consent };
}

function requestedAudience(params: Params, allowed: string[]): string[] {
  return splitParam(params, "audience").filter((value) => allowed.includes(value));
}

/**
 * Hydra's reasons to send a remembered browser through the login UI again
 * (requestAuthentication): the client asked for a fresh login with
 * `prompt=login`, or the remembered login is older than `max_age` seconds.
 */
function demandsFreshLogin(params: Params, authenticatedAt: Date): boolean {
  // Read before originalParams(): oidc-provider turns max_age=0 into prompt=login, next to an injected consent.
  if (splitParam(params, "prompt").includes("login")) return true;
  const raw = params.max_age;
  const maxAge = typeof raw === "number" ? raw : typeof raw === "string" && raw !== "" ? Number(raw) : Number.NaN;
  return Number.isInteger(maxAge) && maxAge > -1 && authenticatedAt.getTime() + maxAge * 1000 < Date.now();
}

/**
 * Hydra's setCSRFCookie: a fresh value for this browser, kept in the flow;
 * the verifier the UI gets back is honoured only next to this cookie
 * (public/verifiers.ts).
 */
function issueCsrfCookie(hctx: HydraContext, ctx: KoaContextWithOIDC, kind: "login" | "consent", clientId: string): string {
  const value = randomToken();
  const { name, options } = flowCsrfCookie(hctx.config, hctx.issuer, kind, clientId);
  ctx.append("Set-Cookie", serializeCsrfCookie(name, value, options));
  return value;
}

/**
 * oidc-provider's `interactions.url`: instead of rendering its own pages, each
 * pending prompt becomes a Hydra login or consent request and the browser is
 * sent to the configured login/consent UI with the challenge.
 */
export async function interactionUrl(hctx: HydraContext, ctx: KoaContextWithOIDC, interaction: Interaction): Promise<string> {
  const params = interaction.params as Params;
  const clientId = String(params.client_id);
  const { json: client, audience, skipConsent } = await clientJson(hctx, clientId);
  const scopes = splitParam(params, "scope");
  const session = ctx.oidc.session;
  const ttlSeconds = hctx.config.ttl.login_consent_request;

  if (interaction.prompt.name === "login") {
    // Hydra's login request names the login session the accepted login will have. oidc-provider
    // would drop a fresh, empty session and start another at resume; keeping it keeps its uid,
    // so session_id here, the consent's login_session_id and revocation by sid agree.
    // (`new`/`touched` exist at runtime but not in @types/oidc-provider.)
    if (session && Reflect.get(session, "new") === true) Reflect.set(session, "touched", true);
    const accountId = session?.accountId;
    const remembered = accountId && session ? await hctx.sessions.rememberedLogin(session.uid) : undefined;
    const skip = Boolean(remembered && remembered.subject === accountId && !demandsFreshLogin(params, remembered.authenticatedAt));
    const request = {
      requested_scope: scopes,
      requested_access_token_audience: requestedAudience(params, audience),
      skip,
      subject: skip ? accountId : "",
      oidc_context: oidcContext(params),
      client,
      request_url: requestUrl(hctx, params),
      session_id: session?.uid ?? "",
    };
    const csrf = issueCsrfCookie(hctx, ctx, "login", clientId);
    const challenge = await hctx.flows.create({
      kind: "login",
      interactionUid: interaction.uid,
      clientId,
      ...(skip && accountId ? { subject: accountId } : {}),
      csrf,
      request,
      ttlSeconds,
    });
    // Hydra sends `prompt=registration` to the registration UI, any other request to the login UI.
    const { login, registration } = hctx.config.urls;
    const ui = params[REGISTRATION_PROMPT_PARAM] ? (registration ?? login) : login;
    return withQuery(ui, { login_challenge: challenge });
  }

  const result = ctx.oidc.result ?? {};
  const login = result.hydraLogin as HydraLoginResult | undefined;
  const subject = session?.accountId ?? "";
  if (login && !login.skip && session) {
    await hctx.sessions.rememberLogin(session.uid, subject, login.remember, login.rememberFor);
  }
  const forcedConsent = splitParam(originalParams(params), "prompt").includes("consent");
  const remembered = forcedConsent ? undefined : await hctx.sessions.rememberedConsent(subject, clientId, scopes);
  const request = {
    requested_scope: scopes,
    requested_access_token_audience: requestedAudience(params, audience),
    skip: skipConsent || Boolean(remembered),
    subject,
    oidc_context: oidcContext(params),
    client,
    request_url: requestUrl(hctx, params),
    login_challenge: login?.challenge ?? "",
    login_session_id: session?.uid ?? "",
    acr: login?.acr ?? session?.acr ?? "",
    amr: login?.amr ?? session?.amr ?? [],
    ...(login?.context !== undefined ? { context: login.context } : {}),
  };
  const csrf = issueCsrfCookie(hctx, ctx, "consent", clientId);
  const challenge = await hctx.flows.create({
    kind: "consent",
    interactionUid: interaction.uid,
    clientId,
    subject,
    csrf,
    request,
    ttlSeconds,
  });
  return withQuery(hctx.config.urls.consent, { consent_challenge: challenge });
}
