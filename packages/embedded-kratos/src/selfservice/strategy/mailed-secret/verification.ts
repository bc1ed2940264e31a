import type { Deps } from "../../../deps";
import { type Flow, urlWithFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import { runAfterHooks } from "../../hook/registry";
import type { AddressFlowResult, StrategyContext } from "../strategy";
import { mailMessages } from "./messages";
import { csrfNode } from "../../../ui/node";

/**
 * passed_challenge: a GET form holding the CSRF token (SetCSRFToken on the
 * fresh container, every flow type) and a "Continue" link to where the user
 * goes next (verificationUseCode / verificationUseToken).
 */
export function renderPassed(flow: Flow, returnTo: string, group: "code" | "link" = "code"): void {
  flow.ui.method = "GET";
  flow.ui.action = returnTo;
  flow.ui.nodes = [
    csrfNode(flow.csrfToken),
    {
      type: "a",
      group,
      attributes: { href: returnTo, title: mailMessages.labelContinue(), id: "continue", node_type: "a" },
      messages: [],
      meta: { label: mailMessages.labelContinue() },
    },
  ];
}

/**
 * A link opened from a mail is a browser navigation even when the flow was
 * made for a native app: Kratos sends any HTML-accepting request to the
 * verification UI, whatever the flow type (the core handler redirects
 * browser-type flows only).
 */
export async function answerLinkClick(flow: Flow, method: "code" | "link", ctx: StrategyContext): Promise<AddressFlowResult> {
  const uiUrl = ctx.deps.config.selfservice.flows.verification.ui_url;
  if (ctx.http.isJsonRequest || !uiUrl) return { kind: "flow" };
  flow.active = method;
  await ctx.deps.flows.save(flow);
  ctx.http.redirect(urlWithFlow(uiUrl, flow.id));
  return { kind: "responded" };
}

export function verificationReturnTo(deps: Deps, flow: Flow): string {
  return (
    deps.returnTo.target(flow.returnTo) ??
    deps.config.selfservice.flows.verification.after.default_browser_return_url ??
    deps.config.selfservice.default_browser_return_url
  );
}

export function markVerified(flow: Flow, returnTo: string, group: "code" | "link"): void {
  flow.state = "passed_challenge";
  renderPassed(flow, returnTo, group);
  flow.ui.clearMessages();
  flow.ui.addMessage(mailMessages.verificationSuccessful());
}

/**
 * The end of code and link verificationUse…: the passed flow is stored, then
 * verification.HookExecutor.PostVerificationHook runs the flow-wide `after`
 * hooks (web_hook: ExecutePostVerificationHook) with the identity as stored,
 * its address already verified. A refusal does not undo the verification:
 * retryVerificationFlowWithError starts a new flow carrying the refusal's
 * messages; any other error goes to the flow's error handler (thrown).
 */
export async function runPostVerificationHooks(
  flow: Flow,
  identityId: string | undefined,
  ctx: StrategyContext,
  retry: Omit<Extract<AddressFlowResult, { kind: "retry" }>, "kind" | "message">,
): Promise<AddressFlowResult | undefined> {
  const { deps } = ctx;
  await deps.flows.save(flow);
  const identity = identityId ? await deps.identityRepository.get(identityId) : undefined;
  if (!identity) return undefined;
  try {
    await runAfterHooks(deps, "verification", undefined, "post", { ctx: ctx.http, flow, identity });
    return undefined;
  } catch (error) {
    if (error instanceof FlowValidationError) return { kind: "retry", message: error, ...retry };
    throw error;
  }
}
