import { normalizeIdentifier } from "../../../identity/extensions";
import type { Deps } from "../../../deps";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import { type Flow, urlWithFlow } from "../../flow/flow";
import { FlowValidationError, type FlowStrategy, type FlowUpdatedResult, type StrategyContext } from "../strategy";
import { codeMethodConfig } from "./config";
import { codeMessages } from "./messages";
import { appendRaw, codeInputNode, emailNode, methodSubmitNode } from "./nodes";
import { generateCode, hashSecret } from "./secrets";
import { secretsFor } from "./tokens";
import type { Queryable } from "../../../storage/database";

export const VERIFICATION_EMAIL = "code_verification_email";

/**
 * Verification by one-time code: choose_method (email) → sent_email (code,
 * resend) → passed_challenge. The mail also carries a link
 * (`?flow=…&code=…`) which pre-fills the code and sends the browser to the
 * verification UI, as Kratos does.
 */
export const codeVerification: FlowStrategy<FlowUpdatedResult> = {
  populate(flow, ctx) {
    if (flow.state === "sent_email") renderCodeSent(flow);
    else if (flow.state === "passed_challenge") renderPassed(flow, verificationReturnTo(ctx.deps, flow));
    else flow.ui.append(emailNode("code"), methodSubmitNode("code", "code"));
  },

  async submit(flow, body, ctx) {
    const email = typeof body.email === "string" ? body.email.trim() : "";
    const code = typeof body.code === "string" ? body.code.trim() : "";
    if (flow.state === "passed_challenge") throw FlowValidationError.flow(codeMessages.verificationRetrySuccess());
    if (code !== "") {
      if (ctx.http.method === "GET") {
        // The link in the mail: pre-fill the code and let the user confirm in the UI.
        if (flow.state !== "sent_email") {
          flow.state = "sent_email";
          renderCodeSent(flow);
        }
        flow.ui.setValue("code", code);
        return answerLinkClick(flow, "code", ctx);
      }
      return useCode(flow, code, ctx);
    }
    if (ctx.http.method === "GET") return { kind: "flow" };
    if (email === "") throw FlowValidationError.field("email", messages.required("email"));
    await ctx.deps.db.transaction((tx) => sendVerificationCode(tx, ctx.deps, flow, email));
    flow.ui.clearMessages();
    flow.ui.addMessage(codeMessages.verificationCodeSent());
    return { kind: "flow" };
  },

  async initiate(flow, target, ctx) {
    await ctx.deps.db.transaction((tx) => sendVerificationCode(tx, ctx.deps, flow, target.address));
    flow.ui.clearMessages();
    flow.ui.addMessage(codeMessages.verificationCodeSent());
  },
};

function renderCodeSent(flow: Flow): void {
  flow.ui.removeGroup("code");
  appendRaw(flow, codeInputNode(codeMessages.labelVerificationCode()), inputNode("code", "method", "hidden", { value: "code" }), methodSubmitNode("code", "code"));
  const email = flow.internal[VERIFICATION_EMAIL];
  if (typeof email === "string") appendRaw(flow, inputNode("code", "email", "submit", { value: email, label: codeMessages.labelResend() }));
}

/** passed_challenge: a GET form whose only node is a "Continue" link to where the user goes next. */
export function renderPassed(flow: Flow, returnTo: string, group: "code" | "link" = "code"): void {
  flow.ui.method = "GET";
  flow.ui.action = returnTo;
  flow.ui.nodes = [
    {
      type: "a",
      group,
      attributes: { href: returnTo, title: codeMessages.labelContinue(), id: "continue", node_type: "a" },
      messages: [],
      meta: { label: codeMessages.labelContinue() },
    },
  ];
}

/** Queues the code for a known address (unknown ones get nothing, or *_invalid when notify_unknown_recipients). */
async function sendVerificationCode(tx: Queryable, deps: Deps, flow: Flow, rawEmail: string): Promise<void> {
  const email = normalizeIdentifier(rawEmail);
  const secrets = secretsFor(deps.db);
  const lifespan = codeMethodConfig(deps.config).config.lifespan;
  await secrets.deleteVerificationTokensOfFlow(tx, flow.id, "code");
  const address = await secrets.findVerifiableAddress(email);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;
  if (address && identity) {
    const code = generateCode();
    await secrets.createVerificationToken(tx, {
      strategy: "code",
      hash: hashSecret(deps.config, code),
      verifiableAddressId: address.id,
      flowId: flow.id,
      expiresAt: new Date(Date.now() + lifespan),
    });
    const url = new URL(`${deps.config.publicBaseUrl}self-service/verification`);
    url.searchParams.set("flow", flow.id);
    url.searchParams.set("code", code);
    await deps.courier.queueEmail(tx, {
      templateType: "verification_code_valid",
      recipient: address.value,
      model: {
        To: address.value,
        VerificationCode: code,
        VerificationURL: url.toString(),
        Identity: publicIdentityJson(deps, identity),
        RequestURL: flow.requestUrl,
        ExpiresInMinutes: Math.round(lifespan / 60_000),
      },
    });
    await secrets.markAddressSent(tx, address.id);
  } else if (deps.config.selfservice.flows.verification.notify_unknown_recipients === true) {
    await deps.courier.queueEmail(tx, { templateType: "verification_code_invalid", recipient: email, model: { To: email, RequestURL: flow.requestUrl } });
  }
  flow.state = "sent_email";
  flow.active = "code";
  flow.internal[VERIFICATION_EMAIL] = rawEmail;
  renderCodeSent(flow);
}

async function useCode(flow: Flow, code: string, ctx: StrategyContext): Promise<FlowUpdatedResult> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const submissions = await secrets.countSubmission(flow.id);
  flow.internal.code_submit_count = submissions;
  if (submissions > codeMethodConfig(deps.config).config.max_submissions) throw FlowValidationError.flow(codeMessages.tooManySubmissions());
  const token = await secrets.useVerificationToken(flow.id, "code", hashSecret(deps.config, code));
  if (!token) {
    flow.ui.clearMessages();
    flow.ui.addMessage(codeMessages.verificationCodeInvalid());
    return { kind: "flow" };
  }
  await secrets.markAddressVerified(token.verifiableAddressId);
  markVerified(flow, verificationReturnTo(deps, flow), "code");
  return { kind: "flow" };
}

/**
 * A link opened from a mail is a browser navigation even when the flow was
 * made for a native app: Kratos sends any HTML-accepting request to the
 * verification UI, whatever the flow type (the core handler redirects
 * browser-type flows only).
 */
export async function answerLinkClick(flow: Flow, method: "code" | "link", ctx: StrategyContext): Promise<FlowUpdatedResult> {
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
  flow.ui.addMessage(codeMessages.verificationSuccessful());
}
