import { urlWithFlow } from "../flow/flow";
import type { Hook } from "./hook";

/**
 * `session` (hook.SessionIssuer): hand the session registration created to
 * the client — its token to native apps, the cookie to browsers. Kratos
 * always runs it last, whatever its place in the configuration; here it only
 * marks the answer, which the registration flow writes after all hooks.
 */
export const sessionHook: Hook = {
  name: "session",
  flows: ["registration"],
  post(_deps, args) {
    args.sessionHookRan = true;
  },
};

/**
 * `show_verification_ui` (hook.ShowVerificationUIHook): point the client at
 * the verification flow registration started — a `show_verification_ui`
 * item in `continue_with`, and for browser navigations the verification UI
 * as the place the sign-up redirects to.
 */
export const showVerificationUiHook: Hook = {
  name: "show_verification_ui",
  // Kratos also runs it after login, where only a configured `verification` hook would start a flow to show.
  flows: ["registration", "settings"],
  post(deps, args) {
    const started = args.verificationFlow;
    if (!started) return;
    const uiUrl = deps.config.selfservice.flows.verification.ui_url;
    const url = started.flow.type === "browser" && uiUrl ? urlWithFlow(uiUrl, started.flow.id) : undefined;
    (args.continueWith ??= []).push({
      action: "show_verification_ui",
      flow: { id: started.flow.id, verifiable_address: started.address, ...(url ? { url } : {}) },
    });
    // Login and registration only; x.IsBrowserRequest: the client negotiates HTML (or nothing), not JSON.
    if (args.flow.kind === "registration" && !args.ctx.acceptsJson && uiUrl)
      args.returnToVerification = urlWithFlow(uiUrl, started.flow.id);
  },
};
