import type { IncomingMessage } from "node:http";
import { withRequestSignal } from "../../../courier/request-signal";
import { renderUnknownRecipientNotice } from "../../../courier/unknown-recipient-notice";
import { normalizeIdentifier } from "../../../identity/extensions";
import type { Deps } from "../../../deps";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import { csrfNode, inputNode } from "../../../ui/node";
import { type Flow, urlWithFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { AddressFlowResult, StrategyContext, AddressFlowStrategy } from "../strategy";
import { codeMethodConfig } from "./config";
import { mailMessages } from "../mailed-secret/messages";
import { appendRaw, codeInputNode, emailNode, methodSubmitNode } from "../mailed-secret/nodes";
import { generateCode, hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { markVerified, renderPassed, runPostVerificationHooks, verificationReturnTo } from "../mailed-secret/verification";
import { linkBaseUrl } from "../link/config";
import type { RenderedMessage } from "../../../courier/courier";
import { hasText } from "../submission";
import { codeState, updateCodeState } from "./state";
import { clearTransientNodes } from "./code-sent-form";
import { now as timeNow } from "../../../clock/clock";
import { requireEmailFormat } from "../mailed-secret/email-format";
import { decodeSubmission } from "../../flow/transient-payload";
import { checkCsrf } from "../../flow/engine";
import type { JsonObject } from "../../../http/body";
import type { FieldError } from "../../../identity/schema-registry";
import type { UiContainer } from "../../../ui/container";

/** code/.schema/verification.schema.json as decodeVerification applies it (an empty value is left out, as decoderx does). */
function requireVerificationSchema(body: JsonObject, method: string): void {
  const problems: FieldError[] = [];
  if (method !== "" && method !== "code" && method !== "link")
    problems.push({ name: "method", message: messages.generic('value must be one of "code", "link"') });
  try {
    requireEmailFormat(body);
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    problems.push(...error.fieldErrors);
  }
  if (problems.length > 0) throw new FlowValidationError(problems);
}

/**
 * Verification by one-time code: choose_method (email) → sent_email (code,
 * resend) → passed_challenge. The mail also carries a link
 * (`?code=…&flow=…`): opening it verifies nothing — it pre-fills the code
 * and sends the browser to the verification UI, whose submission verifies,
 * as Kratos does.
 */
export const codeVerification: AddressFlowStrategy = {
  // The strategy the flow was made for, when the submission's method is `code` — getMethod gives `code` to a
  // method-less submission only when it carries a code; without either, Verify's MethodEnabledAndAllowed finds ""
  // is not "code" (not responsible), and with no other strategy taking it the handler answers "no strategy" (4010006).
  responsible: ({ flow, method, body }, ctx) =>
    (flow.active ?? ctx.deps.config.selfservice.flows.verification.use) === "code" &&
    (method === "code" || (method === "" && hasText(body, "code"))),
  carriesMailedSecret: ({ body }) => hasText(body, "code"),
  // verificationHandleFormSubmission: EnsureCSRF only on the email path, after the code and the required email.
  checksCsrfInSubmit: true,
  // code/strategy_verification.go decodeVerification: the method schema (email format) before EnsureCSRF.
  decode: (_flow, body) => requireEmailFormat(body),
  // Verify: MethodEnabledAndAllowed comes after decodeVerification.
  enabledCheck: "after-decode",
  // Verify decodes (decodeVerification) before its method check, and Kratos asks the code strategy first: every
  // submission another strategy (or none) answers meets this schema, whose `method` is one of code and link.
  screen: ({ flow, body, method }, ctx) =>
    decodeSubmission("code", "verification", { decode: () => requireVerificationSchema(body, method) }, flow, body, ctx),
  populate(flow, ctx) {
    if (flow.state === "sent_email") renderCodeSent(flow);
    else if (flow.state === "passed_challenge") renderPassed(flow, verificationReturnTo(ctx.deps, flow));
    else {
      flow.ui.append(emailNode("code"), methodSubmitNode("code", "code"));
      appendBrowserCsrf(flow);
    }
  },

  async submit(flow, body, ctx) {
    const email = typeof body.email === "string" ? body.email.trim() : "";
    // verificationHandleFormSubmission takes the code as sent (len(body.Code) > 0): " " is a code to check, not an
    // absent one that would lead on to mailing the email without a CSRF check.
    const code = typeof body.code === "string" ? body.code : "";
    if (flow.state === "passed_challenge") return { kind: "retry", message: mailMessages.verificationRetrySuccess(), answer: "code" };
    // A GET carrying a code is the mailed link (handleLinkClick); any other GET is a submission like a POST.
    if (code !== "") return ctx.http.method === "GET" ? openMailedLink(flow, code, ctx) : useCode(flow, code, ctx);
    if (email === "")
      throw new FlowValidationError(
        [{ name: "email", message: messages.required("email") }],
        {},
        { amend: verificationErrorNodes(ctx, "") },
      );
    checkCsrf(ctx.deps, ctx.http, flow, body);
    await sendVerificationCode(ctx.deps, ctx.http.req, flow, email);
    flow.ui.clearMessages();
    flow.ui.addMessage(mailMessages.verificationCodeSent());
    return { kind: "flow" };
  },

  async initiate(flow, target, ctx) {
    // hook.Verifier: the new identity's address itself, on its own channel (an `sms` address gets the SMS template).
    const via = target.via === "sms" ? "sms" : "email";
    await sendVerificationCode(ctx.deps, ctx.http.req, flow, target.address, via);
    flow.ui.clearMessages();
    flow.ui.addMessage(mailMessages.verificationCodeSent());
  },
};

/**
 * populateEmailSentFlow for a verification flow (its transient nodes, CSRF
 * token included, cleared): the hidden `method`, the code, the submit button,
 * the CSRF token (browser flows), then the resend button the submission adds
 * (verificationHandleFormSubmission, hook.Verifier).
 */
function renderCodeSent(flow: Flow): void {
  clearTransientNodes(flow);
  appendRaw(
    flow,
    inputNode("code", "method", "hidden", { value: "code" }),
    codeInputNode(mailMessages.labelVerificationCode()),
    methodSubmitNode("code", "code"),
  );
  appendBrowserCsrf(flow);
  const email = codeState(flow).verification_email;
  if (typeof email === "string") appendRaw(flow, inputNode("code", "email", "submit", { value: email, label: mailMessages.labelResend() }));
}

/** Kratos never sorts a verification flow: PopulateMethod sets the CSRF token after the strategy's nodes, for browser flows only. */
function appendBrowserCsrf(flow: Flow): void {
  if (flow.type === "browser") appendRaw(flow, csrfNode(flow.csrfToken));
}

/**
 * code.Strategy.handleVerificationError on a loaded flow: the CSRF token is set
 * to the request's own (nosurf.Token: the anti-CSRF cookie masked, or empty
 * when the request holds none, as a native app's does — so a native flow gets
 * the node at the end of its form), then the email input carrying the
 * submitted address replaces the form's `email` node (the resend button too).
 */
function verificationErrorNodes(ctx: StrategyContext, email: string): (ui: UiContainer) => void {
  const raw = ctx.deps.csrf.rawFromRequest(ctx.http);
  const token = raw ? ctx.deps.csrf.mask(raw) : "";
  return (ui) => {
    ui.setCsrf(token);
    ui.upsert(emailNode("code", email));
  };
}

/** Queues the code for a known address (unknown ones get nothing, or *_invalid when notify_unknown_recipients). */
async function sendVerificationCode(
  deps: Deps,
  req: IncomingMessage,
  flow: Flow,
  rawEmail: string,
  via: "email" | "sms" = "email",
): Promise<void> {
  const email = normalizeIdentifier(rawEmail);
  const secrets = secretsFor(deps.db);
  const lifespan = codeMethodConfig(deps.config).config.lifespan;
  const address = await secrets.findVerifiableAddress(email, via);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;
  // The message is rendered before the transaction opens: a template fetched over http(s) holds no pooled connection.
  const code = generateCode();
  let message: RenderedMessage | undefined;
  if (address && identity) {
    const model = {
      To: address.value,
      VerificationCode: code,
      Identity: publicIdentityJson(deps, identity),
      RequestURL: flow.requestUrl,
      ExpiresInMinutes: Math.round(lifespan / 60_000),
    };
    // Sender.SendVerificationCodeTo: the address's channel picks the template; the SMS one has no link.
    if (address.via === "sms") {
      message = await withRequestSignal(req, (signal) =>
        deps.courier.renderSms({ templateType: "verification_code_valid", recipient: address.value, model, signal }),
      );
    } else {
      // Sender.constructVerificationLink: the link method's base URL, query keys sorted as Go's url.Values encodes them.
      const url = new URL(`${linkBaseUrl(deps.config)}self-service/verification`);
      url.searchParams.set("code", code);
      url.searchParams.set("flow", flow.id);
      message = await withRequestSignal(req, (signal) =>
        deps.courier.renderEmail({
          templateType: "verification_code_valid",
          recipient: address.value,
          model: { ...model, VerificationURL: url.toString() },
          signal,
        }),
      );
    }
  } else if (deps.config.selfservice.flows.verification.notify_unknown_recipients === true) {
    message = await withRequestSignal(req, (signal) =>
      renderUnknownRecipientNotice(deps.courier, {
        templateType: "verification_code_invalid",
        recipient: email,
        requestUrl: flow.requestUrl,
        signal,
      }),
    );
  }
  await deps.db.transaction(async (tx) => {
    await secrets.deleteVerificationTokensOfFlow(tx, flow.id, "code");
    if (address && identity) {
      await secrets.createVerificationToken(tx, {
        strategy: "code",
        hash: hashSecret(deps.config, code),
        verifiableAddressId: address.id,
        flowId: flow.id,
        expiresAt: timeNow().add(lifespan),
      });
    }
    if (message) await deps.courier.enqueue(tx, message);
    if (address && identity) await secrets.markAddressSent(tx, address.id);
  });
  flow.state = "sent_email";
  flow.active = "code";
  updateCodeState(flow, { verification_email: rawEmail });
  renderCodeSent(flow);
}

/**
 * code.Strategy.handleLinkClick: the mailed link pre-fills the code (when the
 * flow shows a code input), issues this browser a new CSRF cookie and binds
 * the flow to it — the browser that opens a mail may never have seen the flow
 * — then sends every client to the verification UI. Nothing is verified yet.
 */
async function openMailedLink(flow: Flow, code: string, ctx: StrategyContext): Promise<AddressFlowResult> {
  const { deps, http } = ctx;
  if (flow.ui.nodes.some((n) => n.type === "input" && n.attributes.name === "code")) flow.ui.setValue("code", code);
  flow.csrfToken = deps.csrf.mask(deps.csrf.regenerate(http));
  flow.ui.setCsrf(flow.csrfToken);
  await deps.flows.save(flow);
  const uiUrl = deps.config.selfservice.flows.verification.ui_url;
  http.redirect(uiUrl ? urlWithFlow(uiUrl, flow.id) : `${deps.config.publicBaseUrl}self-service/verification/flows?id=${flow.id}`);
  return { kind: "responded" };
}

/**
 * code.Strategy.verificationUseCode: an unknown code is a message on this
 * flow; an expired or used one starts a new flow (retryVerificationFlowWithError:
 * 4070005 for an expired code, the persister's reason for a used one).
 */
async function useCode(flow: Flow, code: string, ctx: StrategyContext): Promise<AddressFlowResult> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const submissions = await secrets.countSubmission(flow.id);
  updateCodeState(flow, { submit_count: submissions });
  if (submissions > codeMethodConfig(deps.config).config.max_submissions) throw FlowValidationError.flow(mailMessages.tooManySubmissions());
  const used = await secrets.useVerificationToken(flow.id, "code", hashSecret(deps.config, code));
  switch (used.status) {
    case "unknown":
      flow.ui.clearMessages();
      flow.ui.addMessage(mailMessages.verificationCodeInvalid());
      return { kind: "flow" };
    case "expired":
      return { kind: "retry", message: messages.verificationFlowExpired(used.expiresAt), answer: "code", expiredAt: used.expiresAt };
    case "used":
      return { kind: "retry", message: mailMessages.codeAlreadyUsed(), answer: "code", replacedReason: RETRY_REASON };
    case "ok": {
      const identityId = await secrets.markAddressVerified(used.token.verifiableAddressId);
      markVerified(flow, verificationReturnTo(deps, flow), "code");
      const refused = await runPostVerificationHooks(flow, identityId, ctx, { answer: "code", replacedReason: RETRY_REASON });
      return refused ?? { kind: "flow" };
    }
  }
}

/** retryVerificationFlowWithError's answer to JSON clients for an error that is not an expiry. */
const RETRY_REASON = "An error occured, please retry the flow.";
