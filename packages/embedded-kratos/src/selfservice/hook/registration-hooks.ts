import { urlWithFlow } from "../flow/flow";
import type { Hook } from "./registry";

/** `session`: sign the new identity in right after registration. */
export const sessionHook: Hook = {
  name: "session",
  flows: ["registration"],
  async post(deps, args) {
    args.issued = await deps.sessions.issue(args.ctx, args.identity, [
      { method: args.flow.active ?? "password", aal: "aal1", completed_at: new Date().toISOString() },
    ]);
  },
};

/** `show_verification_ui`: point the client at the verification flow started for the new address. */
export const showVerificationUiHook: Hook = {
  name: "show_verification_ui",
  // Kratos also runs it after login and settings; here it only points at a verification flow registration started.
  flows: ["registration"],
  post(deps, args) {
    const started = args.verificationFlow;
    if (!started) return;
    const uiUrl = deps.config.selfservice.flows.verification.ui_url;
    (args.continueWith ??= []).push({
      action: "show_verification_ui",
      flow: { id: started.flow.id, verifiable_address: started.address, ...(uiUrl ? { url: urlWithFlow(uiUrl, started.flow.id) } : {}) },
    });
  },
};
