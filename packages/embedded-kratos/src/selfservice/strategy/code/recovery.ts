import { normalizeIdentifier } from "../../../identity/extensions";
import { messages, type UiText } from "../../../ui/messages";
import { errors } from "../../../http/errors";
import type { Flow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { AddressFlowResult, StrategyContext, AddressFlowStrategy } from "../strategy";
import { refuseIfOff } from "../disabled-endpoint";
import { codeMethodConfig, codeStrategyEnabled } from "./config";
import { mailMessages } from "../mailed-secret/messages";
import { appendRaw, codeInputNode, emailNode, methodSubmitNode } from "../mailed-secret/nodes";
import { refuseWhenSignedIn } from "../../flow/recovery/signed-in";
import { hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { inputNode } from "../../../ui/node";
import { codeState, updateCodeState } from "./state";
import { requireEmailFormat } from "../mailed-secret/email-format";
import { isRecoveryV2State, RECOVERY_V2_STATES } from "../../flow/recovery/state";
import {
  goBackFromV1,
  recoveryV2Screen,
  renderAwaitingAddress,
  renderStoredScreen,
  storedScreenValues,
  submitRecoveryV2,
} from "./recovery-v2";
import { recoveryFlowOfBody, refusingOnHandlerFlow } from "../../flow/recovery/body-flow";
import { checkCsrf } from "../../flow/engine";
import type { JsonObject } from "../../../http/body";
import { sendRecoveryCodeTo } from "./recovery-sender";
import { clearTransientNodes } from "./code-sent-form";

/** ory/x decoderx's refusal of a method decodeRecovery does not allow. */
const GET_REFUSED = 'Unable to decode body because HTTP Request Method was "GET" but only [POST] are supported.';

/**
 * Recovery by one-time code (selfservice/strategy/code, recovery v1 screens):
 * choose_method (email) → sent_email (code + resend) → passed_challenge.
 * The answer to an email is the same whether or not an account uses it.
 */
export const codeRecovery: AddressFlowStrategy = {
  // Asked first (isCodeFlow): the flows it made (`active`, else `use`); one whose `method` is not `code` it hands on
  // only past its CSRF and session checks (`submit`).
  responsible: ({ flow }, ctx) => (flow.active ?? ctx.deps.config.selfservice.flows.recovery.use) === "code",
  // code/strategy_recovery.go decodeRecovery: the method schema (email format) before EnsureCSRF.
  decode: (flow, body, ctx) => {
    try {
      // decodeRecovery allows POST only: a GET of a code flow, v1 or v2, is refused before anything is read.
      if (ctx.http.method === "GET") throw FlowValidationError.flow(messages.generic(GET_REFUSED));
      requireEmailFormat(body);
    } catch (error) {
      // A v2 screen is answered as stored (WriteFlowError on the loaded flow): its inputs keep their values.
      if (error instanceof FlowValidationError && isRecoveryV2State(flow.state))
        throw new FlowValidationError(error.fieldErrors, storedScreenValues(flow));
      throw error;
    }
  },
  // Recover: MethodEnabledAndAllowed comes after EnsureCSRF, and on the email path after the session check.
  enabledCheck: "in-submit",
  /**
   * Recover: a CSRF refusal "abandons" the flow — retryRecoveryFlow(TypeBrowser,
   * RetryWithError) regenerates the CSRF cookie (RegenerateToken) before
   * ParseError keeps a 400 (an API flow submitted by a browser) as a new
   * browser flow's message; anything else (the 403) ParseError hands back, and
   * the recovery error handler forwards it with the new cookie already set.
   */
  csrfRefused(error, ctx) {
    if (error.code !== 400) {
      ctx.deps.csrf.regenerate(ctx.http);
      return undefined;
    }
    const message = messages.generic(error.reason ?? error.message);
    return { kind: "retry", message, answer: "code_recovery", error, browserFlow: true };
  },
  // Recovery flows are never sorted: each screen sets the CSRF token first, as PopulateRecoveryMethod and the
  // sent-code screen (recoveryHandleFormSubmission) do; a passed flow keeps only it (recoveryIssueSession).
  populate(flow) {
    if (flow.state === RECOVERY_V2_STATES.awaitingAddress) return renderAwaitingAddress(flow);
    if (isRecoveryV2State(flow.state)) return renderStoredScreen(flow);
    if (flow.state === "sent_email") {
      renderCodeSent(flow);
      return;
    }
    flow.ui.setCsrf(flow.csrfToken);
    if (flow.state === "passed_challenge") return;
    flow.ui.append(emailNode("code"), methodSubmitNode("code", "code"));
  },

  async submit(flow, body, ctx) {
    const email = typeof body.email === "string" ? body.email.trim() : "";
    const code = typeof body.code === "string" ? body.code.trim() : "";
    const enabled = codeStrategyEnabled(ctx.deps.config);
    const v2 = isRecoveryV2State(flow.state);
    // code.Strategy.Recover: past the first screen of a v1 flow a submission without an email is a code (even on a
    // passed flow), checked against the handler's flow; v2 (recovery-v2.ts) decides by the state and checks no method.
    if (!v2 && flow.state !== "choose_method" && email === "") {
      refuseIfOff(enabled);
      return useCode(flow, code, ctx);
    }
    // Otherwise someone signed in is answered first, then (v1) the method check: MethodEnabledAndAllowed(code,
    // body.Method) — another method (or none) makes the submission not this strategy's, the handler asks the link
    // strategy, else answers "no strategy".
    if (refuseWhenSignedIn(ctx)) return { kind: "responded" };
    if (!v2) {
      if (body.method !== "code") return { kind: "not_responsible" };
      refuseIfOff(enabled);
    }
    // Then the flow the body names is the one whose state decides (flow/recovery/body-flow.ts).
    const bodyFlow = await recoveryFlowOfBody(flow, body, ctx);
    if (bodyFlow.kind === "answer") return bodyFlow.result;
    if (bodyFlow.kind === "other") return submitOnBodyFlow(flow, bodyFlow.flow, body, email, ctx);
    if (v2) return submitRecoveryV2(flow, body, ctx, { useCode });
    if (body.screen === "previous") return goBackFromV1(flow, body, ctx);
    // A passed flow starts over (retryRecoveryFlow with 4060001).
    if (flow.state === "passed_challenge") return { kind: "retry", message: mailMessages.recoveryRetrySuccess(), answer: "code_recovery" };
    if (email === "") throw FlowValidationError.field("email", messages.required("email"));
    await sendRecoveryCode(flow, email, ctx);
    return { kind: "flow" };
  },
};

/**
 * Recover on a body `flow` other than the handler's: `screen=previous` still
 * goes back on the handler's flow (recoveryV2HandleGoBack(r, f, body)), and
 * the body flow's state picks the step, run on that flow — its code checked,
 * its CSRF token required before a mail (recoveryHandleFormSubmission's
 * EnsureCSRF with its type), a retry taking its type. The handler then
 * answers with its own flow as stored, except where recoveryUseCode answers
 * with the body's flow (a wrong code) or signs in (recoveryIssueSession).
 */
function submitOnBodyFlow(
  handlerFlow: Flow,
  acted: Flow,
  body: JsonObject,
  email: string,
  ctx: StrategyContext,
): Promise<AddressFlowResult> {
  if (body.screen === "previous") return goBackFromV1(handlerFlow, body, ctx);
  return refusingOnHandlerFlow(handlerFlow, async () => {
    if (isRecoveryV2State(acted.state)) {
      const codes = {
        useCode: async (f: Flow, code: string, c: StrategyContext): Promise<AddressFlowResult> => {
          const result = await useCode(f, code, c);
          return result.kind === "flow" ? { ...result, acted: f, answerActed: true } : result;
        },
      };
      return actingOn(acted, await recoveryV2Screen(acted, body, ctx, codes));
    }
    if (acted.state === "passed_challenge")
      return { kind: "retry", message: mailMessages.recoveryRetrySuccess(), answer: "code_recovery", acted };
    if (acted.state !== "choose_method" && acted.state !== "sent_email")
      return { kind: "retry", message: mailMessages.recoveryStateFailure(), answer: "code_recovery", acted };
    if (email === "") throw FlowValidationError.field("email", messages.required("email"));
    checkCsrf(ctx.deps, ctx.http, acted, body);
    await sendRecoveryCode(acted, email, ctx);
    return { kind: "flow", acted };
  });
}

/** Names the body's flow on a result that does not name one yet. */
function actingOn(acted: Flow, result: AddressFlowResult): AddressFlowResult {
  switch (result.kind) {
    case "flow":
    case "retry":
    case "recovered":
      return result.acted ? result : { ...result, acted };
    default:
      return result;
  }
}

/** recoveryHandleFormSubmission's "clean new state": the CSRF token, the code, the hidden and submit `method`, resend. */
function renderCodeSent(flow: Flow): void {
  clearTransientNodes(flow);
  flow.ui.setCsrf(flow.csrfToken);
  const email = codeState(flow).recovery_email;
  appendRaw(
    flow,
    codeInputNode(mailMessages.labelRecoveryCode(), { strictPattern: true }),
    inputNode("code", "method", "hidden", { value: "code" }),
    methodSubmitNode("code", "code"),
  );
  // Admin-issued codes have no address to resend to.
  if (typeof email === "string") appendRaw(flow, inputNode("code", "email", "submit", { value: email, label: mailMessages.labelResend() }));
}

async function sendRecoveryCode(flow: Flow, rawEmail: string, ctx: StrategyContext): Promise<void> {
  // recoveryHandleFormSubmission: the email channel; an unknown address is notified under its normalised value.
  await sendRecoveryCodeTo(flow, "email", rawEmail, ctx, normalizeIdentifier(rawEmail));

  flow.state = "sent_email";
  flow.active = "code";
  updateCodeState(flow, { recovery_email: rawEmail });
  renderCodeSent(flow);
  flow.ui.clearMessages();
  flow.ui.addMessage(mailMessages.recoveryCodeSent());
}

async function useCode(flow: Flow, code: string, ctx: StrategyContext): Promise<AddressFlowResult> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const submissions = await secrets.countSubmission(flow.id);
  updateCodeState(flow, { submit_count: submissions });
  // persistence/sql/persister_code.go useOneTimeCode: too many submissions and a used code are errors that
  // code.Strategy.retryRecoveryFlow turns into a fresh flow carrying them (ui.Container.ParseError: 4000001).
  if (submissions > codeMethodConfig(deps.config).config.max_submissions)
    return retryWithError(mailMessages.tooManySubmissions(), "The request was submitted too often. Please request another code.");

  const hash = code === "" ? undefined : hashSecret(deps.config, code);
  const token = hash === undefined ? undefined : await secrets.useRecoveryToken(flow.id, "code", hash);
  if (!token && hash !== undefined && (await secrets.recoveryTokenWasUsed(flow.id, "code", hash)))
    return retryWithError(mailMessages.codeAlreadyUsed(), "The code was already used. Please request another code.");
  if (!token) {
    // Kratos answers a wrong code with the flow (200) carrying 4060006, not a 400.
    flow.ui.clearMessages();
    flow.ui.addMessage(mailMessages.recoveryCodeInvalid());
    return { kind: "flow" };
  }
  if (token.tokenType === "user" && token.recoveryAddressId) {
    const address = await secrets.getRecoveryAddress(token.recoveryAddressId);
    if (address) await secrets.markIdentityAddressVerified(token.identityId, address.value);
  }
  return { kind: "recovered", identityId: token.identityId, method: "code_recovery" };
}

function retryWithError(message: UiText, reason: string): AddressFlowResult {
  return { kind: "retry", message, answer: "code_recovery", error: errors.badRequest(reason) };
}
