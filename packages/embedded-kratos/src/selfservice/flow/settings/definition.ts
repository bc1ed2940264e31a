import type { Deps } from "../../../deps";
import { messages } from "../../../ui/messages";
import { publicIdentityJson } from "../../../session/json";
import type { FlowDefinition } from "../definition";
import { baseFlowJson, type Flow } from "../flow";

export const settingsFlow: FlowDefinition = {
  kind: "settings",
  initialState: "show_form",
  enabled: () => true,
  uiUrl: (config) => config.selfservice.flows.settings.ui_url,
  lifespanMs: (config) => config.selfservice.flows.settings.lifespan,
  expiredMessage: messages.settingsFlowExpired,
  noStrategyMessage: () => messages.noStrategy("settings"),
  sort: (deps, flow) => {
    const identityKeys = flow.extra.__schema_keys;
    return {
      groups: ["default", "profile", "password", "oidc", "lookup_secret", "webauthn", "passkey", "totp"],
      keys: ["csrf_token", ...(Array.isArray(identityKeys) ? (identityKeys as string[]) : []), "password"],
    };
  },
  async populate(flow, ctx) {
    for (const strategy of ctx.deps.strategies.for("settings")) await strategy.settings.populate(flow, ctx);
  },
  async toJson(flow: Flow, deps: Deps) {
    const identity = flow.identityId ? await deps.identityRepository.get(flow.identityId) : undefined;
    const { __schema_keys: _keys, ...extra } = flow.extra;
    return {
      ...baseFlowJson(flow),
      ...(identity ? { identity: publicIdentityJson(deps, identity) } : {}),
      state: flow.state,
      ...extra,
    };
  },
};
