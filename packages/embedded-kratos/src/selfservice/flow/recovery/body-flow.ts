import { parseUuid } from "@olympus/server-kit/go-json";
import type { JsonObject } from "../../../http/body";
import { KratosError } from "../../../http/errors";
import type { AddressFlowResult, StrategyContext } from "../../strategy/strategy";
import { isExpired, type Flow } from "../flow";
import { FlowValidationError } from "../validation-error";

/** The flow a recovery strategy acts on: the handler's own, another one, or an answer already decided (expired). */
export type RecoveryBodyFlow = { kind: "handler" } | { kind: "other"; flow: Flow } | { kind: "answer"; result: AddressFlowResult };

/**
 * code and link strategy_recovery.go Recover: past their CSRF (code only),
 * session and method checks they load the flow they act on again, from the
 * submission — GetRecoveryFlow(x.ParseUUID(body.Flow)) — not from `?flow=`
 * the handler loaded. decoderx fills `flow` in from the query, so only a
 * urlencoded body's own field can name another flow (query-and-body.ts).
 * An id that names no recovery flow (malformed, empty or nil included) is
 * sqlcon.ErrNoRows, which the handler's error handler forwards with its own
 * flow; an expired one is its Valid() error, answered by replacing the
 * handler's flow (recovery.ErrorHandler.WriteFlowError → FromOldFlow(f)).
 */
export async function recoveryFlowOfBody(handlerFlow: Flow, body: JsonObject, ctx: StrategyContext): Promise<RecoveryBodyFlow> {
  const id = parseUuid(typeof body.flow === "string" ? body.flow : "");
  if (id === handlerFlow.id) return { kind: "handler" };
  const flow = id === undefined ? undefined : await ctx.deps.flows.get("recovery", id);
  if (!flow) throw new KratosError(404, { message: "Unable to locate the resource" });
  if (isExpired(flow)) return { kind: "answer", result: { kind: "expired", expiredAt: flow.expiresAt } };
  return { kind: "other", flow };
}

/**
 * A refusal while acting on the body's flow goes back to the handler, whose
 * WriteFlowError writes it onto the handler's flow as loaded (ResetMessages,
 * ParseError, Active set to the strategy's group, 400); the body's flow is
 * left as stored.
 */
export async function refusingOnHandlerFlow(handlerFlow: Flow, work: () => Promise<AddressFlowResult>): Promise<AddressFlowResult> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    handlerFlow.ui.clearMessages();
    for (const fe of error.fieldErrors) handlerFlow.ui.addMessage(fe.message, fe.name);
    return { kind: "flow", status: 400 };
  }
}
