import { messages } from "../../../ui/messages";
import type { FlowDefinition } from "../definition";
import { baseFlowJson, type LoginFlow } from "../flow";
import { identifierFirstStep, populateIdentifierFirst, rendersIdentifierFirst } from "./identifier-first";
import type { FlowDeps } from "../flow-deps";
import { oauth2LoginRequestJson } from "../oauth2-login";
import type { SortOptions } from "../../../ui/sort";
import { goTimeString } from "../../../clock/go-time";

/** login/sort.go sortNodes. */
function loginSort(deps: FlowDeps): SortOptions {
  return {
    groups: deps.strategies.groupOrder("login"),
    keys: ["csrf_token", "identifier", ...deps.strategies.interleavedInputs().flatMap((s) => s.inputs)],
    interleavedWithDefault: deps.strategies.interleavedWithDefault(),
  };
}

export const loginFlow: FlowDefinition<LoginFlow> = {
  kind: "login",
  is: (flow): flow is LoginFlow => flow.kind === "login",
  create: (fields) => ({
    ...fields,
    kind: "login",
    requestedAal: undefined,
    refresh: false,
    oauth2LoginChallenge: undefined,
    identitySchema: undefined,
  }),
  carryOver(expired, replacement) {
    // login.Handler.FromOldFlow builds the new flow from the submission request: a plain aal1 login.
    replacement.requestedAal = "aal1";
    replacement.oauth2LoginChallenge = expired.oauth2LoginChallenge;
    replacement.identitySchema = expired.identitySchema;
  },
  initialState: "choose_method",
  enabled: () => true,
  uiUrl: (config) => config.selfservice.flows.login.ui_url,
  lifespanMs: (config) => config.selfservice.flows.login.lifespan,
  expiredMessage: messages.loginFlowExpired,
  noStrategyMessage: () => messages.noStrategy("login"),
  // The second identifier-first screen keeps the order populateIdentifierFirst built, as idfirst.Strategy.Login does not sort.
  sort: (deps, flow) =>
    rendersIdentifierFirst(deps.config, flow) && identifierFirstStep(flow) !== undefined ? { groups: [], keys: [] } : loginSort(deps),
  async populate(deps, flow, ctx) {
    if (flow.refresh) flow.ui.addMessage(messages.loginReAuth());
    else if (flow.requestedAal === "aal2") flow.ui.addMessage(messages.loginMfa());
    if (rendersIdentifierFirst(deps.config, flow)) return populateIdentifierFirst(deps, flow, ctx, loginSort(deps));
    const strategies = deps.strategies.for("login");
    for (const strategy of strategies) await strategy.login.populate(flow, ctx);
    for (const strategy of strategies) await strategy.login.finishForm?.(flow, ctx);
  },
  toJson: (flow) => ({
    ...baseFlowJson(flow),
    created_at: goTimeString(flow.createdAt),
    updated_at: goTimeString(flow.updatedAt),
    refresh: flow.refresh,
    requested_aal: flow.requestedAal ?? "aal1",
    state: flow.state,
    ...(flow.identitySchema ? { identity_schema: flow.identitySchema } : {}),
    ...(flow.oauth2LoginChallenge ? { oauth2_login_challenge: flow.oauth2LoginChallenge } : {}),
    ...oauth2LoginRequestJson(flow),
  }),
};
