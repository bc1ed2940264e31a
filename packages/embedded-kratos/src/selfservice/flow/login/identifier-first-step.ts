import type { JsonObject } from "../../../http/body";
import type { HttpContext } from "../../../http/context";
import { messages } from "../../../ui/messages";
import type { StrategyContext } from "../../strategy/strategy";
import { renderUi, respondWithValidationError } from "../engine";
import type { FlowDeps } from "../flow-deps";
import { urlWithFlow, type LoginFlow } from "../flow";
import { FlowValidationError } from "../validation-error";
import { loginFlow } from "./definition";
import { IDENTIFIER_FIRST, identifierFirstStep, setIdentifierFirstStep } from "./identifier-first";

/**
 * idfirst.Strategy.Login after the identifier was decoded: the flow shows
 * the second screen and answers as the strategy does — 400 with the flow
 * for JSON clients, 303 to the login UI otherwise. An identifier no
 * strategy has anything for is refused on the identifier (4000037,
 * schema.NewAccountNotFoundError) unless account enumeration is mitigated.
 */
export async function showIdentifierFirstCredentials(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: LoginFlow,
  identifier: string,
  body: JsonObject,
  sctx: StrategyContext,
): Promise<void> {
  setIdentifierFirstStep(flow, identifier);
  await renderUi(deps, loginFlow, flow, sctx);
  if (identifierFirstStep(flow) === undefined) {
    const error = FlowValidationError.field("identifier", messages.accountNotFound(), { identifier });
    await respondWithValidationError(deps, loginFlow, ctx, flow, body, error, sctx);
    return;
  }
  flow.active = IDENTIFIER_FIRST;
  await deps.flows.save(flow);
  const uiUrl = loginFlow.uiUrl(deps.config);
  if (ctx.isJsonRequest || !uiUrl) ctx.json(400, await loginFlow.toJson(flow, deps));
  else ctx.redirect(urlWithFlow(uiUrl, flow.id));
}
