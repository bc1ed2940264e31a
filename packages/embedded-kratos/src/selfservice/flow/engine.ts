import type { Deps } from "../../deps";
import type { JsonObject } from "../../http/body";
import type { HttpContext } from "../../http/context";
import { errors, KratosError } from "../../http/errors";
import { UiContainer } from "../../ui/container";
import { sortNodes } from "../../ui/sort";
import { FlowValidationError, type StrategyContext } from "../strategy/strategy";
import type { FlowDefinition } from "./definition";
import { flowActionUrl, isExpired, newFlow, urlWithFlow, type Flow, type FlowType } from "./flow";

/**
 * The lifecycle every self-service flow shares (create, fetch, submit
 * bookkeeping, CSRF, expiry, validation errors). Flow folders call these and
 * add their kind-specific rules and success handling.
 */

/** Creates, populates and stores a new flow for the request. */
export async function createFlow(
  deps: Deps,
  def: FlowDefinition,
  ctx: HttpContext,
  type: FlowType,
  options: { returnTo?: string; prepare?: (flow: Flow) => void; strategy?: Partial<StrategyContext>; requestUrl?: string } = {},
): Promise<Flow> {
  const csrfToken = type === "browser" ? deps.csrf.mask(deps.csrf.ensure(ctx)) : "";
  const flow = newFlow({
    kind: def.kind,
    type,
    state: def.initialState,
    publicBaseUrl: deps.config.publicBaseUrl,
    requestUrl: options.requestUrl ?? ctx.requestUrl,
    returnTo: options.returnTo,
    lifespanMs: def.lifespanMs(deps.config),
    csrfToken,
  });
  options.prepare?.(flow);
  await renderUi(deps, def, flow, { deps, http: ctx, ...options.strategy });
  await deps.flows.save(flow);
  return flow;
}

/** Rebuilds a flow's UI from scratch: strategies' nodes, CSRF token, Kratos' ordering. */
export async function renderUi(deps: Deps, def: FlowDefinition, flow: Flow, sctx: StrategyContext): Promise<void> {
  flow.ui = new UiContainer(flowActionUrl(deps.config.publicBaseUrl, def.kind, flow.id));
  await def.populate(flow, sctx);
  flow.ui.setCsrf(flow.csrfToken);
  sortNodes(flow.ui, def.sort(deps, flow));
}

/** Answers a freshly created flow: 303 to the UI for browsers, JSON for SPAs and native apps. */
export async function respondWithNewFlow(deps: Deps, def: FlowDefinition, ctx: HttpContext, flow: Flow): Promise<void> {
  const uiUrl = def.uiUrl(deps.config);
  if (flow.type === "browser" && !ctx.acceptsJson && uiUrl) {
    ctx.redirect(urlWithFlow(uiUrl, flow.id));
    return;
  }
  ctx.json(200, await def.toJson(flow, deps));
}

/** Validated `return_to` from the query (400 self_service_flow_return_to_forbidden when not allowed). */
export function returnToFromQuery(deps: Deps, ctx: HttpContext): string | undefined {
  const value = ctx.query.get("return_to");
  return value ? deps.returnTo.check(value) : undefined;
}

export function requireEnabled(deps: Deps, def: FlowDefinition): void {
  if (!def.enabled(deps.config)) throw errors.flowDisabled(def.kind);
}

/** GET /self-service/<kind>/flows?id= */
export async function fetchFlowHandler(deps: Deps, def: FlowDefinition, ctx: HttpContext, check?: (flow: Flow) => Promise<void>): Promise<void> {
  const id = ctx.query.get("id") ?? "";
  const flow = await deps.flows.get(def.kind, id);
  if (!flow) throw errors.notFound(`The ${def.kind} flow could not be found. Please restart the flow.`);
  // Admin-created recovery flows (POST /admin/recovery/code|link) skip CSRF, like Kratos' DangerousSkipCSRFCheck (courier engineer).
  const skipCsrf = flow.internal.dangerous_skip_csrf_check === true;
  if (flow.type === "browser" && !skipCsrf && !deps.csrf.verify(flow.csrfToken, deps.csrf.rawFromRequest(ctx))) throw csrfError(ctx);
  if (isExpired(flow)) {
    const init = `${deps.config.publicBaseUrl}self-service/${def.kind}/${flow.type === "browser" ? "browser" : "api"}`;
    const err = new KratosError(410, {
      id: "self_service_flow_expired",
      message: "self-service flow expired",
      reason: `The ${def.kind} flow has expired. Redirect the user to the ${def.kind} flow init endpoint to initialize a new ${def.kind} flow.`,
      details:
        flow.type === "browser"
          ? { redirect_to: flow.returnTo ? `${init}?return_to=${encodeURIComponent(flow.returnTo)}` : init, ...(flow.returnTo ? { return_to: flow.returnTo } : {}) }
          : { api: init },
    });
    throw err;
  }
  if (check) await check(flow);
  ctx.json(200, await def.toJson(flow, deps));
}

export function csrfError(ctx: HttpContext): KratosError {
  const err = errors.csrf();
  const mode = (ctx.header("sec-fetch-mode") ?? "").toLowerCase();
  if (mode === "cors" || mode === "same-origin") {
    err.withDetail(
      "hint",
      "We detected an AJAX call, please ensure that CORS is enabled and configured correctly, and that your AJAX code sends cookies and has credentials enabled. For further debugging, check your Browser's Network Tab to see what cookies are included or excluded.",
    );
  }
  return err;
}

/** Loads the flow named by `?flow=` for a submission; 404 when unknown. */
export async function loadFlowForSubmit(deps: Deps, def: FlowDefinition, ctx: HttpContext): Promise<Flow> {
  const id = ctx.query.get("flow") ?? "";
  const flow = await deps.flows.get(def.kind, id);
  if (!flow) throw errors.notFound(`The ${def.kind} flow could not be found. Please restart the flow.`);
  return flow;
}

/** Browser flows must present a CSRF token (body `csrf_token` or `X-CSRF-Token`) matching the cookie and the flow. */
export function checkCsrf(deps: Deps, ctx: HttpContext, flow: Flow, body: JsonObject): void {
  // Admin-created recovery flows skip CSRF (Kratos' DangerousSkipCSRFCheck; courier engineer).
  if (flow.type !== "browser" || flow.internal.dangerous_skip_csrf_check === true) return;
  const submitted = typeof body.csrf_token === "string" && body.csrf_token !== "" ? body.csrf_token : ctx.header("x-csrf-token");
  const raw = deps.csrf.rawFromRequest(ctx);
  if (!deps.csrf.verify(submitted, raw) || !deps.csrf.verify(flow.csrfToken, raw)) throw csrfError(ctx);
}

/**
 * Expired flow on submit: a replacement flow carrying the "expired" message;
 * 410 with use_flow_id for API/JSON, 303 to the UI for browser forms.
 */
export async function handleExpired(deps: Deps, def: FlowDefinition, ctx: HttpContext, flow: Flow, sctx: Partial<StrategyContext> = {}): Promise<void> {
  const replacement = await createFlow(deps, def, ctx, flow.type, {
    returnTo: flow.returnTo,
    requestUrl: flow.requestUrl,
    strategy: sctx,
    prepare: (f) => {
      f.refresh = flow.refresh;
      f.requestedAal = flow.requestedAal;
      f.identityId = flow.identityId;
      f.extra = { ...flow.extra };
    },
  });
  replacement.ui.addMessage(def.expiredMessage(flow.expiresAt));
  await deps.flows.save(replacement);
  const uiUrl = def.uiUrl(deps.config);
  if (flow.type === "browser" && !ctx.isJsonRequest && uiUrl) {
    ctx.redirect(urlWithFlow(uiUrl, replacement.id));
    return;
  }
  ctx.error(errors.flowExpired(flow.expiresAt, replacement.id));
}

/**
 * Re-renders the flow with the strategy's messages and the submitted values,
 * then answers 400 + flow (API/JSON) or 303 back to the UI (browser form).
 */
export async function respondWithValidationError(
  deps: Deps,
  def: FlowDefinition,
  ctx: HttpContext,
  flow: Flow,
  body: JsonObject,
  error: FlowValidationError,
  sctx: StrategyContext,
): Promise<void> {
  await renderUi(deps, def, flow, sctx);
  echoValues(flow, body, error.echo);
  for (const fe of error.fieldErrors) flow.ui.addMessage(fe.message, fe.name);
  await deps.flows.save(flow);
  await respondWithFlow(deps, def, ctx, flow, 400);
}

/** 200/400 with the flow for API/JSON; 303 to the UI (`?flow=`) for browser forms. */
export async function respondWithFlow(deps: Deps, def: FlowDefinition, ctx: HttpContext, flow: Flow, status = 200): Promise<void> {
  const uiUrl = def.uiUrl(deps.config);
  if (flow.type === "browser" && !ctx.isJsonRequest && uiUrl) {
    ctx.redirect(urlWithFlow(uiUrl, flow.id));
    return;
  }
  ctx.json(status, await def.toJson(flow, deps));
}

const NEVER_ECHO = new Set(["csrf_token", "method", "password", "totp_code", "lookup_secret", "code"]);

/** Puts submitted (non-secret) values back into the matching inputs, as Kratos does for identifier and traits. */
export function echoValues(flow: Flow, body: JsonObject, extra: Record<string, unknown> = {}): void {
  const flat = flatten(body);
  for (const node of flow.ui.nodes) {
    if (node.type !== "input") continue;
    const name = node.attributes.name;
    if (NEVER_ECHO.has(name) || node.attributes.type === "submit" || node.attributes.type === "button") continue;
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

/** The `method` of a submission (body or query). */
export function submittedMethod(body: JsonObject, ctx: HttpContext): string {
  const m = body.method ?? ctx.query.get("method");
  return typeof m === "string" ? m : "";
}
