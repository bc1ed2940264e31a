import type { HttpContext } from "../../../http/context";
import { errors } from "../../../http/errors";
import { messages } from "../../../ui/messages";
import { createFlow } from "../engine";
import type { FlowDeps } from "../flow-deps";
import { flowErrors } from "../flow-errors";
import { type ContinueWith, type RecoveryFlow, urlWithFlow } from "../flow";
import { runAfterHooks } from "../../hook/registry";
import { settingsFlow } from "../settings/definition";
import type { RecoveredBy } from "../address-flow";
import { recoveryFlow } from "./definition";
import { now as timeNow } from "../../../clock/clock";

/**
 * The end of a successful recovery (code or link): a fresh session for the
 * recovered identity (authentication method `code_recovery` /
 * `link_recovery`, aal1), a settings flow carrying message 1060001, and the
 * answer Kratos gives: 303 to the settings UI for browser navigations; for
 * SPAs and native apps 422 `browser_location_change_required` pointing at the
 * settings UI by default, or — with `feature_flags.use_continue_with_transitions`
 * — 200 with the recovery flow and `continue_with` (native apps also get
 * `set_ory_session_token`). A strategy whose recovery ends in a browser (a
 * mailed link) gets the browser's answer whatever the client negotiates.
 */
export async function completeRecovery(deps: FlowDeps, http: HttpContext, flow: RecoveryFlow, recovered: RecoveredBy): Promise<void> {
  const { identityId, method, inBrowser } = recovered;
  const identity = await deps.identityRepository.get(identityId, { withCredentials: true });
  if (!identity) throw errors.notFound("The recovered identity does not exist anymore.");
  // ActivateSession: Kratos' 401 "identity is disabled", forwarded like any error that is not a 400.
  if (identity.state !== "active") throw flowErrors.identityDisabled(identity.id);

  const issued = deps.sessions.prepareIssue(http, identity, [{ method, aal: "aal1", completed_at: timeNow().toISOString() }]);
  // Recovery's after hooks are flow-wide only in Kratos (e.g. revoke_active_sessions, which spares this new session).
  // PostRecoveryHook runs them before the session is stored (UpsertSession): a hook that stops recovery stores nothing.
  await runAfterHooks(deps, "recovery", undefined, "post", { ctx: http, flow, identity, session: issued.session });
  await issued.persist();

  flow.state = "passed_challenge";
  flow.identityId = identity.id;
  flow.ui.clearMessages();
  // recoveryIssueSession (code: browser flows; link: always) gives the flow a new anti-CSRF token before the settings
  // flow is made, so that flow and the session cookie below share the rotated token.
  if (inBrowser || flow.type === "browser") flow.csrfToken = deps.csrf.mask(deps.csrf.regenerate(http));
  await deps.flows.save(flow);

  const settingsType = inBrowser ? "browser" : flow.type;
  const settings = await createFlow(deps, settingsFlow, http, settingsType, {
    strategy: { session: issued.session, identity },
    prepare: (f) => {
      // Same bookkeeping as the settings handler's own init (sort order of trait nodes).
      f.identityId = identity.id;
      f.sessionId = issued.session.id;
      f.schemaKeys = deps.schemas.keysInOrder(identity.schemaId);
    },
  });
  settings.ui.addMessage(messages.recoverySuccessful(timeNow().add(deps.config.selfservice.flows.settings.privileged_session_max_age)));
  await deps.flows.save(settings);

  const settingsUi = deps.config.selfservice.flows.settings.ui_url;
  const settingsUrl = settingsUi
    ? urlWithFlow(settingsUi, settings.id)
    : `${deps.config.publicBaseUrl}self-service/settings/flows?id=${settings.id}`;
  const continueWith: ContinueWith[] = [{ action: "show_settings_ui", flow: { id: settings.id, url: settingsUrl } }];

  if (inBrowser) {
    // link.Strategy.recoveryIssueSession: a mailed link is opened by a browser, whatever flow it belongs to:
    // the cookie and a 303 to the settings UI, for every client.
    await deps.sessions.issueCookie(http, deps.csrf, issued.token, issued.session);
    http.redirect(settingsUrl);
    return;
  }
  const nativeAnswer = flow.type === "api";
  if (!nativeAnswer) await deps.sessions.issueCookie(http, deps.csrf, issued.token, issued.session);

  if (!deps.config.feature_flags.use_continue_with_transitions) {
    // Kratos' default (pre-continue_with) transition: an AJAX client is told to move the
    // browser to the settings UI; a native app gets no session token this way, as in Kratos.
    if (http.isJsonRequest) http.error(errors.browserLocationChangeRequired(settingsUrl));
    else http.redirect(settingsUrl);
    return;
  }
  if (nativeAnswer) continueWith.unshift({ action: "set_ory_session_token", ory_session_token: issued.token });
  if (nativeAnswer || http.isJsonRequest) http.json(200, { ...(await recoveryFlow.toJson(flow, deps)), continue_with: continueWith });
  else http.redirect(settingsUrl);
}
