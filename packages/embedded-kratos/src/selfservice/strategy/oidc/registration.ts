import type { RegistrationFlow } from "../../flow/flow";
import type { RegistrationStrategy, StrategyContext, Submission } from "../strategy";
import { oidcProviders } from "./config";
import { submittedProvider } from "./login";
import { oidcMessages } from "./messages";
import { addProviderNode } from "./nodes";
import { redirectToProvider } from "./redirect";

/**
 * Strategy.Register and PopulateRegistrationMethod: a "Sign up with …"
 * button per provider; submitting one (with any traits the form carried,
 * which win over the mapper's) sends the browser to the provider.
 */
export const oidcRegistration: RegistrationStrategy = {
  responsible: ({ method, body }: Submission<RegistrationFlow>, ctx: StrategyContext) =>
    (method === "oidc" || method === "") && submittedProvider(body, ctx.http.query) !== "",

  // strategy.go populateMethod → types.go AddProviders, on every registration screen.
  populate(flow, ctx) {
    addProviderButtons(flow, ctx);
  },
  populateProfile(flow, ctx) {
    addProviderButtons(flow, ctx);
  },
  populateCredentials(flow, _traits, ctx) {
    addProviderButtons(flow, ctx);
  },

  async submit(flow, body, ctx) {
    return redirectToProvider(flow, body, submittedProvider(body, ctx.http.query), ctx);
  },
};

/** AddProviders with "Sign up with …" (text.NewInfoRegistrationWith), organisation providers left out by oidcProviders. */
function addProviderButtons(flow: RegistrationFlow, ctx: StrategyContext): void {
  for (const p of oidcProviders(ctx.deps.config)) addProviderNode(flow.ui, p.id, oidcMessages.registrationWith(p.label, p.id));
}
