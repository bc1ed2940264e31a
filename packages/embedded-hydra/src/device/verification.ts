import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { withQuery } from "@olympus/server-kit/http";
import { clientToJson, type StoredClient } from "../clients/model";
import { checkCsrfCookies, flowCsrfCookie, serializeCsrfCookies } from "../csrf-cookie";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { fositeDescription, fositeHydraError, FositeProviderError, isFositeErrorName } from "../fosite-errors";
import { flowExpiry, randomToken, type RedeemedFlow } from "../flows/repository";
import { decideAuthentication } from "../provider/authentication-decision";
import { pairwiseSubject } from "../provider/pairwise";
import { idTokenHintSubject } from "./id-token-hint";
import { acceptConsentSchema, acceptedLoginSchema, recordConsent, type AcceptedLogin } from "../provider/decisions";
import { REMEMBERED_AUTH_TIME_KEY } from "../provider/interactions";
import type { Mapping } from "../public/mapping";
import { rememberedBrowserLogin, rememberInBrowser } from "./browser-login";
import { DeviceChallengeStore } from "./challenges";
import { DEVICE_PATHS, deviceCsrfCookie, deviceUrls } from "./urls";
import { approveDeviceCode } from "./approval";
import { assertCsrf, clientMismatch, deviceCodeGone, rejected, requestExpired, verifierRefused } from "./errors";

/** Private keys of a device login/consent request (the admin API drops `_` keys): the device code it will authorize. */
const DEVICE_CODE_KEY = "_device_code_id";
const AUTH_TIME_KEY = "_device_auth_time";

type Query = URLSearchParams;

/**
 * `GET /oauth2/device/verify`: Hydra's HandleOAuth2DeviceAuthorizationRequest
 * (consent/strategy_default.go) and performOAuth2DeviceVerificationFlow
 * (oauth2/handler.go). Four states, told apart by the verifier present:
 * none → a device challenge for the user-code UI; `device_verifier` → the
 * login request; `login_verifier` → the consent request; `consent_verifier`
 * → the device code is authorized and the browser goes to
 * `urls.device.success?client_id=`. Failures are fosite's JSON errors, as
 * Hydra writes them to the browser.
 */
export async function handleDeviceVerification(deps: Deps, req: IncomingMessage): Promise<Mapping> {
  const query = new URL(req.url ?? "/", "http://placeholder").searchParams;
  try {
    const deviceVerifier = (query.get("device_verifier") ?? "").trim();
    const loginVerifier = (query.get("login_verifier") ?? "").trim();
    const consentVerifier = (query.get("consent_verifier") ?? "").trim();
    if (!deviceVerifier && !loginVerifier && !consentVerifier) return await requestDevice(deps, query);
    if (deviceVerifier && !loginVerifier && !consentVerifier) {
      const used = await new DeviceChallengeStore(deps).use(deviceVerifier);
      if (used.outcome === "expired") throw requestExpired("device");
      if (used.outcome === "invalid") throw verifierRefused("device");
      const { challenge } = used;
      const csrf = deviceCsrfCookie(deps);
      assertCsrf(checkCsrfCookies(req.headers.cookie, csrf.name, challenge.csrf, csrf.options));
      const client = await queryClient(deps, query);
      // The login request is about the device's client, never one named in the browser's query.
      if (client.id !== challenge.accepted.clientId) throw clientMismatch();
      return await requestAuthentication(deps, req, query, client, challenge.requestUrl, challenge.accepted);
    }
    const client = await queryClient(deps, query);
    if (loginVerifier) return await requestConsent(deps, req, client, loginVerifier);
    return await verifyConsent(deps, req, query, consentVerifier);
  } catch (error) {
    if (!(error instanceof HydraError)) throw error;
    return { kind: "json", status: error.status, body: { error: error.error, error_description: error.description } };
  }
}

/** forwardDeviceRequest: a device challenge bound to this browser by the device CSRF cookie, then the user-code UI. */
async function requestDevice(deps: Deps, query: Query): Promise<Mapping> {
  // Hydra keeps the request without the user code (caseInsensitiveFilterParam) and re-encodes it sorted, as Go's url.Values.
  const kept = [...query].filter(([key]) => key.toLowerCase() !== "user_code").sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const urls = deviceUrls(deps);
  const rawQuery = new URLSearchParams(kept).toString();
  const requestUrl = rawQuery ? `${urls.verificationUri}?${rawQuery}` : urls.verificationUri;
  const csrf = randomToken();
  const challenge = await new DeviceChallengeStore(deps).create({ csrf, requestUrl });
  const cookie = deviceCsrfCookie(deps);
  const userCode = query.get("user_code");
  const location = withQuery(urls.verificationUi, {
    device_challenge: challenge,
    ...(query.has("user_code") ? { user_code: userCode ?? "" } : {}),
  });
  return { kind: "redirect", location, headers: { "set-cookie": serializeCsrfCookies(cookie.name, csrf, cookie.options) } };
}

/** The `client_id` every later step carries (Hydra validates it before looking at the login or consent verifier). */
async function queryClient(deps: Deps, query: Query): Promise<StoredClient> {
  const clientId = query.get("client_id");
  if (!clientId) throw fositeHydraError("invalid_client", "Query parameter 'client_id' is missing.");
  const client = await deps.clients.get(clientId);
  if (!client) throw fositeHydraError("invalid_client", "Client does not exist");
  return client;
}

/**
 * requestAuthentication and forwardAuthenticationRequest for a device flow:
 * a login request about the device's requested scope and audience,
 * `request_url` the verification URL, no OpenID Connect context (Hydra
 * leaves it nil for device flows). The browser's remembered login is used as
 * in a browser authorization (`skip: true`, its subject and session id),
 * decided on this request's form as Hydra does: `prompt=login` or a passed
 * `max_age` ask for a fresh login, `prompt=none` without a usable login is
 * `login_required`, and an `id_token_hint` must be Hydra's ID token of the
 * remembered subject.
 */
async function requestAuthentication(
  deps: Deps,
  req: IncomingMessage,
  query: Query,
  client: StoredClient,
  requestUrl: string,
  accepted: { deviceCodeId: string; requestedScope: string[]; requestedAudience: string[] },
): Promise<Mapping> {
  const browser = await rememberedBrowserLogin(deps, req);
  // Hydra decides on the form of this request (the redirect carrying device_verifier): prompt, max_age, id_token_hint.
  const form = new URLSearchParams(query);
  const hint = form.get("id_token_hint") ?? "";
  // forwardAuthenticationRequest reads a hint whether or not a login is remembered.
  const hintSubject = hint ? await idTokenHintSubject(deps, hint) : undefined;
  const salt = deps.config.oidc.subject_identifiers.pairwise.salt ?? "";
  const obfuscate = (subject: string) =>
    client.data.subject_type === "pairwise"
      ? pairwiseSubject(salt, subject, {
          clientId: client.id,
          sectorIdentifierUri: client.data.sector_identifier_uri,
          redirectUris: client.data.redirect_uris,
        })
      : subject;
  const decision = decidedAsFosite(() => decideAuthentication(form, browser?.login, hintSubject, obfuscate));
  const csrf = randomToken();
  const request = {
    requested_scope: accepted.requestedScope,
    requested_access_token_audience: accepted.requestedAudience,
    skip: decision.skip,
    subject: decision.skip ? decision.remembered.subject : "",
    oidc_context: null,
    client: clientToJson(client),
    request_url: requestUrl,
    // forwardAuthenticationRequest: the remembered login session's id when skipped, else a new UUID.
    session_id: decision.skip ? decision.remembered.id : randomUUID(),
    [DEVICE_CODE_KEY]: accepted.deviceCodeId,
    ...(decision.skip ? { [REMEMBERED_AUTH_TIME_KEY]: Math.floor(decision.remembered.authenticatedAt.getTime() / 1000) } : {}),
  };
  const challenge = await deps.flows.create({
    kind: "login",
    clientId: client.id,
    ...(decision.skip ? { subject: decision.remembered.subject } : {}),
    csrf,
    request,
    // The "Device auth grant" branch of requestAuthentication sets the flow's RequestedAt anew.
    expiresAt: flowExpiry(deps.config.ttl.login_consent_request),
  });
  const cookie = flowCsrfCookie(deps.config, deps.issuer, "login", client.id);
  return {
    kind: "redirect",
    location: withQuery(deps.urls.login, { login_challenge: challenge }),
    headers: { "set-cookie": serializeCsrfCookies(cookie.name, csrf, cookie.options) },
  };
}

/** A fosite refusal of the decision (login_required) as the JSON error Hydra writes to the browser. */
function decidedAsFosite<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof FositeProviderError && isFositeErrorName(error.error)) {
      const hint = error.error_description?.slice(fositeDescription(error.error).length).trim();
      throw fositeHydraError(error.error, hint || null);
    }
    throw error;
  }
}

/**
 * The login half of verifyAuthentication: a fresh login is confirmed as a
 * login session (remembered or not); remembered, it becomes this browser's
 * login session (Set-Cookie values returned); not remembered, the browser's
 * remembered login is forgotten, as Hydra revokes its authentication session.
 * A skipped login leaves the remembered one as it is.
 */
async function confirmDeviceLogin(deps: Deps, req: IncomingMessage, flow: RedeemedFlow, login: AcceptedLogin, authenticatedAt: number) {
  if (flow.request.skip === true) return [];
  const sessionId = String(flow.request.session_id);
  await deps.sessions.rememberLogin(sessionId, login.subject, login.remember, login.remember_for, authenticatedAt);
  if (!login.remember) {
    const browser = await rememberedBrowserLogin(deps, req);
    if (browser) await deps.sessions.deleteLogins({ sessionId: browser.sessionId });
    return [];
  }
  return rememberInBrowser(deps, req, { sessionId, subject: login.subject, authenticatedAt, acr: login.acr, amr: login.amr });
}

/** verifyAuthentication then requestConsent: device flows skip consent only for a confidential client's remembered consent. */
async function requestConsent(deps: Deps, req: IncomingMessage, client: StoredClient, verifier: string): Promise<Mapping> {
  const flow = await useDeviceVerifier(deps, "login", verifier);
  // consent/strategy_default.go verifyAuthentication: the flow's client must be the request's.
  if (flow.clientId !== client.id) throw clientMismatch();
  const loginCookie = flowCsrfCookie(deps.config, deps.issuer, "login", flow.clientId ?? "");
  if (flow.decision === "rejected") throw rejected(flow);
  assertCsrf(checkCsrfCookies(req.headers.cookie, loginCookie.name, flow.csrf, loginCookie.options));
  const login = acceptedLoginSchema.parse(flow.handled);
  // A skipped login keeps the remembered login's time (Hydra's LoginAuthenticatedAt).
  const rememberedAt = flow.request[REMEMBERED_AUTH_TIME_KEY];
  const authenticatedAt = flow.request.skip === true && typeof rememberedAt === "number" ? rememberedAt : login.authenticated_at;
  const sessionCookies = await confirmDeviceLogin(deps, req, flow, login, authenticatedAt);
  const scopes = stringList(flow.request.requested_scope);
  // consent/strategy_default.go requestConsent: "Device initiated flows are never allowed to skip consent" for public clients.
  const remembered =
    client.data.token_endpoint_auth_method === "none" ? undefined : await deps.sessions.rememberedConsent(login.subject, client.id);
  const skip = remembered !== undefined && scopes.every((scope) => remembered.grantScope.includes(scope));
  const csrf = randomToken();
  const request = {
    requested_scope: scopes,
    requested_access_token_audience: stringList(flow.request.requested_access_token_audience),
    skip,
    subject: login.subject,
    oidc_context: null,
    client: clientToJson(client),
    request_url: flow.request.request_url,
    login_challenge: flow.challenge,
    login_session_id: flow.request.session_id,
    acr: login.acr,
    amr: login.amr,
    ...(login.context !== undefined ? { context: login.context } : {}),
    [DEVICE_CODE_KEY]: flow.request[DEVICE_CODE_KEY],
    [AUTH_TIME_KEY]: authenticatedAt,
  };
  const challenge = await deps.flows.create({
    kind: "consent",
    clientId: client.id,
    subject: login.subject,
    csrf,
    request,
    // forwardConsentRequest (ToStateConsentUnused) keeps the login's RequestedAt: the consent request expires with it.
    expiresAt: flow.expiresAt,
  });
  const cookie = flowCsrfCookie(deps.config, deps.issuer, "consent", client.id);
  return {
    kind: "redirect",
    location: withQuery(deps.urls.consent, { consent_challenge: challenge }),
    headers: { "set-cookie": [...serializeCsrfCookies(cookie.name, csrf, cookie.options), ...sessionCookies] },
  };
}

/**
 * verifyConsent, then performOAuth2DeviceVerificationFlow: the consent
 * session is claimed and stored (before the cookie is checked, as Hydra), the device
 * code gets the subject, the granted scope and the login's acr/amr/auth_time
 * and becomes redeemable at the token endpoint (device/approval.ts).
 */
async function verifyConsent(deps: Deps, req: IncomingMessage, query: Query, verifier: string): Promise<Mapping> {
  const flow = await useDeviceVerifier(deps, "consent", verifier);
  if (flow.clientId !== query.get("client_id")) throw clientMismatch();
  if (flow.decision === "rejected") throw rejected(flow);
  // CreateConsentSession: the first accepted consent of the login takes effect, any later one meets its unique key.
  if (!(await deps.flows.claimConsent(flow))) throw fositeHydraError("access_denied", "The consent verifier has already been used.");
  const consent = acceptConsentSchema.parse(flow.handled);
  const grantId = await recordConsent(deps, flow, consent);
  const cookie = flowCsrfCookie(deps.config, deps.issuer, "consent", flow.clientId ?? "");
  assertCsrf(checkCsrfCookies(req.headers.cookie, cookie.name, flow.csrf, cookie.options));
  const sid = flow.request.login_session_id;
  const acr = flow.request.acr;
  const approved = await approveDeviceCode(deps.db, String(flow.request[DEVICE_CODE_KEY]), {
    accountId: flow.subject ?? "",
    grantId,
    scope: consent.grant_scope.join(" "),
    authTime: Number(flow.request[AUTH_TIME_KEY]),
    ...(typeof sid === "string" ? { sid } : {}),
    ...(typeof acr === "string" ? { acr } : {}),
    amr: stringList(flow.request.amr),
  });
  if (!approved) throw deviceCodeGone();
  return { kind: "redirect", location: withQuery(deviceUrls(deps).success, { client_id: flow.clientId ?? "" }) };
}

/**
 * flow/flow_encoding.go decodeVerifier for a device flow: a login or consent
 * verifier works as often as it is followed until its flow expires, as the
 * browser's (public/verifiers.ts); whether an accepted consent still takes
 * effect is claimConsent's. One of a browser authorization (no device code)
 * is not for this endpoint.
 */
async function useDeviceVerifier(deps: Deps, kind: "login" | "consent", verifier: string): Promise<RedeemedFlow> {
  const used = await deps.flows.useVerifier(kind, verifier);
  if (used.outcome === "expired") throw requestExpired(kind);
  if (used.outcome === "invalid" || typeof used.flow.request[DEVICE_CODE_KEY] !== "string") throw verifierRefused(kind);
  return used.flow;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export { DEVICE_PATHS };
