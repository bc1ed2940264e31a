import type { HttpContext } from "../../../http/context";
import type { Identity } from "../../../identity/identity";
import { DuplicateIdentifierError } from "../../../identity/repository";
import { sessionAal } from "../../../session/aal";
import type { Session } from "../../../session/session";
import { messages } from "../../../ui/messages";
import type { HookArgs } from "../../hook/hook";
import { runAfterHooks } from "../../hook/registry";
import { renderUi } from "../../flow/engine";
import type { FlowDeps } from "../../flow/flow-deps";
import { urlWithFlow, type SettingsFlow } from "../../flow/flow";
import { settingsFlow } from "../../flow/settings/definition";
import { FlowValidationError } from "../../flow/validation-error";
import { oidcAuthenticationMethod } from "./authentication-method";
import type { Claims } from "./claims";
import type { ProviderTokens } from "./client";
import type { OidcProvider } from "./config";
import { addLink, newLink } from "./credential";
import { settingsReasons } from "./messages";
import { linkableProviders } from "./settings";
import { oidcProviders } from "./config";
import { nowMicroseconds } from "../../../clock/clock";

/**
 * linkProvider: the callback of a settings "Link …" button. With a still
 * privileged session and a provider not linked yet, the account is added to
 * the identity's oidc credential, the session gains the method, and the
 * settings flow ends as after any saved change (hooks, message 1050001,
 * 303 to return_to or the settings UI).
 */
export async function linkInSettings(
  deps: FlowDeps,
  ctx: HttpContext,
  flow: SettingsFlow,
  current: { session: Session; identity: Identity },
  result: { provider: OidcProvider; claims: Claims; tokens: ProviderTokens | undefined },
): Promise<void> {
  const { session, identity } = current;
  const { provider, claims } = result;
  if (session.authenticatedAt.getTime() + deps.config.selfservice.flows.settings.privileged_session_max_age <= Date.now()) {
    // settings.NewFlowNeedsReAuth for a browser: sign in again, then come back to the settings flow.
    const login = new URL(`${deps.config.publicBaseUrl}self-service/login/browser`);
    login.searchParams.set("refresh", "true");
    login.searchParams.set("return_to", urlWithFlow(deps.config.selfservice.flows.settings.ui_url ?? flow.requestUrl, flow.id));
    ctx.redirect(login.toString());
    return;
  }
  if (!linkableProviders(oidcProviders(deps.config), identity).some((p) => p.id === provider.id)) {
    throw FlowValidationError.flow(messages.generic(settingsReasons.connectionExists));
  }
  addLink(identity, newLink(deps.config, provider.id, claims.sub, result.tokens));
  identity.availableAal = deps.aal.availableFor(identity);
  identity.updatedAt = nowMicroseconds();
  // PostSettingsHook's pre-persist hooks (web_hook with can_interrupt / response.parse) come before the update.
  await runAfterHooks(deps, "settings", "oidc", "pre", { ctx, flow, identity, session });
  try {
    await deps.identityRepository.update(identity);
  } catch (error) {
    // The provider account belongs to another identity.
    if (error instanceof DuplicateIdentifierError) throw FlowValidationError.flow(messages.duplicateCredentials());
    throw error;
  }
  session.authenticationMethods = [...session.authenticationMethods, oidcAuthenticationMethod(provider)];
  session.aal = sessionAal(session.authenticationMethods);
  await deps.sessions.repository.updateAuthentication(session);

  flow.active = "oidc";
  flow.state = "success";
  await renderUi(deps, settingsFlow, flow, { deps, http: ctx, session, identity });
  flow.ui.addMessage(messages.settingsSaved());
  const args: HookArgs = { ctx, flow, identity, session, continueWith: [] };
  await runAfterHooks(deps, "settings", "oidc", "post", args);
  if (args.continueWith && args.continueWith.length > 0) flow.continueWith = args.continueWith;
  await deps.flows.save(flow);
  ctx.redirect(settingsReturnUrl(deps, flow));
}

/** Where a browser goes after a saved change with oidc: return_to, `after.oidc`, flow-wide, else the settings UI of this flow. */
function settingsReturnUrl(deps: FlowDeps, flow: SettingsFlow): string {
  const after = deps.config.selfservice.flows.settings.after as
    Record<string, { default_browser_return_url?: string } | string | undefined> | undefined;
  const perMethod = after?.oidc;
  const flowWide = after?.default_browser_return_url;
  const settingsUi = deps.config.selfservice.flows.settings.ui_url;
  return (
    deps.returnTo.target(flow.returnTo) ??
    (typeof perMethod === "object" ? perMethod.default_browser_return_url : undefined) ??
    (typeof flowWide === "string" ? flowWide : undefined) ??
    (settingsUi ? urlWithFlow(settingsUi, flow.id) : flow.requestUrl)
  );
}
