import { messages } from "../../../ui/messages";
import type { FlowDefinition } from "../definition";
import { baseFlowJson } from "../flow";
import { registrationSchemaId } from "../../strategy/password/registration";

export const registrationFlow: FlowDefinition = {
  kind: "registration",
  initialState: "choose_method",
  enabled: (config) => config.selfservice.flows.registration.enabled,
  uiUrl: (config) => config.selfservice.flows.registration.ui_url,
  lifespanMs: (config) => config.selfservice.flows.registration.lifespan,
  expiredMessage: messages.registrationFlowExpired,
  noStrategyMessage: () => messages.noStrategy("registration"),
  sort: (deps, flow) => {
    const schema = deps.identities.schemaOf(registrationSchemaId(flow, deps.schemas.defaultId));
    const keys = ["csrf_token"];
    // Kratos places the password right after the trait that is the password identifier.
    for (const p of schema.paths) {
      keys.push(p.name);
      if (p.extension.credentials?.password?.identifier && !keys.includes("password")) keys.push("password");
    }
    if (!keys.includes("password")) keys.push("password");
    return { groups: ["oidc", "saml", "default", "webauthn", "passkey", "code", "password", "captcha", "profile"], keys };
  },
  async populate(flow, ctx) {
    for (const strategy of ctx.deps.strategies.for("registration")) await strategy.registration.populate(flow, ctx);
  },
  toJson: (flow) => ({ ...baseFlowJson(flow), state: flow.state, ...flow.extra }),
};
