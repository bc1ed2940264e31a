import type { Deps } from "../../../deps";
import { messages } from "../../../ui/messages";
import type { FlowDefinition } from "../definition";
import { baseFlowJson, type Flow } from "../flow";

export const loginFlow: FlowDefinition = {
  kind: "login",
  initialState: "choose_method",
  enabled: () => true,
  uiUrl: (config) => config.selfservice.flows.login.ui_url,
  lifespanMs: (config) => config.selfservice.flows.login.lifespan,
  expiredMessage: messages.loginFlowExpired,
  noStrategyMessage: () => messages.noStrategy("login"),
  sort: () => ({
    groups: ["oidc", "default", "webauthn", "passkey", "code", "password", "totp", "lookup_secret"],
    keys: ["csrf_token", "identifier", "password"],
  }),
  async populate(flow, ctx) {
    if (flow.refresh) flow.ui.addMessage(messages.loginReAuth());
    else if (flow.requestedAal === "aal2") flow.ui.addMessage(messages.loginMfa());
    for (const strategy of ctx.deps.strategies.for("login")) await strategy.login.populate(flow, ctx);
  },
  toJson: (flow: Flow, _deps: Deps) => {
    const base = baseFlowJson(flow);
    return {
      ...base,
      created_at: flow.createdAt.toISOString(),
      updated_at: flow.updatedAt.toISOString(),
      refresh: flow.refresh,
      requested_aal: flow.requestedAal ?? "aal1",
      state: flow.state,
      ...flow.extra,
    };
  },
};
