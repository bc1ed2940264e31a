import { errors } from "../../../http/errors";
import { flowErrors } from "../../flow/flow-errors";
import { createFlow } from "../../flow/engine";
import { type ContinueWith, type Flow, urlWithFlow } from "../../flow/flow";
import { recoveryFlow } from "../../flow/recovery/definition";
import { settingsFlow } from "../../flow/settings/definition";
import { runAfterHooks } from "../../hook/registry";
import type { FlowUpdatedResult, StrategyContext } from "../strategy";
import { codeMessages } from "./messages";

/**
 * The end of a successful recovery (code or link): a fresh session for the
 * recovered identity (authentication method `code_recovery` /
 * `link_recovery`, aal1), a settings flow carrying message 1060001, and the
 * answer Kratos gives: 303 to the settings UI for browser navigations; for
 * SPAs and native apps 422 `browser_location_change_required` pointing at the
 * settings UI by default, or — with `feature_flags.use_continue_with_transitions`
 * — 200 with the recovery flow and `continue_with` (native apps also get
 * `set_ory_session_token`).
 */
export async function completeRecovery(
  flow: Flow,
  identityId: string,
  method: "code_recovery" | "link_recovery",
  ctx: StrategyContext,
): Promise<FlowUpdatedResult> {
  const { deps, http } = ctx;
  const identity = await deps.identityRepository.get(identityId, { withCredentials: true });
  if (!identity) throw errors.notFound("The recovered identity does not exist anymore.");
  // ActivateSession: Kratos' 401 "identity is disabled", forwarded like any error that is not a 400.
  if (identity.state !== "active") throw flowErrors.identityDisabled(identity.id);

  const issued = await deps.sessions.issue(http, identity, [{ method, aal: "aal1", completed_at: new Date().toISOString() }]);
  // Recovery's after hooks are flow-wide only in Kratos (e.g. revoke_active_sessions, which spares this new session).
  await runAfterHooks(deps, "recovery", undefined, "post", { ctx: http, flow, identity, session: issued.session });

  flow.state = "passed_challenge";
  flow.identityId = identity.id;
  flow.ui.clearMessages();
  await deps.flows.save(flow);

  const settingsType = method === "link_recovery" ? "browser" : flow.type;
  const settings = await createFlow(deps, settingsFlow, http, settingsType, {
    strategy: { session: issued.session, identity },
    prepare: (f) => {
      // Same bookkeeping as the settings handler's own init (sort order of trait nodes).
      f.identityId = identity.id;
      f.sessionId = issued.session.id;
      f.extra.__schema_keys = deps.identities.schemaOf(identity.schemaId).paths.map((p) => p.name);
    },
  });
  settings.ui.addMessage(codeMessages.recoverySuccessful(new Date(Date.now() + deps.config.selfservice.flows.settings.privileged_session_max_age)));
  await deps.flows.save(settings);

  const settingsUi = deps.config.selfservice.flows.settings.ui_url;
  const settingsUrl = settingsUi ? urlWithFlow(settingsUi, settings.id) : `${deps.config.publicBaseUrl}self-service/settings/flows?id=${settings.id}`;
  const continueWith: ContinueWith[] = [{ action: "show_settings_ui", flow: { id: settings.id, url: settingsUrl } }];

  if (method === "link_recovery") {
    // link.Strategy.recoveryIssueSession: a mailed link is opened by a browser, whatever flow it belongs to:
    // the cookie and a 303 to the settings UI, for every client.
    deps.sessions.setCookie(http, issued.token, issued.session);
    http.redirect(settingsUrl);
    return { kind: "responded" };
  }
  const nativeAnswer = flow.type === "api";
  if (!nativeAnswer) deps.sessions.setCookie(http, issued.token, issued.session);

  if (!deps.config.feature_flags.use_continue_with_transitions) {
    // Kratos' default (pre-continue_with) transition: an AJAX client is told to move the
    // browser to the settings UI; a native app gets no session token this way, as in Kratos.
    if (http.isJsonRequest) http.error(errors.browserLocationChangeRequired(settingsUrl));
    else http.redirect(settingsUrl);
    return { kind: "responded" };
  }
  if (nativeAnswer) continueWith.unshift({ action: "set_ory_session_token", ory_session_token: issued.token });
  if (nativeAnswer || http.isJsonRequest) http.json(200, { ...(await recoveryFlow.toJson(flow, deps)), continue_with: continueWith });
  else http.redirect(settingsUrl);
  return { kind: "responded" };
}

/**
 * Asking for a recovery message while signed in is refused, as in Kratos'
 * strategies (session.RespondWithJSONErrorOnAuthenticated /
 * RedirectOnAuthenticated): JSON clients get 400 session_already_available,
 * browsers a 302 to the default return URL. Returns true when it answered.
 */
export function refuseWhenSignedIn(ctx: StrategyContext): boolean {
  if (!ctx.session) return false;
  if (ctx.http.isJsonRequest) {
    ctx.http.error(flowErrors.alreadyLoggedIn("recovery"));
    return true;
  }
  ctx.http.redirect(ctx.deps.config.selfservice.default_browser_return_url, 302);
  return true;
}
