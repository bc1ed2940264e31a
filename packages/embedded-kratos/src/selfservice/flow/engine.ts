import { parseUuid } from "@olympus/server-kit/go-json";
import type { FlowDeps } from "./flow-deps";
import type { Deps } from "../../deps";
import type { JsonObject } from "../../http/body";
import type { HttpContext } from "../../http/context";
import { errors, KratosError } from "../../http/errors";
import { UiContainer } from "../../ui/container";
import { messages } from "../../ui/messages";
import { sortNodes } from "../../ui/sort";
import { FlowValidationError } from "./validation-error";
import type { StrategyContext } from "../strategy/strategy";
import { csrfErrorReason } from "./csrf-error";
import type { FlowDefinition } from "./definition";
import { flowErrors } from "./flow-errors";
import { flowActionUrl, isExpired, isFlowOf, newFlowFields, showRecoveryUi, urlWithFlow, type Flow, type FlowType } from "./flow";
import { hydrateOAuth2LoginRequest } from "./oauth2-login";
import { runBeforeHooks } from "../hook/before-hooks";

/**
 * The lifecycle every self-service flow shares (create, fetch, submit
 * bookkeeping, CSRF, expiry, validation errors). Flow folders call these and
 * add their kind-specific rules and success handling.
 */

/** Creates, populates and stores a new flow for the request. */
export async function createFlow<F extends Flow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  type: FlowType,
  options: {
    returnTo?: string;
    prepare?: (flow: F) => void;
    strategy?: Partial<StrategyContext>;
    requestUrl?: string;
    /** A new CSRF cookie whatever the browser holds (nosurf's RegenerateToken), as Kratos does for flows a mailed link leads to. */
    regenerateCsrf?: boolean;
    /**
     * false for flows Kratos builds with NewFlow itself rather than its handler (no Pre…Hook): verification
     * after a sign-up, a retry after a mailed link, an expired recovery or verification flow's replacement.
     */
    beforeHooks?: boolean;
  } = {},
): Promise<F> {
  const raw = options.regenerateCsrf ? deps.csrf.regenerate(ctx) : type === "browser" ? deps.csrf.ensure(ctx) : undefined;
  const csrfToken = type === "browser" && raw ? deps.csrf.mask(raw) : "";
  const fields = newFlowFields({
    kind: def.kind,
    type,
    state: def.initialStateFor?.(deps.config) ?? def.initialState,
    publicBaseUrl: deps.config.publicBaseUrl,
    requestUrl: options.requestUrl ?? ctx.requestUrl,
    returnTo: options.returnTo,
    lifespanMs: def.lifespanMs(deps.config),
    csrfToken,
  });
  const flow = def.create(fields);
  options.prepare?.(flow);
  const hooks = options.beforeHooks !== false;
  const before = () =>
    runBeforeHooks(deps, { ctx, flow, flowJson: async () => def.toJson(flow, deps), session: options.strategy?.session });
  // settings.Handler.NewFlow runs PreSettingsHook before the strategies fill the form; the other handlers once it is sorted.
  if (hooks && def.kind === "settings") await before();
  await renderUi(deps, def, flow, { deps, http: ctx, ...options.strategy });
  if (hooks && def.kind !== "settings") await before();
  await deps.flows.save(flow);
  return flow;
}

/**
 * Rebuilds a flow's UI from scratch: the strategies' nodes, then the CSRF
 * token and Kratos' ordering where the flow's handler sorts (the definition's
 * `sort`). Without a sort — a kind Kratos never sorts (recovery,
 * verification), or an answer a strategy writes itself (`asBuilt`, see
 * FlowValidationError's option) — the form is the strategies' as they built
 * it, CSRF token included where they put it.
 */
export async function renderUi<F extends Flow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  flow: F,
  sctx: StrategyContext,
  options: { asBuilt?: boolean } = {},
): Promise<void> {
  flow.ui = new UiContainer(flowActionUrl(deps.config.publicBaseUrl, def.kind, flow.id));
  // Where the handler sorts, its first hydrator (profile, password, …) sets the CSRF token before its own nodes:
  // where the token starts out decides where sort.Slice leaves nodes it cannot tell apart.
  if (def.sort && !options.asBuilt) flow.ui.setCsrf(flow.csrfToken);
  await def.populate(deps, flow, sctx);
  const sort = options.asBuilt ? undefined : def.sort?.(deps, flow);
  if (!sort) return;
  flow.ui.setCsrf(flow.csrfToken);
  sortNodes(flow.ui, { interleavedWithDefault: deps.strategies.interleavedWithDefault(), ...sort });
}

/** Answers a freshly created flow: 303 to the UI for browsers, JSON for SPAs and native apps. */
export async function respondWithNewFlow<F extends Flow>(deps: FlowDeps, def: FlowDefinition<F>, ctx: HttpContext, flow: F): Promise<void> {
  const uiUrl = def.uiUrl(deps.config);
  if (flow.type === "browser" && !ctx.acceptsJson && uiUrl) {
    ctx.redirect(urlWithFlow(uiUrl, flow.id));
    return;
  }
  ctx.json(200, await def.toJson(flow, deps));
}

/**
 * `return_to` from the query, as the client wrote it (Kratos' flows keep the
 * raw value), after checking it is allowed (400
 * self_service_flow_return_to_forbidden otherwise).
 */
export function returnToFromQuery(deps: FlowDeps, ctx: HttpContext): string | undefined {
  const value = ctx.query.get("return_to");
  if (value) deps.returnTo.check(value);
  return value || undefined;
}

/** A disabled flow refused in Kratos' words: registration has its own error id, recovery and verification a plain 400. */
export function disabledError(def: Pick<FlowDefinition, "kind">): KratosError {
  return def.kind === "recovery" || def.kind === "verification" ? flowErrors.addressFlowDisabled(def.kind) : errors.flowDisabled(def.kind);
}

export function requireEnabled(deps: FlowDeps, def: Pick<FlowDefinition, "kind" | "enabled">): void {
  if (!def.enabled(deps.config)) throw disabledError(def);
}

/**
 * GET /self-service/<kind>/flows?id= of login, registration, recovery and
 * verification, in the order of Kratos' get<Kind>Flow: the flow (404), the
 * CSRF cookie for browser flows (403; admin-created recovery flows skip it),
 * then expiry (410 naming the init endpoint). Settings has its own (no CSRF,
 * a session instead).
 */
export async function fetchFlowHandler<F extends Flow>(deps: FlowDeps, def: FlowDefinition<F>, ctx: HttpContext): Promise<void> {
  if (def.kind !== "login" && !def.enabled(deps.config)) {
    await deps.errors.forward(ctx, disabledError(def));
    return;
  }
  const flow = await deps.flows.get(def.kind, flowIdOf(ctx, "id"));
  if (!flow || !def.is(flow)) throw new KratosError(404, { message: "Unable to locate the resource" });
  // Admin-created recovery flows (POST /admin/recovery/code|link) skip CSRF, like Kratos' DangerousSkipCSRFCheck.
  const skipCsrf = isFlowOf(flow, "recovery") && flow.skipCsrfCheck;
  if (flow.type === "browser" && !skipCsrf && !deps.csrf.verify(flow.csrfToken, deps.csrf.rawFromRequest(ctx)))
    throw csrfErrorReason(deps, ctx, undefined);
  if (isExpired(flow)) throw flowErrors.expiredOnFetch(deps, def.kind, flow.type, flow.returnTo, flow.expiresAt);
  // getLoginFlow / getRegistrationFlow: Hydra's login request is looked up for flows of either type; a failure goes to the error handler.
  try {
    await hydrateOAuth2LoginRequest(deps, flow);
  } catch (error) {
    if (error instanceof KratosError) return deps.errors.forward(ctx, error);
    throw error;
  }
  ctx.json(200, await def.toJson(flow, deps));
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * x.ParseUUID(r.URL.Query().Get(param)) (x/uuid.go): gofrs/uuid's
 * FromStringOrNil, so upper case, braces, `urn:uuid:` and the 32-digit form
 * name the same flow, and anything else is the nil UUID.
 */
export function flowIdOf(ctx: HttpContext, param: "flow" | "id"): string {
  return parseUuid(ctx.query.get(param) ?? "") ?? NIL_UUID;
}

/**
 * Loads the flow named by `?flow=` for a submission. A missing, malformed or
 * nil id (400, flow.GetFlowID) or an unknown one (404) is answered here as
 * Kratos' WriteFlowError does without a flow — JSON for AJAX, the error UI
 * for browsers — and undefined is returned.
 */
export async function loadFlowForSubmit<F extends Flow>(deps: FlowDeps, def: FlowDefinition<F>, ctx: HttpContext): Promise<F | undefined> {
  const id = flowIdOf(ctx, "flow");
  const stored = id === NIL_UUID ? undefined : await deps.flows.get(def.kind, id);
  const flow = stored && def.is(stored) ? stored : undefined;
  if (!flow) await deps.errors.forward(ctx, id === NIL_UUID ? flowErrors.flowIdMalformed() : flowErrors.flowNotFound(def.kind));
  return flow;
}

/**
 * flow.EnsureCSRF: browser flows must present a CSRF token (body
 * `csrf_token` or `X-CSRF-Token`) matching the cookie and the flow; native
 * flows must not come from a browser (an Origin header or cookies other
 * than Cloudflare's are refused with 400).
 */
export function checkCsrf(deps: Deps, ctx: HttpContext, flow: Flow, body: JsonObject): void {
  if (flow.type === "api") {
    if (ctx.header("origin")) throw flowErrors.apiFlowFromBrowser("origin");
    const cookies = [...ctx.cookies.keys()].filter(
      (name) => !name.startsWith("__cf") && !name.startsWith("_cf") && !name.startsWith("cf_"),
    );
    if (cookies.length > 0) throw flowErrors.apiFlowFromBrowser({ cookies });
    return;
  }
  // Admin-created recovery flows skip CSRF (Kratos' DangerousSkipCSRFCheck).
  if (flow.kind === "recovery" && flow.skipCsrfCheck) return;
  const fromBody = typeof body.csrf_token === "string" && body.csrf_token !== "" ? body.csrf_token : undefined;
  const submitted = fromBody ?? ctx.header("x-csrf-token");
  const raw = deps.csrf.rawFromRequest(ctx);
  if (!deps.csrf.verify(submitted, raw) || !deps.csrf.verify(flow.csrfToken, raw)) throw csrfErrorReason(deps, ctx, fromBody);
}

/**
 * Expired flow on submit: a replacement flow carrying the "expired"
 * message. Login, registration and settings answer 410 with `use_flow_id`
 * for API/JSON clients; recovery and verification send those to the new
 * flow's JSON with a 303 — except that with continue_with transitions a
 * native recovery flow gets the 410 with `continue_with: show_recovery_ui`.
 * Browser forms go to the UI with the replacement (303).
 */
export async function handleExpired<F extends Flow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  flow: F,
  sctx: Partial<StrategyContext> = {},
  // The expiry the error names: recovery strategies check the body's flow (its Valid()) and the handler replaces its own.
  expiredAt: Date = flow.expiresAt,
): Promise<void> {
  // recovery.FromOldFlow: a mailed link is opened by a browser, so an API flow of such a strategy comes back as a browser flow.
  // verification.FromOldFlow does so for every API flow, and its error handler issues a new CSRF cookie (RegenerateToken).
  const verification = def.kind === "verification";
  const opensInBrowser =
    verification ||
    (def.kind === "recovery" && flow.active !== undefined && deps.strategies.byMethod(flow.active)?.completesInBrowser === true);
  const type = flow.type === "api" && opensInBrowser ? "browser" : flow.type;
  const replacement = await createFlow(deps, def, ctx, type, {
    returnTo: flow.returnTo,
    requestUrl: flow.requestUrl,
    strategy: sctx,
    prepare: (f) => def.carryOver(flow, f),
    regenerateCsrf: verification,
    // login, registration and settings ask their handler (FromOldFlow → New…Flow, with its Pre…Hook); recovery and verification do not.
    beforeHooks: def.kind !== "recovery" && !verification,
  });
  replacement.ui.addMessage(def.expiredMessage(expiredAt));
  await deps.flows.save(replacement);
  const uiUrl = def.uiUrl(deps.config);
  if (def.kind === "recovery" || def.kind === "verification") {
    // recovery.ErrorHandler.WriteFlowError with continue_with transitions: a native flow's replacement is named in a 410.
    if (def.kind === "recovery" && replacement.type === "api" && deps.config.feature_flags.use_continue_with_transitions) {
      ctx.error(errors.flowExpired(expiredAt, replacement.id).withDetail("continue_with", [showRecoveryUi(replacement)]));
      return;
    }
    if (replacement.type === "api" || ctx.isJsonRequest || !uiUrl)
      ctx.redirect(`${deps.config.publicBaseUrl}self-service/${def.kind}/flows?id=${replacement.id}`);
    else ctx.redirect(urlWithFlow(uiUrl, replacement.id));
    return;
  }
  if (flow.type === "browser" && !ctx.isJsonRequest && uiUrl) {
    ctx.redirect(urlWithFlow(uiUrl, replacement.id));
    return;
  }
  ctx.error(errors.flowExpired(expiredAt, replacement.id));
}

/**
 * An error of a submission whose flow is known (Kratos' <kind>.ErrorHandler
 * WriteFlowError after ui.Container.ParseError): a 400 becomes a flow-level
 * message 4000001 carrying its reason and the flow is answered as for a
 * validation error; anything else is forwarded — as JSON for native flows,
 * through the error UI (JSON for AJAX) for browser flows.
 */
export async function writeFlowError<F extends Flow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  flow: F,
  error: KratosError,
  body: JsonObject,
  sctx: StrategyContext,
): Promise<void> {
  if (error.code === 400) {
    await respondWithValidationError(
      deps,
      def,
      ctx,
      flow,
      body,
      FlowValidationError.flow(messages.generic(error.reason ?? error.message)),
      sctx,
    );
    return;
  }
  await forwardFlowError(deps, ctx, flow, error);
}

/** The error handlers' `forward`: native flows get JSON; browser flows go through the error UI (which answers AJAX with JSON). */
export async function forwardFlowError(deps: FlowDeps, ctx: HttpContext, flow: Flow | undefined, error: KratosError): Promise<void> {
  if (flow?.type === "api") ctx.error(error);
  else await deps.errors.forward(ctx, error);
}

/**
 * Re-renders the flow with the strategy's messages and the submitted values,
 * then answers 400 + flow (API/JSON) or 303 back to the UI (browser form).
 */
export async function respondWithValidationError<F extends Flow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  flow: F,
  body: JsonObject,
  error: FlowValidationError,
  sctx: StrategyContext,
): Promise<void> {
  await renderUi(deps, def, flow, sctx, error.options);
  // Login's, registration's and recovery's WriteFlowError call ResetMessages first: the error replaces the flow's own notes (e.g. 1010004).
  if (def.kind === "login" || def.kind === "registration" || def.kind === "recovery") flow.ui.clearMessages();
  echoValues(deps, flow, body, error.echo);
  error.options.amend?.(flow.ui);
  for (const fe of error.fieldErrors) flow.ui.addMessage(fe.message, fe.name);
  await deps.flows.save(flow);
  const uiUrl = def.uiUrl(deps.config);
  if (flow.type === "browser" && !ctx.isJsonRequest && uiUrl) {
    // Kratos' registration error handler alone answers a form post with 302 Found.
    ctx.redirect(urlWithFlow(uiUrl, flow.id), def.kind === "registration" ? 302 : 303);
    return;
  }
  // The JSON answer carries Hydra's login request, as WriteFlowError looks it up ("we return the flow object as JSON").
  try {
    await hydrateOAuth2LoginRequest(deps, flow);
  } catch (error) {
    if (error instanceof KratosError) return forwardFlowError(deps, ctx, flow, error);
    throw error;
  }
  ctx.json(400, await def.toJson(flow, deps));
}

/** 200/400 with the flow for API/JSON; 303 to the UI (`?flow=`) for browser forms. */
export async function respondWithFlow<F extends Flow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  flow: F,
  status = 200,
): Promise<void> {
  const uiUrl = def.uiUrl(deps.config);
  if (flow.type === "browser" && !ctx.isJsonRequest && uiUrl) {
    ctx.redirect(urlWithFlow(uiUrl, flow.id));
    return;
  }
  ctx.json(status, await def.toJson(flow, deps));
}

/** Puts submitted (non-secret) values back into the matching inputs, as Kratos does for identifier and traits. */
export function echoValues(deps: FlowDeps, flow: Flow, body: JsonObject, extra: Record<string, unknown> = {}): void {
  const flat = flatten(body);
  for (const node of flow.ui.nodes) {
    if (node.type !== "input") continue;
    const name = node.attributes.name;
    if (
      name === "csrf_token" ||
      name === "method" ||
      deps.strategies.isSecretInput(name) ||
      node.attributes.type === "submit" ||
      node.attributes.type === "button"
    )
      continue;
    if (name in extra) flow.ui.setValue(name, extra[name]);
    else if (name in flat) flow.ui.setValue(name, flat[name]);
  }
}

function flatten(value: JsonObject, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) Object.assign(out, flatten(v as JsonObject, key));
    else out[key] = v;
  }
  return out;
}

/**
 * The `method` of a submission, from its decoded fields: decoderx decodes the
 * body alone (decodeForm's r.PostForm, decodeJSONForm's body) unless a
 * strategy asks for the query too (query-and-body.ts). A JSON `null` is
 * gjson's "" there, which decodeURLValues leaves out: no method.
 */
export function submittedMethod(body: JsonObject): string {
  return typeof body.method === "string" ? body.method : "";
}
