import { normalizeIdentifier } from "../../../identity/extensions";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import type { Flow } from "../../flow/flow";
import { FlowValidationError, type FlowStrategy, type FlowUpdatedResult, type StrategyContext } from "../strategy";
import { codeMethodConfig } from "./config";
import { codeMessages } from "./messages";
import { appendRaw, codeInputNode, emailNode, methodSubmitNode } from "./nodes";
import { completeRecovery, refuseWhenSignedIn } from "./recovery-session";
import { generateCode, hashSecret } from "./secrets";
import { secretsFor } from "./tokens";
import { inputNode } from "../../../ui/node";

/** Flow-private keys this strategy keeps in `flow.internal`. */
export const RECOVERY_EMAIL = "code_recovery_email";

/**
 * Recovery by one-time code (selfservice/strategy/code, recovery v1 screens):
 * choose_method (email) → sent_email (code + resend) → passed_challenge.
 * The answer to an email is the same whether or not an account uses it.
 */
export const codeRecovery: FlowStrategy<FlowUpdatedResult> = {
  populate(flow) {
    if (flow.state === "sent_email") {
      renderCodeSent(flow);
      return;
    }
    if (flow.state === "passed_challenge") return;
    flow.ui.append(emailNode("code"), methodSubmitNode("code", "code"));
  },

  async submit(flow, body, ctx) {
    const email = typeof body.email === "string" ? body.email.trim() : "";
    const code = typeof body.code === "string" ? body.code.trim() : "";
    if (ctx.http.method === "GET") return { kind: "flow" };
    if (flow.state === "passed_challenge") throw FlowValidationError.flow(codeMessages.recoveryRetrySuccess());
    if (flow.state === "sent_email" && email === "") return useCode(flow, code, ctx);
    if (refuseWhenSignedIn(ctx)) return { kind: "responded" };
    if (email === "") throw FlowValidationError.field("email", messages.required("email"));
    await sendRecoveryCode(flow, email, ctx);
    return { kind: "flow" };
  },
};

function renderCodeSent(flow: Flow): void {
  flow.ui.removeGroup("code");
  const email = flow.internal[RECOVERY_EMAIL];
  appendRaw(
    flow,
    codeInputNode(codeMessages.labelRecoveryCode(), { strictPattern: true }),
    inputNode("code", "method", "hidden", { value: "code" }),
    methodSubmitNode("code", "code"),
  );
  // Admin-issued codes have no address to resend to.
  if (typeof email === "string") appendRaw(flow, inputNode("code", "email", "submit", { value: email, label: codeMessages.labelResend() }));
}

async function sendRecoveryCode(flow: Flow, rawEmail: string, ctx: StrategyContext): Promise<void> {
  const { deps } = ctx;
  const email = normalizeIdentifier(rawEmail);
  const secrets = secretsFor(deps.db);
  const lifespan = codeMethodConfig(deps.config).config.lifespan;
  const address = await secrets.findRecoveryAddress(email);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;

  await deps.db.transaction(async (tx) => {
    await secrets.deleteRecoveryTokensOfFlow(tx, flow.id, "code");
    if (address && identity) {
      const code = generateCode();
      await secrets.createRecoveryToken(tx, {
        strategy: "code",
        hash: hashSecret(deps.config, code),
        identityId: identity.id,
        recoveryAddressId: address.id,
        flowId: flow.id,
        tokenType: "user",
        expiresAt: new Date(Date.now() + lifespan),
      });
      await deps.courier.queueEmail(tx, {
        templateType: "recovery_code_valid",
        recipient: address.value,
        model: {
          To: address.value,
          RecoveryCode: code,
          Identity: publicIdentityJson(deps, identity),
          RequestURL: flow.requestUrl,
          ExpiresInMinutes: Math.round(lifespan / 60_000),
        },
      });
    } else if (deps.config.selfservice.flows.recovery.notify_unknown_recipients === true) {
      await deps.courier.queueEmail(tx, { templateType: "recovery_code_invalid", recipient: email, model: { To: email, RequestURL: flow.requestUrl } });
    }
  });

  flow.state = "sent_email";
  flow.active = "code";
  flow.internal[RECOVERY_EMAIL] = rawEmail;
  renderCodeSent(flow);
  flow.ui.clearMessages();
  flow.ui.addMessage(codeMessages.recoveryCodeSent());
}

async function useCode(flow: Flow, code: string, ctx: StrategyContext): Promise<FlowUpdatedResult> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const submissions = await secrets.countSubmission(flow.id);
  flow.internal.code_submit_count = submissions;
  if (submissions > codeMethodConfig(deps.config).config.max_submissions) throw FlowValidationError.flow(codeMessages.tooManySubmissions());

  const token = code === "" ? undefined : await secrets.useRecoveryToken(flow.id, "code", hashSecret(deps.config, code));
  if (!token) {
    // Kratos answers a wrong code with the flow (200) carrying 4060006, not a 400.
    flow.ui.clearMessages();
    flow.ui.addMessage(codeMessages.recoveryCodeInvalid());
    return { kind: "flow" };
  }
  if (token.tokenType === "user" && token.recoveryAddressId) {
    const address = await secrets.getRecoveryAddress(token.recoveryAddressId);
    if (address) await secrets.markIdentityAddressVerified(token.identityId, address.value);
  }
  return completeRecovery(flow, token.identityId, "code_recovery", ctx);
}
