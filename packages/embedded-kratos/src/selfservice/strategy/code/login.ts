import { withRequestSignal } from "../../../courier/request-signal";
import type { RenderedMessage } from "../../../courier/courier";
import type { CodeAddress } from "../../../identity/extensions";
import { loginIdentifierLabel } from "../../flow/login/identifier-label";
import type { Identity } from "../../../identity/identity";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import type { LoginFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { LoginResult, LoginStrategy, StrategyContext } from "../strategy";
import { findCodeRecipient, loginCodeAddresses, maybeNormalizeEmail } from "./addresses";
import { allowedRequestHeaders } from "../../../request/allowed-headers";
import { codeMethodConfig } from "./config";
import { mailMessages } from "../mailed-secret/messages";
import { methodSubmitNode } from "../mailed-secret/nodes";
import { buildLoginCodeSentForm } from "./code-sent-form";
import { generateCode, hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { codeState, updateCodeState } from "./state";
import {
  fastSecondFactorRecipient,
  finishSecondFactorCodeSent,
  handlesSecondFactor,
  isSecondFactorSubmission,
  populateSecondFactor,
  rememberSentIdentifiers,
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
    if (!flow.ui.findInput("identifier"))
      flow.ui.append(inputNode("default", "identifier", "text", { required: true, label: loginIdentifierLabel(ctx.deps.schemas, flow) }));
    // Once a code was sent, finishForm replaces the form (with the identifier input as the strategies built it).
    if (flow.state !== "sent_email") flow.ui.append(methodSubmitNode("code", "code", mailMessages.loginSendCode()));
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
    else if (flow.state === "sent_email" && applies(flow, ctx)) finishPasswordlessCodeSent(flow);
  },

  // strategy_login.go FastLogin2FA, once a new aal2 flow is stored.
  async fastLogin(flow, ctx) {
    const recipient = await fastSecondFactorRecipient(flow, ctx);
    if (!recipient) return false;
    rememberSentIdentifiers(flow, recipient.identifier);
    await sendLoginCode(flow, recipient, ctx);
    return true;
  },

  async submit(flow, body, ctx) {
    if (handlesSecondFactor(flow, ctx.deps.config)) return submitSecondFactor(flow, body, ctx);
    if (!applies(flow, ctx)) throw FlowValidationError.flow(messages.noStrategy("login"));
    const resend = body.resend === "code";
    if (flow.state !== "sent_email" || resend) {
      const stored = codeState(flow).login_identifier;
      const sent = (key: string) => (typeof body[key] === "string" ? body[key] : "");
      // strategy_login.go Login: maybeNormalizeEmail(cmp.Or(identifier, address)), untrimmed; HandleLoginError
      // echoes cmp.Or(address, identifier) as sent.
      const resent = resend && typeof stored === "string";
      const identifier = resent ? stored : maybeNormalizeEmail(sent("identifier") || sent("address"));
      if (identifier === "") throw FlowValidationError.field("identifier", messages.required("identifier"));
      const found = await findCodeRecipient(ctx.deps, identifier);
      if ("refusal" in found)
        throw FlowValidationError.flow(found.refusal, { identifier: resent ? stored : sent("address") || sent("identifier") });
      await sendLoginCode(flow, { identifier, ...found }, ctx);
      // NewCodeUINodes sets the first `identifier` input, whichever it is now.
      if (codeState(flow).login_identifier_shown !== undefined) updateCodeState(flow, { login_identifier_shown: identifier });
      throw new FlowValidationError([{ name: undefined, message: mailMessages.loginCodeSent() }], { identifier }, { asBuilt: true });
    }

    try {
      return await verifyLoginCode(flow, body, ctx);
    } catch (error) {
      if (!(error instanceof FlowValidationError)) throw error;
      const shown = refusedCodeIdentifier(body);
      updateCodeState(flow, { login_identifier_shown: shown });
      throw new FlowValidationError(error.fieldErrors, { identifier: shown });
    }
  },
};

/**
 * populateEmailSentFlow for a passwordless login: the identifier input the
 * form had (the first), made hidden and holding the identifier the code was
 * sent for (NewCodeUINodes), then buildLoginCodeSentForm's nodes.
 */
function finishPasswordlessCodeSent(flow: LoginFlow): void {
  const { login_identifier: sent = "", login_identifier_shown: refused } = codeState(flow);
  if (refused !== undefined) return buildLoginCodeSentForm(flow, [inputNode("default", "identifier", "hidden", { value: refused })]);
  const shown = flow.ui.findInput("identifier");
  const identifier = shown
    ? { ...shown, attributes: { ...shown.attributes } }
    : inputNode("default", "identifier", "hidden", { required: true });
  identifier.attributes.type = "hidden";
  identifier.attributes.value = sent;
  buildLoginCodeSentForm(flow, [identifier]);
}

/**
 * HandleLoginError(hideIdentifier) after a refused code: a bare hidden
 * `identifier` (no label) of cmp.Or(address, identifier) goes over the first
 * one — loginVerifyCode has by then lower-cased an e-mail identifier when a
 * code was sent.
 */
function refusedCodeIdentifier(body: Record<string, unknown>): string {
  const address = typeof body.address === "string" ? body.address : "";
  const sent = typeof body.identifier === "string" ? body.identifier : "";
  const hasCode = typeof body.code === "string" && body.code.trim() !== "";
  return address !== "" ? address : hasCode ? maybeNormalizeEmail(sent) : sent;
}

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
    rememberSentIdentifiers(flow, identifier);
    await sendLoginCode(flow, recipient, ctx);
    // NewCodeUINodes sets the first `identifier` input, whichever it is now.
    if (codeState(flow).mfa_identifier_shown !== undefined) updateCodeState(flow, { mfa_identifier_shown: identifier });
    throw new FlowValidationError([{ name: undefined, message: mailMessages.loginCodeSent() }], {}, { asBuilt: true });
  }
  try {
    return await verifyLoginCode(flow, body, ctx, ctx.session?.identityId ?? "");
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    const shown = refusedCodeIdentifier(body);
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
  const owner = identityId ?? (await passwordlessCodeOwner(body, ctx, identifier));
  const secrets = secretsFor(ctx.deps.db);
  const submissions = await secrets.countSubmission(flow.id);
  updateCodeState(flow, { submit_count: submissions });
  if (submissions > codeMethodConfig(ctx.deps.config).config.max_submissions)
    throw FlowValidationError.flow(mailMessages.tooManySubmissions(), { identifier });
  const used = await secrets.useLoginRegistrationCode(flow.id, "login", hashSecret(ctx.deps.config, code), owner);
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

/**
 * loginVerifyCode on an aal1 flow: the identity the submitted identifier
 * names (maybeNormalizeEmail(cmp.Or(address, identifier)), then
 * findIdentityForIdentifier — required when empty, 4000035 when no account
 * takes codes at it); only a code sent to that identity is accepted.
 */
async function passwordlessCodeOwner(body: Record<string, unknown>, ctx: StrategyContext, shown: unknown): Promise<string> {
  const sent = (key: string) => (typeof body[key] === "string" ? body[key] : "");
  const identifier = maybeNormalizeEmail(sent("address") || sent("identifier"));
  if (identifier === "") throw FlowValidationError.field("identifier", messages.required("identifier"), { identifier: shown });
  const found = await findCodeRecipient(ctx.deps, identifier);
  if ("refusal" in found) throw FlowValidationError.flow(found.refusal, { identifier: shown });
  return found.identity.id;
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
  // code_sender.go SendCode: one code per address, the address's channel picks the email or the SMS template. The
  // messages are rendered before the transaction opens: a template fetched over http(s) holds no pooled connection.
  const sends: { address: string; via: string; code: string; rendered: RenderedMessage }[] = [];
  for (const { address, channel: via } of loginCodeAddresses(addresses, identifier)) {
    const code = generateCode();
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
    const rendered = await withRequestSignal(ctx.http.req, (signal) =>
      via === "sms" ? deps.courier.renderSms({ ...message, signal }) : deps.courier.renderEmail({ ...message, signal }),
    );
    sends.push({ address, via, code, rendered });
  }
  await deps.db.transaction(async (tx) => {
    await secrets.deleteLoginRegistrationCodesOfFlow(tx, flow.id);
    for (const { address, via, code, rendered } of sends) {
      await secrets.createLoginRegistrationCode(tx, {
        flowId: flow.id,
        kind: "login",
        hash: hashSecret(deps.config, code),
        address,
        via,
        identityId: identity.id,
        expiresAt: timeNow().add(lifespan),
      });
      await deps.courier.enqueue(tx, rendered);
    }
  });
  flow.state = "sent_email";
  flow.active = "code";
  updateCodeState(flow, { login_identifier: identifier });
}
