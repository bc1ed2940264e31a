import { captchaRefusalCookie, captchaRefusedFlow, queryWithoutCaptchaField, withoutCaptchaField, type CaptchaGate } from "./captcha-gate";
import { ClientIpResolver } from "./client-address";
import type { EdgeLimiter, Outcome, ResolvedCharge } from "./limiter";
import { isAdminLocation, kratosRoutingPath, reachesKratosAdminRoute } from "./admin-routes";
import { peerAddressOf } from "./peer-address";
import { bodyNamesAnotherFlow, kratosFlowId, withQueryFields } from "./query-fields";
import { refusalCookie, refusedFlow, retryAfterSeconds } from "./refusal";
import type { SecondFactorGate } from "./second-factor-gate";
import { issuedCredentials, requestCredentials, sessionKey, type EdgeSignIns } from "./sign-ins";
import { isJsonRequest, readBounded, submittedFields } from "./request-body";
import { savesProfile, settingsMailAddresses } from "./settings-mails";
import { withCaptchaNode } from "../captcha/node";
import {
  chargesFor,
  fieldsFromForm,
  isGuardedFlow,
  selectsLoginCode,
  traitAddresses,
  type Charge,
  type Fields,
  type GuardedFlow,
  type KratosFlow,
} from "./submission";
import { goQueryParams } from "@olympus/server-kit/go-url";
import { isBodiless, relayedResponseHeaders, upstreamRequestHeaders, type UpstreamTarget } from "./upstream";

/** Where Hera serves Kratos' public API; Kratos' `serve.public.base_url` is Hera's public URL plus this. */
export const KRATOS_PROXY_PREFIX = "/.ory/kratos";

export interface KratosEdgeOptions {
  /** Kratos' public API as this server reaches it (KRATOS_PUBLIC_URL). */
  kratosUrl: string;
  /** Kratos' admin API as this server reaches it (KRATOS_ADMIN_URL): a redirect there is never relayed. */
  kratosAdminUrl?: string;
  /** Hera's own public URL (PUBLIC_URL): the browser's origin. */
  publicUrl: string;
  limiter: EdgeLimiter;
  signIns: EdgeSignIns;
  /** Structured log lines (one per request, refusals, errors); never secrets. */
  log?: (line: Record<string, unknown>) => void;
  /** The fetch used to reach Kratos (tests may count calls). */
  fetch?: typeof fetch;
  /** The MFA policy for native sign-ins and settings enrolment (second-factor-gate.ts); without it, neither is touched. */
  secondFactor?: SecondFactorGate;
  /** The CAPTCHA policy (captcha-gate.ts); without it, no submission needs one. */
  captcha?: CaptchaGate;
}

export interface KratosEdge {
  /** Answers one browser request under KRATOS_PROXY_PREFIX. */
  handle(request: Request): Promise<Response>;
}

/**
 * Hera's same-origin proxy to this domain's Kratos, with Olympus' abuse
 * limits in front of it. Browsers (Ory Elements, plain form posts, links in
 * mails) talk to Hera's origin only; Hera forwards to KRATOS_PUBLIC_URL
 * server-side, relays cookies both ways (host-only) and streams bodies.
 * Self-service submissions are read first: a guess, a mail or a
 * registration is charged against its limits (per identifier, per address,
 * per client IP, counters in the `olympus` database) before Kratos sees it,
 * and refused with Kratos' own flow shape (message 4000429, `Retry-After`),
 * identical for every identifier, known or not.
 */
export function createKratosEdge(options: KratosEdgeOptions): KratosEdge {
  const kratosUrl = options.kratosUrl.replace(/\/+$/, "");
  const publicUrl = options.publicUrl.replace(/\/+$/, "");
  const target: UpstreamTarget = {
    kratosUrl,
    browserUrl: `${publicUrl}${KRATOS_PROXY_PREFIX}`,
    ...(options.kratosAdminUrl ? { adminUrl: options.kratosAdminUrl.replace(/\/+$/, "") } : {}),
  };
  const clientIps = new ClientIpResolver(options.limiter.config.client_ip.trusted_proxies);
  const upstreamFetch = options.fetch ?? fetch;
  const log = options.log ?? (() => {});
  const secureCookies = publicUrl.startsWith("https:");

  return {
    async handle(request) {
      const started = Date.now();
      const url = new URL(request.url);
      const path = url.pathname.startsWith(KRATOS_PROXY_PREFIX) ? url.pathname.slice(KRATOS_PROXY_PREFIX.length) || "/" : "/";
      let response: Response;
      try {
        response = await route(request, url, path);
      } catch (error) {
        log({ level: "error", msg: "kratos edge failed", method: request.method, path, error: (error as Error).message });
        response = errorResponse(503, "Service Unavailable", "Sign-in is temporarily unavailable; try again in a moment.", {
          "retry-after": "5",
        });
      }
      log({ level: "info", msg: "kratos edge", method: request.method, path, status: response.status, ms: Date.now() - started });
      return response;
    },
  };

  async function route(request: Request, url: URL, path: string): Promise<Response> {
    // Kratos' public port answers /admin/* (and its identity and admin recovery routes) with a redirect to its admin
    // API, read from the decoded, cleaned path (`/%61dmin/…`, `//identities`): browsers are never sent there.
    if (reachesKratosAdminRoute(path)) return notFound();
    const clientAddress = clientIps.resolve(peerAddressOf(request.headers), request.headers.get("x-forwarded-for"));
    const headers = upstreamRequestHeaders(request.headers, clientAddress === "unknown" ? undefined : clientAddress, target.browserUrl);
    const upstreamUrl = `${kratosUrl}${path}${url.search}`;

    const handOff = challengeHandOff(request, url, path);
    if (handOff) return handOff;
    // Matched on the path Kratos routes (`/self-service/%6Cogin` is its login), and forwarded as that path, so
    // the submission priced here is the one Kratos runs.
    const submission = /^\/self-service\/([a-z]+)$/.exec(kratosRoutingPath(path) ?? "")?.[1];
    // The query as Kratos reads it (Go's url.ParseQuery, first value): `?flow=junk;&flow=<id>` is flow <id> there, and
    // the flow is keyed by the id Kratos resolves, however it is spelled. The query itself is forwarded as sent.
    const query = goQueryParams(url.search);
    const flowId = kratosFlowId(query.get("flow"));
    if (submission && isGuardedFlow(submission) && flowId && (request.method === "POST" || request.method === "GET")) {
      return guarded(request, submission, flowId, query, headers, `${kratosUrl}/self-service/${submission}${url.search}`, clientAddress);
    }
    let body: BodyInit | null | undefined = request.method === "GET" || request.method === "HEAD" ? undefined : request.body;
    let settleMails = async (_outcome: Outcome) => {};
    if (submission === "settings" && flowId && (request.method === "POST" || request.method === "GET")) {
      const charged = await chargeSettingsMails(request, flowId, query, headers, clientAddress);
      if (charged instanceof Response) return charged;
      if (request.method === "POST") body = charged.body;
      settleMails = charged.settle;
    }
    let upstream: Response;
    try {
      upstream = await upstreamFetch(upstreamUrl, {
        method: request.method,
        headers,
        body,
        redirect: "manual",
        // Request bodies stream through (Node's fetch requires the half-duplex flag for that).
        ...({ duplex: "half" } as object),
      });
    } catch (error) {
      await settleMails("not_checked");
      throw error;
    }
    // Kratos refused before saving anything (no session, CSRF, second factor missing, flow gone): no mail went out.
    // Except a save that needs a fresh sign-in: Kratos keeps it (profile strategy handleSettingsError pauses it in the
    // continuity container) and saves it, mails included, on the GET that resumes the flow after the sign-in, which
    // carries no fields to charge. So its charge stands.
    const refusedBeforeSaving = [401, 403, 404, 410].includes(upstream.status) && !(await pausedForSignIn(upstream));
    await settleMails(refusedBeforeSaving ? "not_checked" : "failed");
    if (redirectsToAdmin(upstream)) return refusedAdminRedirect(request, path, upstream);
    const relayed = relayedResponseHeaders(upstream.headers, target);
    await carryOverSignIn(request.headers, upstream.headers.getSetCookie());
    if (options.secondFactor && SETTINGS_FLOW_PATHS.has(path) && (upstream.headers.get("content-type") ?? "").includes("json")) {
      // Ory Elements re-renders the settings flow from these answers: enrolment the policy does not offer stays hidden.
      const view = await options.secondFactor.settingsView(await upstream.text());
      return new Response(view, { status: upstream.status, statusText: upstream.statusText, headers: relayed });
    }
    return new Response(isBodiless(upstream.status) ? null : upstream.body, {
      status: upstream.status,
      statusText: upstream.statusText,
      headers: relayed,
    });
  }

  async function guarded(
    request: Request,
    kind: GuardedFlow,
    flowId: string,
    query: URLSearchParams,
    headers: Headers,
    upstreamUrl: string,
    clientAddress: string,
  ): Promise<Response> {
    let body: Uint8Array<ArrayBuffer> | undefined;
    let fields: Fields;
    if (request.method === "POST") {
      const read = await readBounded(request);
      if (read === "too_large") return errorResponse(413, "Request Entity Too Large", "The request body is too large.");
      body = read;
      const parsed = submittedFields(request.headers.get("content-type"), body);
      if (!parsed) return errorResponse(400, "Bad Request", "Unable to decode the request body.");
      // Kratos may act on the body's flow while the edge prices the query's (query-fields.ts bodyNamesAnotherFlow).
      if (bodyNamesAnotherFlow(parsed, flowId))
        return errorResponse(400, "Bad Request", "The flow named in the request body is not the flow in the URL.");
      fields = withQueryFields(kind, request.headers.get("content-type"), parsed, query);
    } else {
      fields = fieldsFromForm(query.entries());
    }

    // A flow Kratos cannot show (expired, unknown, no CSRF cookie) is one it will not check a secret against either:
    // a submission to it is charged nothing. A sign-in's charges come from its fields alone, so it is charged without
    // asking Kratos for the flow first: were the flow one Kratos cannot show, Kratos answers without checking anything
    // and the charge is given back (outcome "not_checked"). Its flow is fetched only for a refusal — to re-render it,
    // or, when there is none, to let the submission go on uncharged as it would have gone with the flow fetched first.
    const flowFree = chargesNeedNoFlow(kind, request.method, fields);
    let flow = flowFree ? undefined : await fetchFlow(kind, flowId, headers);
    const shownFlow = async () => (flowFree ? (flow ??= await fetchFlow(kind, flowId, headers)) : flow);
    const charges = flowFree || flow ? chargesFor(kind, request.method, fields, flow, flowId) : [];
    const guessed = charges.flatMap((c) => (c.type === "attempt" && c.attempt === "password" ? c.identifiers : []));
    let unchecked = false;
    let forwardUrl = upstreamUrl;
    // A GET that has Kratos send or check (its fields are the query) needs the challenge its POST twin needs.
    if (options.captcha && (flowFree || flow)) {
      // Before the limits count it: a submission without a solved challenge is no attempt at all.
      const refused = await options.captcha.check({ kind, fields, identifiers: guessed, clientAddress, charges });
      const refusedFlow = refused ? await shownFlow() : undefined;
      if (refused && refusedFlow) {
        log({ level: "warn", msg: "kratos edge refused", flow: kind, captcha: refused.reason });
        return captchaRefusal(request, kind, refusedFlow, fields);
      }
      unchecked = refused !== undefined;
      const stripped = body ? await withoutCaptchaField(headers.get("content-type"), body) : undefined;
      if (stripped) {
        body = stripped.body;
        if (stripped.contentType) headers.set("content-type", stripped.contentType);
      }
      // The query as sent but for the payload: split by hand, as URL would re-encode what it keeps.
      const queryStart = upstreamUrl.indexOf("?");
      const query = queryStart < 0 ? undefined : queryWithoutCaptchaField(upstreamUrl.slice(queryStart));
      if (query !== undefined) forwardUrl = upstreamUrl.slice(0, queryStart) + query;
    }
    const resolved = unchecked ? [] : await resolveCharges(charges, request.headers);
    const admission = await options.limiter.admit(resolved, clientAddress);
    const settle = (outcome: Outcome) => (admission.allowed ? admission.settle(outcome) : Promise.resolve());
    if (!admission.allowed) {
      const refusedFlow = await shownFlow();
      // No flow Kratos would check it against: it goes on uncharged, as it would have had the flow been fetched first.
      if (!flowFree || refusedFlow) {
        const seconds = retryAfterSeconds(admission.retryAfterMs);
        log({
          level: "warn",
          msg: "kratos edge refused",
          flow: kind,
          limits: [...new Set(resolved.map((c) => (c.type === "attempt" ? c.attempt : c.type)))],
          retry_after: seconds,
        });
        return refusal(request, kind, refusedFlow, fields, seconds);
      }
    }

    let upstream: Response;
    try {
      upstream = await upstreamFetch(forwardUrl, { method: request.method, headers, body, redirect: "manual" });
    } catch (error) {
      await settle("not_checked");
      throw error;
    }
    if (redirectsToAdmin(upstream)) {
      await settle("not_checked");
      return refusedAdminRedirect(request, `/self-service/${kind}`, upstream);
    }
    let text = isBodiless(upstream.status) ? "" : await upstream.text();
    const json = parseJson(text);
    const outcome = outcomeOf(kind, upstream.status, upstream.headers.get("location"), json, flowId);
    await settle(outcome);
    // A new account gets a verification mail Kratos sends by itself: it counts against the address like a requested one
    // (the edge cannot hold it back, but the next mail asked for meets the limit).
    if (kind === "registration" && outcome === "succeeded" && flow) {
      const addresses = traitAddresses(fields, flow);
      if (addresses.length > 0) await options.limiter.admit([{ type: "mail", addresses }], clientAddress);
    }

    // A native app's sign-in below the MFA policy: the session is revoked and its token never leaves the edge.
    // Only an API flow's answer carries a session token, which is what the gate looks for: it needs no flow to tell.
    if (options.secondFactor && upstream.status === 200 && (kind === "login" || kind === "registration")) {
      const refused = await options.secondFactor.refuseApiSignIn(json);
      if (refused) return refused;
    }

    const setCookies = upstream.headers.getSetCookie();
    const credentials = issuedCredentials(setCookies, json);
    // Kratos hands out a session credential only with a successful sign-in (login, registration, recovery).
    if (credentials.length > 0) {
      const subject = signInSubject(resolved, json);
      if (subject) await options.signIns.remember(credentials, subject);
      else await carryOverSignIn(request.headers, setCookies);
    }
    // The flow Elements re-renders from this answer shows the widget where the next submission will need it.
    if (options.captcha && isFlow(json) && (await options.captcha.shows({ kind, identifiers: guessed, clientAddress })))
      text = JSON.stringify(withCaptchaNode(json));
    return new Response(isBodiless(upstream.status) ? null : text, {
      status: upstream.status,
      statusText: upstream.statusText,
      headers: relayedResponseHeaders(upstream.headers, target),
    });
  }

  /**
   * A settings submission that saves the profile has Kratos mail each address it adds (settings-mails.ts): charged
   * like a requested mail before Kratos sees it, refused with the settings flow and message 4000429. The profile
   * strategy decodes the body of a POST alone and the query of a GET (no HTTPDecoderUseQueryAndBody). A flow
   * Kratos will not show is one it will not save either: charged nothing.
   */
  async function chargeSettingsMails(
    request: Request,
    flowId: string,
    query: URLSearchParams,
    headers: Headers,
    clientAddress: string,
  ): Promise<Response | { body: Uint8Array<ArrayBuffer> | undefined; settle: (outcome: Outcome) => Promise<void> }> {
    let body: Uint8Array<ArrayBuffer> | undefined;
    let fields: Fields | undefined;
    if (request.method === "POST") {
      const read = await readBounded(request);
      if (read === "too_large") return errorResponse(413, "Request Entity Too Large", "The request body is too large.");
      body = read;
      // JSON that does not parse: Kratos answers 400 without saving.
      fields = submittedFields(request.headers.get("content-type"), body);
    } else {
      fields = fieldsFromForm(query.entries());
    }
    const uncharged = { body, settle: async () => {} };
    if (!fields || !savesProfile(fields)) return uncharged;
    const flow = await fetchFlow("settings", flowId, headers);
    const addresses = flow ? settingsMailAddresses(fields, flow) : [];
    if (!flow || addresses.length === 0) return uncharged;
    const admission = await options.limiter.admit([{ type: "mail", addresses }], clientAddress);
    if (!admission.allowed) {
      const seconds = retryAfterSeconds(admission.retryAfterMs);
      log({ level: "warn", msg: "kratos edge refused", flow: "settings", limits: ["mail"], retry_after: seconds });
      return refusal(request, "settings", flow, fields, seconds);
    }
    return { body, settle: admission.settle };
  }

  /** Kratos' answer to a settings save that needs a fresh sign-in first (403, error id `session_refresh_required`). */
  async function pausedForSignIn(upstream: Response): Promise<boolean> {
    if (upstream.status !== 403 || !(upstream.headers.get("content-type") ?? "").includes("json")) return false;
    const answer = parseJson(await upstream.clone().text());
    const error = typeof answer === "object" && answer !== null && "error" in answer ? answer.error : undefined;
    return typeof error === "object" && error !== null && "id" in error && error.id === "session_refresh_required";
  }

  /**
   * Defence in depth behind the path check: a redirect from Kratos to its admin API (a route the check does not
   * know, a future Kratos) would disclose the internal address and have the browser re-send there. It is answered
   * as the edge answers an admin path: 404, the client's request being what led there (no 5xx for bad input).
   */
  function redirectsToAdmin(upstream: Response): boolean {
    const location = upstream.headers.get("location");
    return location !== null && isAdminLocation(location, target);
  }

  async function refusedAdminRedirect(request: Request, path: string, upstream: Response): Promise<Response> {
    await upstream.body?.cancel();
    log({ level: "warn", msg: "kratos edge refused a redirect to the admin API", method: request.method, path, status: upstream.status });
    return notFound();
  }

  /** Second-factor guesses are the person's: the identifier the edge saw sign in with this session, else the session itself. */
  async function resolveCharges(charges: readonly Charge[], requestHeaders: Headers): Promise<ResolvedCharge[]> {
    const resolved: ResolvedCharge[] = [];
    for (const charge of charges) {
      if (charge.type !== "second_factor") {
        resolved.push(charge);
        continue;
      }
      const credentials = requestCredentials(requestHeaders);
      // No session at all: Kratos refuses (session_aal1_required) without checking a code.
      if (credentials.length === 0) continue;
      const subject = (await options.signIns.subjectOf(credentials)) ?? sessionKey(credentials);
      resolved.push({ type: "attempt", attempt: charge.attempt, identifiers: [subject] });
    }
    return resolved;
  }

  /** The flow as Kratos holds it now (with the browser's cookies), or undefined when Kratos will not show it. */
  async function fetchFlow(kind: GuardedFlow | "settings", flowId: string, headers: Headers): Promise<KratosFlow | undefined> {
    const flowHeaders = new Headers(headers);
    flowHeaders.set("accept", "application/json");
    flowHeaders.delete("content-type");
    const response = await upstreamFetch(`${kratosUrl}/self-service/${kind}/flows?id=${encodeURIComponent(flowId)}`, {
      headers: flowHeaders,
      redirect: "manual",
    });
    const flow = response.status === 200 ? parseJson(await response.text()) : (await response.body?.cancel(), undefined);
    return isFlow(flow) ? flow : undefined;
  }

  /** Kratos' answer to a refused submission: the flow with message 4000429, 400 for JSON and API clients, 303 back to the page for forms. */
  function refusal(
    request: Request,
    kind: GuardedFlow | "settings",
    flow: KratosFlow | undefined,
    fields: Fields,
    seconds: number,
  ): Response {
    const headers = new Headers({ "retry-after": String(seconds), "cache-control": "no-store" });
    if (flow && (flow.type === "api" || isJsonRequest(request.headers))) {
      headers.set("content-type", "application/json; charset=utf-8");
      return new Response(JSON.stringify(refusedFlow(flow, seconds, fields)), { status: 400, headers });
    }
    const page = new URL(`${publicUrl}/${kind}`);
    if (flow) page.searchParams.set("flow", flow.id);
    headers.set("location", page.toString());
    if (flow) headers.append("set-cookie", refusalCookie(flow.id, seconds, secureCookies));
    return new Response(null, { status: 303, headers });
  }

  /**
   * A login or registration flow started with Hydra's `login_challenge`
   * would let Kratos (`oauth2_provider.url` is set) accept the OAuth2 login
   * itself when the sign-in completes — past Hera's /login decision, its MFA
   * policy, prompt and max_age. Hera's own pages start flows with a
   * `return_to` instead; a browser sent here with a challenge goes to Hera's
   * page for it (AJAX gets Kratos' 422 browser_location_change_required).
   */
  function challengeHandOff(request: Request, url: URL, path: string): Response | undefined {
    const kind = /^\/self-service\/(login|registration)\/browser$/.exec(path)?.[1];
    const challenge = url.searchParams.get("login_challenge");
    if (!kind || challenge === null) return undefined;
    const page = `${publicUrl}/${kind}?login_challenge=${encodeURIComponent(challenge)}`;
    if (isJsonRequest(request.headers)) {
      const body = {
        error: {
          id: "browser_location_change_required",
          code: 422,
          status: "Unprocessable Entity",
          reason: "Continue on Hera's page.",
          message: "browser location change required",
        },
        redirect_browser_to: page,
      };
      return new Response(JSON.stringify(body), {
        status: 422,
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
      });
    }
    return new Response(null, { status: 303, headers: { location: page, "cache-control": "no-store" } });
  }

  /** A submission without the solved challenge it needed, answered like a Kratos validation error (as `refusal` is). */
  function captchaRefusal(request: Request, kind: GuardedFlow, flow: KratosFlow, fields: Fields): Response {
    const headers = new Headers({ "cache-control": "no-store" });
    if (flow.type === "api" || isJsonRequest(request.headers)) {
      headers.set("content-type", "application/json; charset=utf-8");
      return new Response(JSON.stringify(captchaRefusedFlow(flow, fields)), { status: 400, headers });
    }
    const page = new URL(`${publicUrl}/${kind}`);
    page.searchParams.set("flow", flow.id);
    headers.set("location", page.toString());
    headers.append("set-cookie", captchaRefusalCookie(flow.id, secureCookies));
    return new Response(null, { status: 303, headers });
  }

  /** Kratos re-issued a session cookie (e.g. an extended session): the new credential belongs to the same person. */
  async function carryOverSignIn(requestHeaders: Headers, setCookies: readonly string[]): Promise<void> {
    const issued = issuedCredentials(setCookies, undefined);
    if (issued.length === 0) return;
    const held = requestCredentials(requestHeaders);
    const subject = held.length > 0 ? await options.signIns.subjectOf(held) : undefined;
    if (subject) await options.signIns.remember(issued, subject);
  }
}

/**
 * Whether a submission's charges come from its fields alone: a sign-in by
 * password or second factor (its identifier, or the session's person). A
 * code sign-in — `method=code`, or a second factor's bare `address` — reads the
 * flow (was a code sent, to which address), as do registration, recovery and
 * verification.
 */
export function chargesNeedNoFlow(kind: GuardedFlow, httpMethod: string, fields: Fields): boolean {
  if (kind !== "login" || httpMethod !== "POST") return false;
  return (fields.get("method") ?? []).every((method) => method.trim() !== "code") && !selectsLoginCode(fields);
}

/** Whose sign-in a session is: the identifier a first factor was checked for, the address a code went to, else the identity. */
function signInSubject(charges: readonly ResolvedCharge[], body: unknown): string | undefined {
  for (const charge of charges)
    if (charge.type === "attempt" && charge.identifiers[0] && !charge.identifiers[0].startsWith("flow:")) return charge.identifiers[0];
  for (const charge of charges) if (charge.type === "mail" && charge.addresses[0]) return charge.addresses[0];
  const identity =
    (body as { session?: { identity?: { id?: unknown } }; identity?: { id?: unknown } } | undefined)?.session?.identity?.id ??
    (body as { identity?: { id?: unknown } } | undefined)?.identity?.id;
  return typeof identity === "string" && identity !== "" ? `identity:${identity}` : undefined;
}

/** Where Kratos answers with a settings flow. */
const SETTINGS_FLOW_PATHS = new Set([
  "/self-service/settings",
  "/self-service/settings/flows",
  "/self-service/settings/api",
  "/self-service/settings/browser",
]);

/** Error ids with which Kratos answers before any strategy runs: nothing was checked, nothing is kept. */
const NOT_CHECKED_ERRORS = new Set([
  "security_csrf_violation",
  "self_service_flow_expired",
  "self_service_flow_replaced",
  "self_service_flow_disabled",
  "session_already_available",
  "session_aal1_required",
]);

/**
 * Whether a redirect sends the client to a fresh flow of the same kind:
 * Kratos' retry (code strategy's retryRecoveryFlow for a used code or too
 * many submissions) starts over without checking the secret. Neither a
 * success — which would clear the identifier's count — nor a failed guess.
 */
function startsOver(kind: GuardedFlow, location: string, flowId: string): boolean {
  let url: URL;
  try {
    url = new URL(location, "http://kratos.invalid");
  } catch {
    return false;
  }
  const next = url.searchParams.get("flow") ?? url.searchParams.get("id");
  return next !== null && next !== flowId && url.pathname.split("/").includes(kind);
}

/** What Kratos made of a submission, read from its answer. */
export function outcomeOf(kind: GuardedFlow, status: number, location: string | null, body: unknown, flowId: string): Outcome {
  const errorId = (body as { error?: { id?: unknown } } | undefined)?.error?.id;
  if (typeof errorId === "string" && NOT_CHECKED_ERRORS.has(errorId)) return "not_checked";
  if (status >= 300 && status < 400) {
    if (location !== null && startsOver(kind, location, flowId)) return "not_checked";
    return location !== null && !location.includes(flowId) ? "succeeded" : "failed";
  }
  if (status === 404 || status === 410) return "not_checked";
  // A recovery code accepted for a browser (SPA): Kratos sends it on to the settings page.
  if (status === 422) return errorId === "browser_location_change_required" ? "succeeded" : "failed";
  if (status === 200 && typeof body === "object" && body !== null) {
    const answer = body as { id?: unknown; ui?: unknown; state?: unknown; session?: unknown; session_token?: unknown; identity?: unknown };
    // A fresh flow in place of the submitted one, as the redirect above: e.g. Kratos' linking login that needs a
    // second factor first (login/hook.go maybeLinkCredentials) answers a JSON client with a new aal2 login flow.
    if (answer.ui !== undefined && typeof answer.id === "string" && answer.id !== flowId) return "not_checked";
    if (answer.ui !== undefined) return answer.state === "passed_challenge" || answer.state === "success" ? "succeeded" : "failed";
    if (answer.session !== undefined || answer.session_token !== undefined || answer.identity !== undefined) return "succeeded";
  }
  return "failed";
}

function isFlow(value: unknown): value is KratosFlow {
  if (typeof value !== "object" || value === null) return false;
  const flow = value as { id?: unknown; ui?: { nodes?: unknown } };
  return typeof flow.id === "string" && Array.isArray(flow.ui?.nodes);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function notFound(): Response {
  return errorResponse(404, "Not Found", "The requested resource could not be found.");
}

/** An error in Kratos' envelope (herodot), so Ory Elements reads it like Kratos' own. */
function errorResponse(code: number, status: string, reason: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, status, reason, message: reason } }), {
    status: code,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...extra },
  });
}
