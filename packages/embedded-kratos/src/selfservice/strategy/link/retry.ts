import type { UiText } from "../../../ui/messages";
import { createFlow, respondWithFlow } from "../../flow/engine";
import type { FlowDefinition } from "../../flow/definition";
import type { FlowUpdatedResult, StrategyContext } from "../strategy";

/**
 * A used, unknown or expired link starts over: a fresh browser flow carrying
 * the error (4060004 / 4070001), shown by the UI — Kratos' retry with message.
 */
export async function retryWithMessage(def: FlowDefinition, message: UiText, ctx: StrategyContext): Promise<FlowUpdatedResult> {
  const { deps, http } = ctx;
  const flow = await createFlow(deps, def, http, "browser", { strategy: { session: ctx.session } });
  flow.ui.addMessage(message);
  await deps.flows.save(flow);
  await respondWithFlow(deps, def, http, flow);
  return { kind: "responded" };
}
