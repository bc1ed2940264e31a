import { normalizeIdentifier } from "../../../identity/extensions";
import { loginIdentifierLabel } from "../../flow/login/identifier-label";
import type { Identity } from "../../../identity/identity";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import type { LoginFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { StrategyContext, LoginStrategy } from "../strategy";
import { codeAddressChannel, findCodeIdentity } from "./addresses";
import { codeMethodConfig } from "./config";
import { mailMessages } from "../mailed-secret/messages";
import { appendRaw, codeInputNode, methodSubmitNode } from "../mailed-secret/nodes";
import { generateCode, hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { codeState, updateCodeState } from "./state";
import { now as timeNow } from "../../../clock/clock";

/**
 * Passwordless login by one-time code (`selfservice.methods.code.passwordless_enabled`,
 * code.Strategy.Login): first submission (identifier) mails a code and
 * moves the flow to `sent_email` (answered like a validation error — 400
 * with the flow for JSON, 303 back to the UI for browsers — as Kratos does);
 * the second (code) signs in with method `code` at aal1. As in Kratos, an
 * identifier no identity can sign in with by code is refused with 4000035,
 * and an inactive identity is sent its code and refused when it signs in
 * (ActivateSession's "identity is disabled").
 */
export const codeLogin: LoginStrategy = {
  // strategy_login.go Login: passwordless and CheckAAL(aal1) pass other flows on, before the method check.
  responsible: ({ flow, method }, ctx) => method === "code" && applies(flow, ctx),
  populate(flow, ctx) {
    if (!applies(flow, ctx)) return;
    if (flow.state === "sent_email") {
      const identifier = codeState(flow).login_identifier;
      flow.ui.upsert(
        inputNode("default", "identifier", "hidden", { value: typeof identifier === "string" ? identifier : "", required: true }),
      );
      flow.ui.removeGroup("code");
      appendRaw(
        flow,
        codeInputNode(mailMessages.labelLoginCode()),
        inputNode("code", "method", "hidden", { value: "code" }),
        methodSubmitNode("code", "code"),
        inputNode("code", "resend", "submit", { value: "code", label: mailMessages.labelResend() }),
      );
      return;
    }
    if (!flow.ui.findInput("identifier"))
      flow.ui.append(inputNode("default", "identifier", "text", { required: true, label: loginIdentifierLabel(ctx.deps.schemas, flow) }));
    flow.ui.append(methodSubmitNode("code", "code", mailMessages.loginSendCode()));
  },

  // PopulateLoginMethodIdentifierFirstCredentials: with passwordless codes, a known account (or any, under mitigation) gets the send button.
  populateIdentifierFirstCredentials(flow, { identity }, ctx) {
    if (!codeMethodConfig(ctx.deps.config).passwordless_enabled) return false;
    if (!identity && !ctx.deps.config.security.account_enumeration.mitigate) return false;
    flow.ui.append(methodSubmitNode("code", "code", mailMessages.loginSendCode()));
    return true;
  },

  async submit(flow, body, ctx) {
    if (!applies(flow, ctx)) throw FlowValidationError.flow(messages.noStrategy("login"));
    const resend = body.resend === "code";
    if (flow.state !== "sent_email" || resend) {
      const stored = codeState(flow).login_identifier;
      const identifier = resend && typeof stored === "string" ? stored : typeof body.identifier === "string" ? body.identifier.trim() : "";
      if (identifier === "") throw FlowValidationError.field("identifier", messages.required("identifier"));
      const identity = await findCodeIdentity(ctx.deps, identifier);
      if (!identity) throw FlowValidationError.flow(mailMessages.noCodeUser(), { identifier });
      await sendLoginCode(flow, identifier, identity, ctx);
      throw new FlowValidationError([{ name: undefined, message: mailMessages.loginCodeSent() }], { identifier });
    }

    const identifier = codeState(flow).login_identifier;
    const code = typeof body.code === "string" ? body.code.trim() : "";
    if (code === "") throw FlowValidationError.field("code", messages.required("code"), { identifier });
    const secrets = secretsFor(ctx.deps.db);
    const submissions = await secrets.countSubmission(flow.id);
    updateCodeState(flow, { submit_count: submissions });
    if (submissions > codeMethodConfig(ctx.deps.config).config.max_submissions)
      throw FlowValidationError.flow(mailMessages.tooManySubmissions(), { identifier });
    const used = await secrets.useLoginRegistrationCode(flow.id, "login", hashSecret(ctx.deps.config, code));
    const identity = used?.identityId ? await ctx.deps.identityRepository.get(used.identityId, { withCredentials: true }) : undefined;
    if (!used || !identity) throw FlowValidationError.flow(mailMessages.loginCodeInvalid(), { identifier });

    // Receiving the code proves the address, as in Kratos.
    const address = identity.verifiableAddresses.find((a) => a.value === used.address && !a.verified);
    if (address) {
      await secrets.markAddressVerified(address.id);
      Object.assign(address, { verified: true, status: "completed", verifiedAt: timeNow() });
    }
    return { identity, method: { method: "code", aal: "aal1", completed_at: timeNow().toISOString() } };
  },
};

function applies(flow: LoginFlow, ctx: StrategyContext): boolean {
  return codeMethodConfig(ctx.deps.config).passwordless_enabled && flow.requestedAal !== "aal2";
}

async function sendLoginCode(flow: LoginFlow, identifier: string, identity: Identity, ctx: StrategyContext): Promise<void> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const lifespan = codeMethodConfig(deps.config).config.lifespan;
  const address = normalizeIdentifier(identifier);
  const via = codeAddressChannel(identity, address);
  await deps.db.transaction(async (tx) => {
    await secrets.deleteLoginRegistrationCodesOfFlow(tx, flow.id);
    const code = generateCode();
    await secrets.createLoginRegistrationCode(tx, {
      flowId: flow.id,
      kind: "login",
      hash: hashSecret(deps.config, code),
      address,
      via,
      identityId: identity.id,
      expiresAt: timeNow().add(lifespan),
    });
    const message = {
      templateType: "login_code_valid",
      recipient: address,
      model: {
        To: address,
        LoginCode: code,
        Identity: publicIdentityJson(deps, identity),
        RequestURL: flow.requestUrl,
        ExpiresInMinutes: Math.round(lifespan / 60_000),
      },
    } as const;
    // code_sender.go SendCode: the address's channel picks the email or the SMS template.
    if (via === "sms") await deps.courier.queueSms(tx, message);
    else await deps.courier.queueEmail(tx, message);
  });
  flow.state = "sent_email";
  flow.active = "code";
  updateCodeState(flow, { login_identifier: identifier });
}
