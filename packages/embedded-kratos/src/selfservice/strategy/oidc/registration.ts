import type { RegistrationFlow } from "../../flow/flow";
import type { RegistrationStrategy, StrategyContext, Submission } from "../strategy";
import { oidcProviders } from "./config";
import { submittedProvider } from "./login";
import { oidcMessages } from "./messages";
import { providerNode } from "./nodes";
import { redirectToProvider } from "./redirect";

/**
 * Strategy.Register and PopulateRegistrationMethod: a "Sign up with …"
 * button per provider; submitting one (with any traits the form carried,
 * which win over the mapper's) sends the browser to the provider.
 */
export const oidcRegistration: RegistrationStrategy = {
  responsible: ({ method, body }: Submission<RegistrationFlow>, ctx: StrategyContext) =>
    (method === "oidc" || method === "") && submittedProvider(body, ctx.http.query) !== "",

  populate(flow, ctx) {
    for (const p of oidcProviders(ctx.deps.config)) flow.ui.nodes.push(providerNode(p.id, oidcMessages.registrationWith(p.label, p.id)));
  },

  // PopulateRegistrationMethodProfile and PopulateRegistrationMethodCredentials: the same buttons on both screens.
  populateProfile(flow, ctx) {
    for (const p of oidcProviders(ctx.deps.config)) flow.ui.nodes.push(providerNode(p.id, oidcMessages.registrationWith(p.label, p.id)));
  },
  populateCredentials(flow, _traits, ctx) {
    for (const p of oidcProviders(ctx.deps.config)) flow.ui.upsert(providerNode(p.id, oidcMessages.registrationWith(p.label, p.id)));
  },

  async submit(flow, body, ctx) {
    return redirectToProvider(flow, body, submittedProvider(body, ctx.http.query), ctx);
  },
};
