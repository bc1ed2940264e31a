import type { UiText } from "../../../ui/messages";
import { createFlow } from "../../flow/engine";
import type { FlowDefinition } from "../../flow/definition";
import { urlWithFlow } from "../../flow/flow";
import type { FlowUpdatedResult, StrategyContext } from "../strategy";

/**
 * A used, unknown or expired link starts over (Kratos' link strategy
 * retry<Kind>FlowWithMessage): a fresh browser flow of the link strategy
 * carrying the error (4060004 / 4070001), and a 303 to the UI showing it —
 * whatever the client negotiates, since a link is opened by a browser.
 */
export async function retryWithMessage(def: FlowDefinition, message: UiText, ctx: StrategyContext): Promise<FlowUpdatedResult> {
  const { deps, http } = ctx;
  const flow = await createFlow(deps, def, http, "browser", { strategy: { session: ctx.session }, prepare: (f) => (f.active = "link") });
  flow.ui.addMessage(message);
  await deps.flows.save(flow);
  const uiUrl = def.uiUrl(deps.config);
  http.redirect(uiUrl ? urlWithFlow(uiUrl, flow.id) : `${deps.config.publicBaseUrl}self-service/${def.kind}/flows?id=${flow.id}`);
  return { kind: "responded" };
}
