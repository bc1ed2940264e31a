import { messages } from "../../../ui/messages";
import { passwordLoginOrder } from "../../../ui/sort";
import type { FlowDefinition } from "../definition";
import { baseFlowJson, type RegistrationFlow } from "../flow";
import { oauth2LoginRequestJson } from "../oauth2-login";
import { registrationSchemaId } from "./schema";
import { populateProfileFirst, rendersProfileFirst } from "./profile-first";

export const registrationFlow: FlowDefinition<RegistrationFlow> = {
  kind: "registration",
  is: (flow): flow is RegistrationFlow => flow.kind === "registration",
  create: (fields) => ({ ...fields, kind: "registration", identitySchema: undefined, oauth2LoginChallenge: undefined }),
  carryOver(expired, replacement) {
    replacement.identityId = expired.identityId;
    replacement.identitySchema = expired.identitySchema;
    replacement.oauth2LoginChallenge = expired.oauth2LoginChallenge;
  },
  initialState: "choose_method",
  enabled: (config) => config.selfservice.flows.registration.enabled,
  uiUrl: (config) => config.selfservice.flows.registration.ui_url,
  lifespanMs: (config) => config.selfservice.flows.registration.lifespan,
  expiredMessage: messages.registrationFlowExpired,
  noStrategyMessage: () => messages.noStrategy("registration"),
  // registration/sort.go SortNodes: the schema's keys, updated by PasswordLoginOrder, then the WebAuthn nodes appended.
  sort: (deps, flow) => ({
    groups: deps.strategies.groupOrder("registration"),
    keys: [
      ...passwordLoginOrder(deps.schemas.keysInOrder(registrationSchemaId(flow, deps.schemas.defaultId))),
      "webauthn_remove",
      "webauthn_register_displayname",
      "webauthn_register",
    ],
  }),
  async populate(deps, flow, ctx) {
    if (rendersProfileFirst(deps.config, flow)) return populateProfileFirst(deps, flow, ctx);
    const strategies = deps.strategies.for("registration");
    for (const strategy of strategies) await strategy.registration.populate(flow, ctx);
    for (const strategy of strategies) await strategy.registration.finishForm?.(flow, ctx);
  },
  toJson: (flow) => ({
    ...baseFlowJson(flow),
    state: flow.state,
    ...(flow.identitySchema ? { identity_schema: flow.identitySchema } : {}),
    ...(flow.oauth2LoginChallenge ? { oauth2_login_challenge: flow.oauth2LoginChallenge } : {}),
    ...oauth2LoginRequestJson(flow),
  }),
};
