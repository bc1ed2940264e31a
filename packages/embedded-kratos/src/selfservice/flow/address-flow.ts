import type { KratosConfig } from "../../config/load";
import { readSubmission, type JsonObject } from "../../http/body";
import type { HttpContext } from "../../http/context";
import { errors, KratosError } from "../../http/errors";
import { messages, type UiText } from "../../ui/messages";
import { inputNode } from "../../ui/node";
import type { AddressFlowResult, AddressFlowStrategy, Strategy, StrategyContext, Submission } from "../strategy/strategy";
import type { FlowDefinition } from "./definition";
import {
  checkCsrf,
  createFlow,
  handleExpired,
  loadFlowForSubmit,
  respondWithFlow,
  respondWithValidationError,
  submittedMethod,
  writeFlowError,
} from "./engine";
import type { FlowDeps } from "./flow-deps";
import { baseFlowJson, isExpired, showRecoveryUi, urlWithFlow, type AddressFlow, type Flow, type FlowType } from "./flow";
import { FlowValidationError } from "./validation-error";
import { maybeAcceptOAuth2LoginAfterVerification } from "./verification/oauth2-login";
import { withQueryFields } from "./query-and-body";
import { decodeSubmission } from "./transient-payload";

/**
 * What recovery and verification share (recovery/, verification/ hold what
 * differs): an email form owned by the strategy named in
 * `selfservice.flows.<kind>.use`, remembered in the flow's `active`.
 */
export type AddressFlowKind = AddressFlow["kind"];

/** The parts of a recovery or verification definition that do not depend on the kind's own fields. */
export function addressFlowParts<F extends AddressFlow>(
  kind: F["kind"],
  settings: (config: KratosConfig) => { enabled: boolean; ui_url?: string; lifespan: number; use: string },
  expiredMessage: (expiredAt: Date) => UiText,
): Omit<FlowDefinition<F>, "is" | "create"> {
  return {
    kind,
    carryOver(expired, replacement) {
      replacement.identityId = expired.identityId;
      replacement.active = expired.active;
    },
    initialState: "choose_method",
    enabled: (config) => settings(config).enabled,
    uiUrl: (config) => settings(config).ui_url,
    lifespanMs: (config) => settings(config).lifespan,
    expiredMessage,
    noStrategyMessage: () => messages.noStrategy(kind),
    // No `sort`: Kratos' recovery and verification handlers answer the form as the strategy built it.
    async populate(deps, flow, ctx) {
      const strategy = flowStrategy(deps, kind, flow);
      if (strategy) {
        await strategy.populate(flow, ctx);
        return;
      }
      // A server built without the configured strategy (some tests): the form Kratos would show, so UIs can be built against it.
      const use = flow.active ?? settings(deps.config).use;
      flow.ui.setCsrf(flow.csrfToken);
      flow.ui.append(
        inputNode(use, "email", "email", { required: true, autocomplete: "email", label: messages.labelEmail() }),
        inputNode(use, "method", "submit", { value: use, label: messages.labelSubmit() }),
      );
    },
    toJson: (flow) => ({ ...baseFlowJson(flow), state: flow.state }),
  };
}

/** The strategy configured by `use` for this flow kind, when one is registered and enabled. */
export function configuredStrategy(deps: FlowDeps, kind: AddressFlowKind): AddressFlowStrategy | undefined {
  const use = deps.config.selfservice.flows[kind].use;
  return addressPart(
    deps.strategies.for(kind).find((s) => s.id === use),
    kind,
  );
}

/** The strategy a flow was made for (`active`, set when it is created — an admin recovery link's is `link`), else `use`'s. */
export function flowStrategy(deps: FlowDeps, kind: AddressFlowKind, flow: Pick<Flow, "active">): AddressFlowStrategy | undefined {
  const id = flow.active ?? deps.config.selfservice.flows[kind].use;
  return addressPart(
    deps.strategies.for(kind).find((s) => s.id === id),
    kind,
  );
}

function addressPart(strategy: Strategy | undefined, kind: AddressFlowKind): AddressFlowStrategy | undefined {
  return kind === "recovery" ? strategy?.recovery : strategy?.verification;
}

/** GetActive<Kind>Strategies: `use` must name an enabled method (a server built without that strategy — some tests — still shows the form). */
export function requireConfiguredStrategy(deps: FlowDeps, kind: AddressFlowKind): void {
  const use = deps.config.selfservice.flows[kind].use;
  if (!configuredStrategy(deps, kind) && deps.config.selfservice.methods[use]?.enabled !== true) {
    throw new KratosError(400, {
      reason: `You attempted ${kind} using ${use}, which is not enabled or does not exist. An administrator needs to enable this ${kind} method.`,
    });
  }
}

/** A new flow for the strategy `use` names, remembered in `active`. */
export async function createAddressFlow<F extends AddressFlow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  type: FlowType,
  returnTo: string | undefined,
): Promise<F> {
  const use = deps.config.selfservice.flows[def.kind].use;
  const session = await deps.sessions.fromRequest(ctx);
  return createFlow(deps, def, ctx, type, { returnTo, strategy: { session }, prepare: (f) => (f.active = use) });
}

/** Who was recovered, how (the session's authentication method), and whether the strategy's recovery ends in a browser. */
export interface RecoveredBy {
  identityId: string;
  method: string;
  inBrowser: boolean;
}

/** What a flow kind does with a strategy's `recovered` result (only recovery has one). */
export type OnRecovered<F extends AddressFlow> = (flow: F, recovered: RecoveredBy) => Promise<void>;

/**
 * recovery.Handler.updateRecoveryFlow / verification.Handler.updateVerificationFlow:
 * flow (400 malformed, 404 unknown), expiry (a replacement), then the
 * responsible strategy — Kratos asks them in order and skips those not
 * responsible —, CSRF where Kratos checks it (not for a mailed secret; a
 * GET is checked as a POST); then the flow: 303 to the UI for browsers,
 * JSON otherwise.
 */
export async function submitAddressFlow<F extends AddressFlow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  onRecovered?: OnRecovered<F>,
): Promise<void> {
  const kind: AddressFlowKind = def.kind;
  const flow = await loadFlowForSubmit(deps, def, ctx);
  if (!flow) return;
  // decoderx.Decode reads a GET's query as its form (decodeForm: the first value of each schema field, an empty one
  // left out), and every other method's body — with HTTPDecoderUseQueryAndBody, the query filling in.
  const { fields, decodeError } = ctx.method === "GET" ? { fields: {} } : await readSubmission(ctx);
  const body = withQueryFields(fields, ctx.method === "GET" ? undefined : ctx.header("content-type"), ctx.query);
  const session = await deps.sessions.fromRequest(ctx);
  const sctx: StrategyContext = { deps, http: ctx, session };
  if (isExpired(flow)) return handleExpired(deps, def, ctx, flow, { session });

  const submission: Submission<AddressFlow> = { flow, body, method: submittedMethod(body) };
  try {
    // The strategies decode the body first (decoderx.Decode): its refusal is the first answer, through the flow's error handler.
    if (decodeError) throw decodeError;
    let asked = await askStrategy(deps, def, submission, sctx);
    // A strategy that gives the submission up past its own checks (code Recover's MethodEnabledAndAllowed): the
    // handler's loop goes on with the strategies after it, on the same flow.
    while (asked.result.kind === "not_responsible") asked = await askStrategy(deps, def, submission, sctx, asked.strategy);
    const { strategy, result } = asked;
    switch (result.kind) {
      case "responded":
        return;
      case "retry":
        return await retryWithMessage(deps, def, ctx, actedOn(def, result.acted) ?? flow, strategy.id, result, sctx);
      case "expired":
        return await handleExpired(deps, def, ctx, flow, { session }, result.expiredAt);
      case "recovered":
        if (!onRecovered) throw new Error(`a ${kind} strategy reported a recovery`);
        return await onRecovered(actedOn(def, result.acted) ?? flow, {
          identityId: result.identityId,
          method: result.method,
          inBrowser: strategy.completesInBrowser === true,
        });
      case "flow": {
        const acted = actedOn(def, result.acted);
        if (acted) return await answerActedOn(deps, def, ctx, flow, acted, result.answerActed === true);
        flow.active = strategy.id;
        await deps.flows.save(flow);
        if (await maybeAcceptOAuth2LoginAfterVerification(deps, ctx, flow)) return;
        await respondWithFlow(deps, def, ctx, flow, result.status);
      }
    }
  } catch (error) {
    if (error instanceof FlowValidationError) {
      await respondWithValidationError(deps, def, ctx, flow, body, error, sctx);
      return;
    }
    if (error instanceof KratosError) {
      await writeFlowError(deps, def, ctx, flow, error, body, sctx);
      return;
    }
    throw error;
  }
}

/** Another flow of this kind a strategy acted on (recovery's body `flow`). */
function actedOn<F extends AddressFlow>(def: FlowDefinition<F>, acted: Flow | undefined): F | undefined {
  return acted && def.is(acted) ? acted : undefined;
}

/**
 * A strategy that acted on another flow stored it; recovery.Handler's
 * updateRecoveryFlow then answers with its own flow as stored (a 303 to the
 * UI, else GetRecoveryFlow(f.ID) written), while recoveryUseCode answers with
 * the flow it checked the code of (`answerActed`).
 */
async function answerActedOn<F extends AddressFlow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  ctx: HttpContext,
  handlerFlow: F,
  acted: F,
  answerActed: boolean,
): Promise<void> {
  await deps.flows.save(acted);
  const stored = answerActed ? acted : await deps.flows.get(def.kind, handlerFlow.id);
  await respondWithFlow(deps, def, ctx, stored && def.is(stored) ? stored : handlerFlow);
}

/**
 * One turn of the handler's loop over its strategies: the first responsible
 * one (after `after`, when one gave the submission up), those before it
 * screening the body, then its method schema, CSRF where Kratos checks it,
 * and its handler. No responsible strategy is "no strategy" (4010005/4030005).
 */
async function askStrategy<F extends AddressFlow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  submission: Submission<AddressFlow>,
  sctx: StrategyContext,
  after?: Strategy,
): Promise<{ strategy: Strategy; result: AddressFlowResult }> {
  const { flow, body } = submission;
  const ctx = sctx.http;
  const strategy = deps.strategies.responsibleFor(def.kind, submission, sctx, after);
  const part = addressPart(strategy, def.kind);
  // The handler asks every strategy in order: those before the responsible one may refuse the body first. A GET is
  // no exception: the strategies' decoders allow it and validate its query against their schemas.
  await deps.strategies.screenBefore(def.kind, submission, sctx, strategy, after);
  deps.strategies.refuseIfDisabled(def.kind, strategy, "first");
  if (!strategy || !part) throw FlowValidationError.flow(def.noStrategyMessage());
  // The strategy's method schema comes before EnsureCSRF (code/strategy_recovery.go Recover, strategy_verification.go Verify).
  await decodeSubmission(strategy.id, def.kind, part, flow, body, sctx);
  deps.strategies.refuseIfDisabled(def.kind, strategy, "after-decode");
  // A strategy whose handler checks CSRF later (checksCsrfInSubmit) does so in `submit`. Only the strategy that
  // takes the submission may waive the check for its own mailed secret: another strategy's secret in the body
  // (`token` posted to a code flow) waives nothing, as code/strategy_recovery.go Recover runs EnsureCSRF first.
  if (!part.checksCsrfInSubmit && part.carriesMailedSecret?.(submission) !== true) {
    const retry = csrfRetry(deps, ctx, flow, body, part, sctx);
    if (retry) return { strategy, result: retry };
  }
  return { strategy, result: await part.submit(flow, body, sctx) };
}

/** checkCsrf; a refusal the strategy answers with a retry (csrfRefused) is returned, any other is thrown. */
function csrfRetry(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: AddressFlow,
  body: JsonObject,
  part: AddressFlowStrategy,
  sctx: StrategyContext,
): Extract<AddressFlowResult, { kind: "retry" }> | undefined {
  try {
    checkCsrf(deps, ctx, flow, body);
    return undefined;
  } catch (error) {
    const retry = error instanceof KratosError ? part.csrfRefused?.(error, sctx) : undefined;
    if (!retry) throw error;
    return retry;
  }
}

/**
 * A used, unknown or expired secret, or a flow that already passed, starts
 * over (the strategies' retry<Kind>FlowWithMessage): a fresh flow of that
 * strategy carrying the message, under a new CSRF cookie (RegenerateToken:
 * the browser that opened a mail may hold none). The link strategy answers
 * with a browser flow and a 303 to the UI whatever the client negotiates;
 * the code strategy keeps the flow's type and answers JSON clients 410
 * naming the new flow.
 */
async function retryWithMessage<F extends AddressFlow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  http: HttpContext,
  old: F,
  strategyId: string,
  retry: Extract<AddressFlowResult, { kind: "retry" }>,
  sctx: StrategyContext,
): Promise<void> {
  const code = retry.answer === "code" || retry.answer === "code_recovery";
  const keepType = (code && !retry.browserFlow) || retry.keepFlowType === true;
  const flow = await createFlow(deps, def, http, keepType ? old.type : "browser", {
    strategy: { session: sctx.session },
    prepare: (f) => (f.active = strategyId),
    regenerateCsrf: true,
    // The strategies build the retry flow with NewFlow, not the handler: no Pre…Hook.
    beforeHooks: false,
  });
  if (retry.message instanceof FlowValidationError) for (const fe of retry.message.fieldErrors) flow.ui.addMessage(fe.message, fe.name);
  else flow.ui.addMessage(retry.message);
  await deps.flows.save(flow);
  if (retry.answer === "code_recovery") return answerRecoveryRetry(deps, def, http, flow, retry.error);
  if (code && http.isJsonRequest) {
    http.error(
      retry.expiredAt
        ? errors.flowExpired(retry.expiredAt, flow.id)
        : errors.flowReplaced(retry.replacedReason ?? "An error occured, please use the new flow.", flow.id),
    );
    return;
  }
  const uiUrl = def.uiUrl(deps.config);
  http.redirect(
    uiUrl && flow.type === "browser"
      ? urlWithFlow(uiUrl, flow.id)
      : `${deps.config.publicBaseUrl}self-service/${def.kind}/flows?id=${flow.id}`,
  );
}

/**
 * How code.Strategy.retryRecoveryFlow answers once the new flow is stored: with
 * continue_with transitions a JSON client gets the retry's error carrying
 * `continue_with: [show_recovery_ui]` in its details (flow.ErrorWithContinueWith);
 * otherwise JSON clients are sent to the new flow's JSON and everyone else to the UI.
 */
function answerRecoveryRetry<F extends AddressFlow>(
  deps: FlowDeps,
  def: FlowDefinition<F>,
  http: HttpContext,
  flow: F,
  error: KratosError | undefined,
): void {
  // Kratos dereferences a missing error here (a retry with only a message) and fails; this server answers as without the flag.
  if (deps.config.feature_flags.use_continue_with_transitions && http.isJsonRequest && error) {
    http.error(error.withDetail("continue_with", [showRecoveryUi(flow)]));
    return;
  }
  const uiUrl = def.uiUrl(deps.config);
  http.redirect(
    http.isJsonRequest || !uiUrl ? `${deps.config.publicBaseUrl}self-service/${def.kind}/flows?id=${flow.id}` : urlWithFlow(uiUrl, flow.id),
  );
}
