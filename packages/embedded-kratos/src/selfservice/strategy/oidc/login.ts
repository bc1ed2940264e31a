import type { JsonObject } from "../../../http/body";
import type { LoginFlow } from "../../flow/flow";
import { duplicateCredentialsOf } from "../../flow/login/link-credentials";
import type { LoginStrategy, StrategyContext, Submission } from "../strategy";
import { oidcProviders } from "./config";
import { linksOf } from "./credential";
import { oidcMessages } from "./messages";
import { providerNode } from "./nodes";
import { redirectToProvider } from "./redirect";

/** Login's `provider` field, from the body or the query (Kratos decodes both). */
export function submittedProvider(body: JsonObject, query: URLSearchParams): string {
  return typeof body.provider === "string" && body.provider !== "" ? body.provider : (query.get("provider") ?? "");
}

/**
 * Strategy.Login and the login form hydrators: a `provider` button per
 * configured provider on first-factor flows (on a refresh, only the
 * providers the identity has linked); submitting one sends the browser to
 * the provider. On the login flow of an account-linking sign-up, the tried
 * provider is left out and the others read "Confirm with …"
 * (populateAccountLinkingUI), and the identifier is fixed to the address in use.
 */
export const oidcLogin: LoginStrategy = {
  // Strategy.Login: a provider is required and the method, when given, must be oidc.
  responsible: ({ method, body }: Submission<LoginFlow>, ctx: StrategyContext) =>
    (method === "oidc" || method === "") && submittedProvider(body, ctx.http.query) !== "",

  async populate(flow, ctx) {
    if ((flow.requestedAal ?? "aal1") !== "aal1") return;
    let providers = oidcProviders(ctx.deps.config);
    if (flow.refresh && flow.identityId) {
      const identity = await ctx.deps.identityRepository.get(flow.identityId, { withCredentials: true });
      const linked = new Set(identity ? linksOf(identity).map((l) => l.provider) : []);
      providers = providers.filter((p) => linked.has(p.id));
    }
    const duplicate = duplicateCredentialsOf(flow);
    for (const p of providers) {
      if (duplicate && p.id === duplicate.Provider) continue;
      flow.ui.nodes.push(providerNode(p.id, duplicate ? oidcMessages.loginWithAndLink(p.label) : oidcMessages.loginWith(p.label, p.id)));
    }
    if (duplicate) {
      // The strategies listed before this one added their inputs already: fix the identifier to the address in use.
      const identifier = flow.ui.findInput("identifier");
      if (identifier) {
        identifier.attributes.type = "hidden";
        identifier.attributes.value = duplicate.DuplicateIdentifier;
      }
    }
  },

  async submit(flow, body, ctx) {
    return redirectToProvider(flow, body, submittedProvider(body, ctx.http.query), ctx);
  },
};
