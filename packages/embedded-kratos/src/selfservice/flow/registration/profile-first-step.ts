import type { HttpContext } from "../../../http/context";
import type { StrategyContext } from "../../strategy/strategy";
import { renderUi } from "../engine";
import type { FlowDeps } from "../flow-deps";
import { urlWithFlow, type RegistrationFlow } from "../flow";
import { registrationFlow } from "./definition";
import { setCredentialSelection, setTraitValues, type ShowRegistrationScreen } from "./profile-first";

/**
 * profile.Strategy showCredentialsSelection / returnToProfileForm after the
 * submission was accepted: the flow (state `choose_method`, no active
 * method on the credential-selection screen) is re-rendered, saved and
 * answered as the strategy does — 400 with the flow for JSON clients, 303
 * to the registration UI otherwise.
 */
export async function showRegistrationScreen(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: RegistrationFlow,
  step: ShowRegistrationScreen,
  sctx: StrategyContext,
): Promise<void> {
  if (step.screen === "credential-selection") {
    setCredentialSelection(flow, step.traits);
    flow.active = undefined;
    flow.state = "choose_method";
  } else setCredentialSelection(flow, undefined);
  await renderUi(deps, registrationFlow, flow, sctx);
  if (step.screen === "previous") setTraitValues(flow.ui, step.traits);
  await deps.flows.save(flow);
  const uiUrl = registrationFlow.uiUrl(deps.config);
  if (ctx.isJsonRequest || !uiUrl) ctx.json(400, await registrationFlow.toJson(flow, deps));
  else ctx.redirect(urlWithFlow(uiUrl, flow.id));
}
