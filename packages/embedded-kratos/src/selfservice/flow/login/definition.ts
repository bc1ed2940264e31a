import { messages } from "../../../ui/messages";
import type { FlowDefinition } from "../definition";
import { baseFlowJson, type LoginFlow } from "../flow";

export const loginFlow: FlowDefinition<LoginFlow> = {
  kind: "login",
  is: (flow): flow is LoginFlow => flow.kind === "login",
  create: (fields) => ({ ...fields, kind: "login", requestedAal: undefined, refresh: false, oauth2LoginChallenge: undefined }),
  carryOver(expired, replacement) {
    // login.Handler.FromOldFlow builds the new flow from the submission request: a plain aal1 login.
    replacement.requestedAal = "aal1";
    replacement.oauth2LoginChallenge = expired.oauth2LoginChallenge;
  },
  initialState: "choose_method",
  enabled: () => true,
  uiUrl: (config) => config.selfservice.flows.login.ui_url,
  lifespanMs: (config) => config.selfservice.flows.login.lifespan,
  expiredMessage: messages.loginFlowExpired,
  noStrategyMessage: () => messages.noStrategy("login"),
  sort: (deps) => ({
    groups: deps.strategies.groupOrder("login"),
    keys: ["csrf_token", "identifier", ...deps.strategies.interleavedInputs().flatMap((s) => s.inputs)],
  }),
  async populate(deps, flow, ctx) {
    if (flow.refresh) flow.ui.addMessage(messages.loginReAuth());
    else if (flow.requestedAal === "aal2") flow.ui.addMessage(messages.loginMfa());
    for (const strategy of deps.strategies.for("login")) await strategy.login.populate(flow, ctx);
  },
  toJson: (flow) => ({
    ...baseFlowJson(flow),
    created_at: flow.createdAt.toISOString(),
    updated_at: flow.updatedAt.toISOString(),
    refresh: flow.refresh,
    requested_aal: flow.requestedAal ?? "aal1",
    state: flow.state,
    ...(flow.oauth2LoginChallenge ? { oauth2_login_challenge: flow.oauth2LoginChallenge } : {}),
  }),
};
