import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { goEncodeParams, goQueryParams } from "@olympus/server-kit/go-url";
import { goTrimSpace } from "@olympus/server-kit/text";
import { withQuery } from "@olympus/server-kit/http";
import { clientToJson, type StoredClient } from "../clients/model";
import { checkCsrfCookies, flowCsrfCookie, serializeCsrfCookies } from "../csrf-cookie";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { fositeHydraError } from "../fosite-errors";
import { flowExpiry, randomToken, type RedeemedFlow } from "../flows/repository";
import { acceptConsentSchema, acceptedLoginSchema, loginAuthenticatedAt, recordConsent, type AcceptedLogin } from "../provider/decisions";
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
 * Hydra writes them to the browser. Hydra never parses this request's form
 * (`ar.Form = r.Form`, r.Form nil): prompt, max_age and id_token_hint on the
 * URL are not looked at.
 */
export async function handleDeviceVerification(deps: Deps, req: IncomingMessage): Promise<Mapping> {
  const url = new URL(req.url ?? "/", "http://placeholder");
  // HandleOAuth2DeviceAuthorizationRequest: strings.TrimSpace(r.URL.Query().Get(…)) of each verifier.
  const query = goQueryParams(url.search);
  try {
    const deviceVerifier = goTrimSpace(query.get("device_verifier") ?? "");
    const loginVerifier = goTrimSpace(query.get("login_verifier") ?? "");
    const consentVerifier = goTrimSpace(query.get("consent_verifier") ?? "");
    if (!deviceVerifier && !loginVerifier && !consentVerifier) return await requestDevice(deps, url.search);
    if (deviceVerifier && !loginVerifier && !consentVerifier) {
      const used = await new DeviceChallengeStore(deps).use(deviceVerifier);
      if (used.outcome === "expired") throw requestExpired("device");
      if (used.outcome === "invalid") throw verifierRefused("device");
      const { challenge } = used;
      const csrf = deviceCsrfCookie(deps);
      assertCsrf(checkCsrfCookies(req.headers.cookie, csrf.name, challenge.csrf, csrf.options));
      const client = await queryClient(deps, query);
      return await requestAuthentication(deps, req, client, challenge.requestUrl, challenge.accepted);
    }
    const client = await queryClient(deps, query);
    if (loginVerifier) return await requestConsent(deps, req, client, loginVerifier);
    return await verifyConsent(deps, req, query, consentVerifier);
  } catch (error) {
    if (!(error instanceof HydraError)) throw error;
    return { kind: "json", status: error.status, body: { error: error.error, error_description: error.description } };
  }
}

/**
 * forwardDeviceRequest: a device challenge bound to this browser by the
 * device CSRF cookie, then the user-code UI. The request URL keeps the
 * query as Go's r.URL.Query() reads it, every spelling of `user_code` given
 * the value `****` (caseInsensitiveFilterParam), re-encoded as
 * url.Values.Encode.
 */
async function requestDevice(deps: Deps, rawQuery: string): Promise<Mapping> {
  const query = goQueryParams(rawQuery);
  const kept = new URLSearchParams();
  for (const key of new Set(query.keys())) {
    if (key.toLowerCase() === "user_code") kept.set(key, "****");
    else for (const value of query.getAll(key)) kept.append(key, value);
  }
  const urls = deviceUrls(deps);
  const encoded = goEncodeParams(kept);
  const requestUrl = encoded ? `${urls.verificationUri}?${encoded}` : urls.verificationUri;
  const csrf = randomToken();
  const challenge = await new DeviceChallengeStore(deps).create({ csrf, requestUrl });
  const cookie = deviceCsrfCookie(deps);
  const location = withQuery(urls.verificationUi, {
    device_challenge: challenge,
    ...(query.has("user_code") ? { user_code: query.get("user_code") ?? "" } : {}),
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
 * leaves it nil for device flows). Hydra decides on an empty form (the
 * request's form is never parsed), so the browser's remembered login always
 * makes it `skip: true` (its subject and session id). The request belongs
 * to the device flow's client (the "Device auth grant" branch keeps
 * f.Client), while the login CSRF cookie is named after the client the URL
 * names (sanitizeClientFromRequest(ar)): a URL naming another client gives
 * a login whose verifier then meets no cookie of its own client.
 */
async function requestAuthentication(
  deps: Deps,
  req: IncomingMessage,
  urlClient: StoredClient,
  requestUrl: string,
  accepted: { deviceCodeId: string; clientId: string; requestedScope: string[]; requestedAudience: string[] },
): Promise<Mapping> {
  const remembered = (await rememberedBrowserLogin(deps, req))?.login;
  const client = accepted.clientId === urlClient.id ? urlClient : await deps.clients.get(accepted.clientId);
  if (!client) throw fositeHydraError("invalid_client", "Client does not exist");
  const csrf = randomToken();
  const request = {
    requested_scope: accepted.requestedScope,
    requested_access_token_audience: accepted.requestedAudience,
    skip: remembered !== undefined,
    subject: remembered?.subject ?? "",
    oidc_context: null,
    client: clientToJson(client),
    request_url: requestUrl,
    // forwardAuthenticationRequest: the remembered login session's id when skipped, else a new UUID.
    session_id: remembered?.id ?? randomUUID(),
    [DEVICE_CODE_KEY]: accepted.deviceCodeId,
    ...(remembered ? { [REMEMBERED_AUTH_TIME_KEY]: Math.floor(remembered.authenticatedAt.getTime() / 1000) } : {}),
  };
  const challenge = await deps.flows.create({
    kind: "login",
    clientId: client.id,
    ...(remembered ? { subject: remembered.subject } : {}),
    csrf,
    request,
    // The "Device auth grant" branch of requestAuthentication sets the flow's RequestedAt anew.
    expiresAt: flowExpiry(deps.config.ttl.login_consent_request),
  });
  const cookie = flowCsrfCookie(deps.config, deps.issuer, "login", urlClient.id);
  return {
    kind: "redirect",
    location: withQuery(deps.urls.login, { login_challenge: challenge }),
    headers: { "set-cookie": serializeCsrfCookies(cookie.name, csrf, cookie.options) },
  };
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

/**
 * verifyAuthentication then requestConsent: the rejection and the flow
 * client's login CSRF cookie are looked at, and the login confirmed, before
 * forwardConsentRequest finds the URL naming another client. Device flows
 * skip consent only for a confidential client's remembered consent, and
 * then for any: Hydra matches it against the requested scope of its
 * stand-in authorize request, empty past the device verifier step.
 */
async function requestConsent(deps: Deps, req: IncomingMessage, client: StoredClient, verifier: string): Promise<Mapping> {
  const flow = await useDeviceVerifier(deps, "login", verifier);
  if (typeof flow.request[DEVICE_CODE_KEY] !== "string") throw verifierRefused("login");
  const loginCookie = flowCsrfCookie(deps.config, deps.issuer, "login", flow.clientId ?? "");
  if (flow.decision === "rejected") throw rejected(flow);
  assertCsrf(checkCsrfCookies(req.headers.cookie, loginCookie.name, flow.csrf, loginCookie.options));
  const login = acceptedLoginSchema.parse(flow.handled);
  // A skipped login keeps the remembered login's time (Hydra's LoginAuthenticatedAt).
  const authenticatedAt = loginAuthenticatedAt(flow, login.authenticated_at);
  const sessionCookies = await confirmDeviceLogin(deps, req, flow, login, authenticatedAt);
  const scopes = stringList(flow.request.requested_scope);
  // consent/strategy_default.go requestConsent: "Device initiated flows are never allowed to skip consent" for public clients;
  // matchScopes against the stand-in request's empty scope list holds for any remembered consent.
  const skip =
    client.data.token_endpoint_auth_method !== "none" && (await deps.sessions.rememberedConsent(login.subject, client.id)) !== undefined;
  // forwardConsentRequest: the flow's client must be the one the URL names.
  if (flow.clientId !== client.id) throw clientMismatch();
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
  // A browser authorization's consent: GetDeviceCodeSessionByRequestID finds no session for its empty DeviceCodeRequestID.
  const deviceCodeId = flow.request[DEVICE_CODE_KEY];
  if (typeof deviceCodeId !== "string") throw deviceCodeGone();
  const sid = flow.request.login_session_id;
  const acr = flow.request.acr;
  const approved = await approveDeviceCode(deps.db, deviceCodeId, {
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
 * flow/flow_encoding.go decodeVerifier: a login or consent verifier works as
 * often as it is followed until its flow expires, as the browser's
 * (public/verifiers.ts); whether an accepted consent still takes effect is
 * claimConsent's. Hydra tells verifiers apart by purpose only, so one of a
 * browser authorization decodes here too.
 */
async function useDeviceVerifier(deps: Deps, kind: "login" | "consent", verifier: string): Promise<RedeemedFlow> {
  const used = await deps.flows.useVerifier(kind, verifier);
  if (used.outcome === "expired") throw requestExpired(kind);
  if (used.outcome === "invalid") throw verifierRefused(kind);
  return used.flow;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export { DEVICE_PATHS };
