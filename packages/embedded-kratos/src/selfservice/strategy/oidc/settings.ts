import { countActiveFirstFactorCredentials } from "../../../identity/first-factor";
import type { Identity } from "../../../identity/identity";
import { messages } from "../../../ui/messages";
import type { SettingsFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { SettingsStrategy, StrategyContext } from "../strategy";
import { pressed } from "../submission";
import { oidcProviders, type OidcProvider } from "./config";
import { linksOf, removeProvider } from "./credential";
import { oidcMessages, settingsReasons } from "./messages";
import { linkNode } from "./nodes";
import { redirectToProvider } from "./redirect";

/** linkableProviders: configured providers the identity has no account of yet. */
export function linkableProviders(providers: OidcProvider[], identity: Identity): OidcProvider[] {
  const linked = new Set(linksOf(identity).map((l) => l.provider));
  return providers.filter((p) => !linked.has(p.id));
}

/** linkedProviders: configured providers the identity has an account of. */
function linkedProviders(providers: OidcProvider[], identity: Identity): OidcProvider[] {
  const linked = new Set(linksOf(identity).map((l) => l.provider));
  return providers.filter((p) => linked.has(p.id));
}

/** Whether the session may still change credentials (settings.privileged_session_max_age). */
function privileged(ctx: StrategyContext): boolean {
  const session = ctx.session;
  if (!session) return false;
  return session.authenticatedAt.getTime() + ctx.deps.config.selfservice.flows.settings.privileged_session_max_age > Date.now();
}

/**
 * PopulateSettingsMethod and Settings: "Link …" for every provider not yet
 * linked, "Unlink …" for linked ones while another first factor remains.
 * Linking sends the browser to the provider (the callback finishes it);
 * unlinking is refused for the last first factor. Both need a privileged session.
 */
export const oidcSettings: SettingsStrategy = {
  responsible: ({ method, body }) => (method === "oidc" || method === "") && (pressed(body, "link") || pressed(body, "unlink")),

  populate(flow: SettingsFlow, ctx: StrategyContext) {
    const identity = ctx.identity;
    if (!identity) return;
    const providers = oidcProviders(ctx.deps.config);
    for (const p of linkableProviders(providers, identity)) flow.ui.nodes.push(linkNode("link", p.id, oidcMessages.linkProvider(p.label)));
    if (countActiveFirstFactorCredentials(identity, ctx.deps.config) > 1) {
      for (const p of linkedProviders(providers, identity))
        flow.ui.nodes.push(linkNode("unlink", p.id, oidcMessages.unlinkProvider(p.label)));
    }
  },

  async submit(flow, body, ctx) {
    const identity = ctx.identity;
    if (!identity) throw FlowValidationError.flow(messages.noStrategy("settings"));
    const link = typeof body.link === "string" ? body.link : "";
    const unlink = typeof body.unlink === "string" ? body.unlink : "";
    if (link !== "" && unlink !== "") throw FlowValidationError.flow(messages.generic(settingsReasons.linkAndUnlink));
    // Not privileged: the settings flow sends the person to re-authenticate before anything changes.
    if (!privileged(ctx)) return { identity, privileged: true };
    const providers = oidcProviders(ctx.deps.config);

    if (link !== "") {
      // isLinkable.
      if (!linkableProviders(providers, identity).some((p) => p.id === link)) {
        throw FlowValidationError.flow(messages.generic(settingsReasons.connectionExists));
      }
      return redirectToProvider(flow, body, link, ctx);
    }

    if (countActiveFirstFactorCredentials(identity, ctx.deps.config) < 2) {
      throw FlowValidationError.flow(messages.generic(settingsReasons.lastFirstFactor));
    }
    if (!linkedProviders(providers, identity).some((p) => p.id === unlink)) {
      throw FlowValidationError.flow(messages.generic(settingsReasons.unknownConnection));
    }
    removeProvider(identity, unlink);
    return { identity, privileged: true };
  },
};
