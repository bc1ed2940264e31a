import { messages } from "../../../ui/messages";
import { publicIdentityJson } from "../../../session/json";
import type { FlowDefinition } from "../definition";
import { baseFlowJson, type SettingsFlow } from "../flow";

/**
 * settings/sort.go sortNodes' SortUseOrderAppend: the strategies' own nodes
 * in a fixed order, so the value tie-break of SortBySchema (ui/sort.ts)
 * never decides between them.
 */
const SETTINGS_KEYS_APPENDED = [
  "lookup_secret_reveal",
  "lookup_secret_regenerate",
  "lookup_secret_codes",
  "lookup_secret_confirm",
  "webauthn_remove",
  "webauthn_register_displayname",
  "webauthn_register",
  "passkey_remove",
  "passkey_register",
  "totp_qr",
  "totp_secret_key",
  "totp_unlink",
  "totp_code",
];

export const settingsFlow: FlowDefinition<SettingsFlow> = {
  kind: "settings",
  is: (flow): flow is SettingsFlow => flow.kind === "settings",
  create: (fields) => ({ ...fields, kind: "settings", schemaKeys: [], continueWith: undefined }),
  carryOver(expired, replacement) {
    replacement.identityId = expired.identityId;
    replacement.schemaKeys = expired.schemaKeys;
    replacement.continueWith = expired.continueWith;
  },
  initialState: "show_form",
  enabled: () => true,
  uiUrl: (config) => config.selfservice.flows.settings.ui_url,
  lifespanMs: (config) => config.selfservice.flows.settings.lifespan,
  expiredMessage: messages.settingsFlowExpired,
  noStrategyMessage: () => messages.noStrategy("settings"),
  sort: (deps, flow) => ({
    groups: deps.strategies.groupOrder("settings"),
    keys: ["csrf_token", ...flow.schemaKeys, ...deps.strategies.interleavedInputs().flatMap((s) => s.inputs), ...SETTINGS_KEYS_APPENDED],
  }),
  async populate(deps, flow, ctx) {
    for (const strategy of deps.strategies.for("settings")) await strategy.settings.populate(flow, ctx);
  },
  async toJson(flow, deps) {
    const identity = flow.identityId ? await deps.identityRepository.get(flow.identityId) : undefined;
    return {
      ...baseFlowJson(flow),
      ...(identity ? { identity: publicIdentityJson(deps, identity, true) } : {}),
      state: flow.state,
      ...(flow.continueWith ? { continue_with: flow.continueWith } : {}),
    };
  },
};
