import { normalizeIdentifier, type CodeAddress } from "../../../identity/extensions";
import { loginIdentifierLabel } from "../../flow/login/identifier-label";
import type { Identity } from "../../../identity/identity";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import type { LoginFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { LoginResult, LoginStrategy, StrategyContext } from "../strategy";
import { findCodeRecipient, loginCodeAddresses } from "./addresses";
import { allowedRequestHeaders } from "../../../request/allowed-headers";
import { codeMethodConfig } from "./config";
import { mailMessages } from "../mailed-secret/messages";
import { appendRaw, codeInputNode, methodSubmitNode } from "../mailed-secret/nodes";
import { generateCode, hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { codeState, updateCodeState } from "./state";
import {
  fastSecondFactorRecipient,
  finishSecondFactorCodeSent,
  handlesSecondFactor,
  isSecondFactorSubmission,
  populateSecondFactor,
  secondFactorRecipient,
} from "./second-factor";
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
 *
 * With `mfa_enabled` codes are a second factor on aal2 flows (see
 * ./second-factor.ts), and every code sign-in counts as aal2
 * (CompletedAuthenticationMethod) — a passwordless one too, which then
 * makes an aal1 session, as session.go SetAuthenticatorAssuranceLevel
 * falls back to for a lone aal2 method.
 */
export const codeLogin: LoginStrategy = {
  // strategy_login.go Login: passwordless and CheckAAL(aal1) pass other flows on, before the method check.
  // With passwordless off and mfa on, CheckAAL(aal2); `address` makes the submission the code strategy's whatever its method.
  responsible: ({ flow, method, body }, ctx) =>
    (method === "code" && applies(flow, ctx)) || (handlesSecondFactor(flow, ctx.deps.config) && isSecondFactorSubmission(body, method)),
  // methodEnabledAndAllowedFromRequest: only `method=code` meets the "endpoint disabled" check; an `address` alone goes on.
  skipsEnabledCheck: ({ flow, method, body }) =>
    method !== "code" && isSecondFactorSubmission(body, method) && flow.requestedAal === "aal2",
  async populate(flow, ctx) {
    // strategy.go PopulateMethod: an aal2 flow gets the address buttons when mfa is on, whatever passwordless says.
    if (flow.requestedAal === "aal2") {
      if (codeMethodConfig(ctx.deps.config).mfa_enabled) await populateSecondFactor(flow, ctx);
      return;
    }
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

  async finishForm(flow, ctx) {
    if (flow.requestedAal === "aal2" && codeMethodConfig(ctx.deps.config).mfa_enabled) await finishSecondFactorCodeSent(flow, ctx);
  },

  // strategy_login.go FastLogin2FA, once a new aal2 flow is stored.
  async fastLogin(flow, ctx) {
    const recipient = await fastSecondFactorRecipient(flow, ctx);
    if (!recipient) return false;
    await sendLoginCode(flow, recipient, ctx);
    return true;
  },

  async submit(flow, body, ctx) {
    if (handlesSecondFactor(flow, ctx.deps.config)) return submitSecondFactor(flow, body, ctx);
    if (!applies(flow, ctx)) throw FlowValidationError.flow(messages.noStrategy("login"));
    const resend = body.resend === "code";
    if (flow.state !== "sent_email" || resend) {
      const stored = codeState(flow).login_identifier;
      const identifier = resend && typeof stored === "string" ? stored : typeof body.identifier === "string" ? body.identifier.trim() : "";
      if (identifier === "") throw FlowValidationError.field("identifier", messages.required("identifier"));
      const found = await findCodeRecipient(ctx.deps, identifier);
      if ("refusal" in found) throw FlowValidationError.flow(found.refusal, { identifier });
      await sendLoginCode(flow, { identifier, ...found }, ctx);
      throw new FlowValidationError([{ name: undefined, message: mailMessages.loginCodeSent() }], { identifier });
    }

    return verifyLoginCode(flow, body, ctx);
  },
};

/**
 * Login on an aal2 flow with `mfa_enabled` (strategy_login.go Login): send
 * the code to the address chosen (choose_method, or `resend=code`), then
 * check it against the codes sent for the session's own identity
 * (loginVerifyCode with the session identity).
 */
async function submitSecondFactor(flow: LoginFlow, body: Record<string, unknown>, ctx: StrategyContext): Promise<LoginResult> {
  // SetDefaultFlowState: strings.EqualFold(resend, "code") starts over.
  const resend = typeof body.resend === "string" && body.resend.toLowerCase() === "code";
  if (flow.state === "passed_challenge" && !resend) throw FlowValidationError.flow(messages.noStrategy("login"));
  if (flow.state !== "sent_email" || resend) {
    const recipient = await secondFactorRecipient(body, ctx);
    const { identifier } = recipient;
    await sendLoginCode(flow, recipient, ctx);
    // NewCodeUINodes sets the first `identifier` input, whichever it is now.
    if (codeState(flow).mfa_identifier_shown !== undefined) updateCodeState(flow, { mfa_identifier_shown: identifier });
    throw new FlowValidationError([{ name: undefined, message: mailMessages.loginCodeSent() }]);
  }
  try {
    return await verifyLoginCode(flow, body, ctx, ctx.session?.identityId ?? "");
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    // HandleLoginError(hideIdentifier): a hidden `identifier` of cmp.Or(address, identifier) over the first one —
    // loginVerifyCode has by then lower-cased an e-mail identifier when a code was sent.
    const address = typeof body.address === "string" ? body.address : "";
    const sent = typeof body.identifier === "string" ? body.identifier : "";
    const hasCode = typeof body.code === "string" && body.code.trim() !== "";
    const shown = address !== "" ? address : hasCode && sent.includes("@") ? sent.toLowerCase() : sent;
    updateCodeState(flow, { mfa_identifier_shown: shown });
    throw new FlowValidationError(error.fieldErrors, { identifier: shown });
  }
}

/**
 * loginVerifyCode: the code must be one sent in this flow (for
 * `identityId`'s identity when given: an aal2 flow's session identity),
 * within the flow's submission limit; receiving it proves its address.
 */
async function verifyLoginCode(
  flow: LoginFlow,
  body: Record<string, unknown>,
  ctx: StrategyContext,
  identityId?: string,
): Promise<LoginResult> {
  const identifier = codeState(flow).login_identifier;
  const code = typeof body.code === "string" ? body.code.trim() : "";
  if (code === "") throw FlowValidationError.field("code", messages.required("code"), { identifier });
  const secrets = secretsFor(ctx.deps.db);
  const submissions = await secrets.countSubmission(flow.id);
  updateCodeState(flow, { submit_count: submissions });
  if (submissions > codeMethodConfig(ctx.deps.config).config.max_submissions)
    throw FlowValidationError.flow(mailMessages.tooManySubmissions(), { identifier });
  const used = await secrets.useLoginRegistrationCode(flow.id, "login", hashSecret(ctx.deps.config, code), identityId);
  const identity = used?.identityId ? await ctx.deps.identityRepository.get(used.identityId, { withCredentials: true }) : undefined;
  if (!used || !identity) throw FlowValidationError.flow(mailMessages.loginCodeInvalid(), { identifier });

  // Receiving the code proves the address, as in Kratos.
  const address = identity.verifiableAddresses.find((a) => a.value === used.address && !a.verified);
  if (address) {
    await secrets.markAddressVerified(address.id);
    Object.assign(address, { verified: true, status: "completed", verifiedAt: timeNow() });
  }
  // CompletedAuthenticationMethod: aal2 whenever codes are a second factor.
  const aal = codeMethodConfig(ctx.deps.config).mfa_enabled ? "aal2" : "aal1";
  return { identity, method: { method: "code", aal, completed_at: timeNow().toISOString() } };
}

function applies(flow: LoginFlow, ctx: StrategyContext): boolean {
  return codeMethodConfig(ctx.deps.config).passwordless_enabled && flow.requestedAal !== "aal2";
}

async function sendLoginCode(
  flow: LoginFlow,
  { identifier, identity, addresses }: { identifier: string; identity: Identity; addresses: CodeAddress[] },
  ctx: StrategyContext,
): Promise<void> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const lifespan = codeMethodConfig(deps.config).config.lifespan;
  const requestHeaders = allowedRequestHeaders(deps.config, ctx.http.req.headersDistinct);
  await deps.db.transaction(async (tx) => {
    await secrets.deleteLoginRegistrationCodesOfFlow(tx, flow.id);
    // code_sender.go SendCode: one code per address, the address's channel picks the email or the SMS template.
    for (const { address, channel: via } of loginCodeAddresses(addresses, normalizeIdentifier(identifier))) {
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
        requestHeaders,
      } as const;
      if (via === "sms") await deps.courier.queueSms(tx, message);
      else await deps.courier.queueEmail(tx, message);
    }
  });
  flow.state = "sent_email";
  flow.active = "code";
  updateCodeState(flow, { login_identifier: identifier });
}
