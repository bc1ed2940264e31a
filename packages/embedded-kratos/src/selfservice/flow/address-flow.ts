import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import { messages, type UiText } from "../../ui/messages";
import { inputNode } from "../../ui/node";
import type { StrategyContext } from "../strategy/strategy";
import type { FlowDefinition } from "./definition";
import { baseFlowJson, type Flow } from "./flow";

/**
 * Recovery and verification share their shape: an email form owned by the
 * strategy named in `selfservice.flows.<kind>.use` (code or link).
 */
export function addressFlowDefinition(
  kind: "recovery" | "verification",
  settings: (config: KratosConfig) => { enabled: boolean; ui_url?: string; lifespan: number; use: "code" | "link" },
  expiredMessage: (expiredAt: Date) => UiText,
): FlowDefinition {
  return {
    kind,
    initialState: "choose_method",
    enabled: (config) => settings(config).enabled,
    uiUrl: (config) => settings(config).ui_url,
    lifespanMs: (config) => settings(config).lifespan,
    expiredMessage,
    noStrategyMessage: () => messages.noStrategy(kind),
    sort: () => ({ groups: ["default", "code", "link"], keys: ["csrf_token", "email", "code"] }),
    async populate(flow: Flow, ctx: StrategyContext) {
      const use = flow.active === "link" || flow.active === "code" ? flow.active : settings(ctx.deps.config).use;
      const strategy = flowStrategy(ctx.deps, kind, flow);
      if (strategy) {
        await strategy.populate(flow, ctx);
        return;
      }
      // No code/link strategy registered yet: render the form Kratos would show so UIs can be built against it.
      flow.ui.append(
        inputNode(use, "email", "email", { required: true, autocomplete: "email", label: messages.labelEmail() }),
        inputNode(use, "method", "submit", { value: use, label: messages.labelSubmit() }),
      );
    },
    toJson: (flow: Flow) => ({ ...baseFlowJson(flow), state: flow.state, ...flow.extra }),
  };
}

/** The strategy configured by `use` for this flow kind, when one is registered and enabled. */
export function configuredStrategy(deps: Deps, kind: "recovery" | "verification") {
  const use = deps.config.selfservice.flows[kind].use;
  return deps.strategies.for(kind).find((s) => s.id === use)?.[kind];
}

/** The strategy a flow was made for (`active`, set when it is created — an admin recovery link's is `link`), else `use`'s. */
export function flowStrategy(deps: Deps, kind: "recovery" | "verification", flow: Pick<Flow, "active">) {
  const id = flow.active ?? deps.config.selfservice.flows[kind].use;
  return deps.strategies.for(kind).find((s) => s.id === id)?.[kind];
}
