import type { JsonObject } from "../../../http/body";
import type { LoginFlow } from "../../flow/flow";
import { duplicateCredentialsOf } from "../../flow/login/link-credentials";
import type { LoginStrategy, StrategyContext, Submission } from "../strategy";
import { oidcProviders } from "./config";
import { linksOf } from "./credential";
import { applyAccountLinkingUi, loginHintsForIdentifier } from "./linking";
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
 * the provider. The login flow of an account-linking sign-up is filtered
 * and relabelled as populateAccountLinkingUI does (see linking.ts).
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
    for (const p of providers) flow.ui.nodes.push(providerNode(p.id, oidcMessages.loginWith(p.label, p.id)));
  },

  // The login form of an account-linking sign-up: once every strategy rendered its nodes, they are filtered and relabelled.
  async finishForm(flow, ctx) {
    const duplicate = duplicateCredentialsOf(flow);
    if (!duplicate || (flow.requestedAal ?? "aal1") !== "aal1") return;
    const hints = await loginHintsForIdentifier(ctx.deps, duplicate.DuplicateIdentifier);
    applyAccountLinkingUi(flow, duplicate.Provider, duplicate.DuplicateIdentifier, hints);
  },

  // PopulateLoginMethodIdentifierFirstIdentification: the provider buttons, as on a one-step form.
  populateIdentification(flow, ctx) {
    for (const p of oidcProviders(ctx.deps.config)) flow.ui.nodes.push(providerNode(p.id, oidcMessages.loginWith(p.label, p.id)));
  },

  /**
   * PopulateLoginMethodIdentifierFirstCredentials: without mitigation only
   * the providers the account has linked stay; an account with none loses
   * the buttons. Under mitigation the buttons stay as they are.
   */
  populateIdentifierFirstCredentials(flow, { identity }, ctx) {
    const mitigate = ctx.deps.config.security.account_enumeration.mitigate;
    const linked = new Set(identity ? linksOf(identity).map((l) => l.provider) : []);
    if (linked.size === 0) {
      if (mitigate) return true;
      if (identity) flow.ui.removeGroup("oidc");
      return false;
    }
    if (!mitigate) {
      flow.ui.removeGroup("oidc");
      for (const p of oidcProviders(ctx.deps.config))
        if (linked.has(p.id)) flow.ui.nodes.push(providerNode(p.id, oidcMessages.loginWith(p.label, p.id)));
    }
    return true;
  },

  async submit(flow, body, ctx) {
    return redirectToProvider(flow, body, submittedProvider(body, ctx.http.query), ctx);
  },
};
