import { withRequestSignal } from "../../../courier/request-signal";
import type { RenderedMessage } from "../../../courier/courier";
import type { JsonObject } from "../../../http/body";
import { extractFromTraits } from "../../../identity/extensions";
import { allowedRequestHeaders } from "../../../request/allowed-headers";
import { submittedTraits, traitsToValidate } from "../submission";
import { TraitsValidationError } from "../../../identity/manager";
import { messages } from "../../../ui/messages";
import { csrfNode, inputNode } from "../../../ui/node";
import type { RegistrationFlow } from "../../flow/flow";
import { traitNodes } from "../../flow/trait-nodes";
import { registrationSchemaId } from "../../flow/registration/schema";
import { FlowValidationError } from "../../flow/validation-error";
import type { StrategyContext, RegistrationStrategy } from "../strategy";
import { canonicalJson } from "./addresses";
import { codeMethodConfig } from "./config";
import { mailMessages } from "../mailed-secret/messages";
import { appendRaw, methodSubmitNode } from "../mailed-secret/nodes";
import { clearTransientNodes, sentCodeInputNode } from "./code-sent-form";
import { registrationTwoSteps } from "../../flow/registration/profile-first";
import { profileMessages } from "../profile/messages";
import { generateCode, hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { codeState, updateCodeState } from "./state";
import { now as timeNow } from "../../../clock/clock";
import { requireValidTraits } from "../traits-validation";

/**
 * Passwordless registration by one-time code: the traits are validated and
 * a code is mailed to every code identifier in them (flow → `sent_email`,
 * 1040005); submitting the same traits with the code builds the identity,
 * with the address it proved marked verified. An address that already has
 * an account gets a code too, so the answer never reveals it; the duplicate
 * surfaces only to whoever can read that inbox.
 */
export const codeRegistration: RegistrationStrategy = {
  populate(flow, ctx) {
    if (!codeMethodConfig(ctx.deps.config).passwordless_enabled) return;
    const schema = ctx.deps.identities.schemaOf(registrationSchemaId(flow, ctx.deps.schemas.defaultId));
    // Once a code was sent, finishForm replaces the form.
    if (flow.state === "sent_email") return;
    for (const node of traitNodes(schema, "default")) if (!flow.ui.find(node.attributes.name, "default")) flow.ui.append(node);
    flow.ui.append(methodSubmitNode("code", "code", mailMessages.registrationSendCode()));
  },

  /**
   * strategy.go populateEmailSentFlow for registration: the nodes of other
   * groups stay (ClearTransientNodes), then the form's `default` inputs — the
   * CSRF token and the traits, now hidden — in its order, the hidden
   * `method`, the code input, the submit and resend buttons, and with
   * two-step registration a button back to the credential selection.
   * Kratos answers it unsorted (Register does not sort); a later error's
   * answer sorts it (the flow's render).
   */
  finishForm(flow, ctx) {
    if (flow.state !== "sent_email" || !codeMethodConfig(ctx.deps.config).passwordless_enabled) return;
    const schema = ctx.deps.identities.schemaOf(registrationSchemaId(flow, ctx.deps.schemas.defaultId));
    const traits = codeState(flow).registration_traits;
    const hiddenTraits = traitNodes(schema, "default", isObject(traits) ? traits : {}).map((node) => {
      node.attributes.type = "hidden";
      delete node.attributes.autocomplete;
      return node;
    });
    clearTransientNodes(flow);
    appendRaw(
      flow,
      csrfNode(flow.csrfToken),
      ...hiddenTraits,
      inputNode("code", "method", "hidden", { value: "code" }),
      sentCodeInputNode(mailMessages.labelRegistrationCode()),
      methodSubmitNode("code", "code"),
      inputNode("code", "resend", "submit", { value: "code", label: mailMessages.labelResend() }),
      ...(registrationTwoSteps(ctx.deps.config)
        ? [inputNode("profile", "screen", "submit", { value: "credential-selection", label: profileMessages.back() })]
        : []),
    );
  },

  // PopulateRegistrationMethodCredentials: with passwordless codes, the "Send sign up code" button.
  populateCredentials(flow, _traits, ctx) {
    if (codeMethodConfig(ctx.deps.config).passwordless_enabled)
      flow.ui.append(methodSubmitNode("code", "code", mailMessages.registrationSendCode()));
  },

  // strategy_registration.go Strategy.Register: registration.DecodeBody checks a given `traits` against the identity schema before EnsureCSRF.
  async decode(flow, body, ctx) {
    if (codeMethodConfig(ctx.deps.config).passwordless_enabled && body.traits !== undefined)
      await requireValidTraits(registrationSchemaId(flow, ctx.deps.schemas.defaultId), body, ctx);
  },

  async submit(flow, body, ctx) {
    const { deps } = ctx;
    if (!codeMethodConfig(deps.config).passwordless_enabled) throw FlowValidationError.flow(messages.noStrategy("registration"));
    const schemaId = registrationSchemaId(flow, deps.schemas.defaultId);
    const schema = deps.identities.schemaOf(schemaId);
    const stored = codeState(flow).registration_traits;
    const resend = body.resend === "code";
    const traits = resend && isObject(stored) ? stored : submittedTraits(schema, body);

    if (flow.state !== "sent_email" || resend) {
      const problems = await deps.identities.validateTraits(schemaId, resend && isObject(stored) ? traits : traitsToValidate(schema, body));
      if (problems.length > 0) throw new FlowValidationError(problems);
      const addresses = deps.identities.identifiersFor(schemaId, traits, "code");
      if (addresses.length === 0) throw FlowValidationError.flow(messages.identifierMissing());
      await sendRegistrationCode(flow, traits, ctx);
      throw new FlowValidationError([{ name: undefined, message: mailMessages.registrationCodeSent() }], {}, { asBuilt: true });
    }

    const code = typeof body.code === "string" ? body.code.trim() : "";
    if (code === "") throw FlowValidationError.field("code", messages.required("code"));
    if (!isObject(stored) || canonicalJson(stored) !== canonicalJson(traits)) throw FlowValidationError.flow(mailMessages.traitsMismatch());
    const secrets = secretsFor(deps.db);
    const submissions = await secrets.countSubmission(flow.id);
    updateCodeState(flow, { submit_count: submissions });
    if (submissions > codeMethodConfig(deps.config).config.max_submissions)
      throw FlowValidationError.flow(mailMessages.tooManySubmissions());
    const used = await secrets.useLoginRegistrationCode(flow.id, "registration", hashSecret(deps.config, code));
    if (!used) throw FlowValidationError.flow(mailMessages.registrationCodeInvalid());

    const addresses = deps.identities.identifiersFor(schemaId, stored, "code");
    let identity;
    try {
      identity = await deps.identities.build({
        schemaId,
        traits: stored,
        credentials: {
          code: { identifiers: addresses, config: { addresses: addresses.map((address) => ({ channel: "email", address })) }, version: 1 },
        },
        verifiableAddresses: [{ value: used.address, via: used.addressVia, verified: true, status: "completed" }],
      });
    } catch (error) {
      if (error instanceof TraitsValidationError) throw new FlowValidationError(error.fieldErrors);
      throw error;
    }
    return { identity, method: { method: "code", aal: "aal1", completed_at: timeNow().toISOString() } };
  },
};

async function sendRegistrationCode(flow: RegistrationFlow, traits: JsonObject, ctx: StrategyContext): Promise<void> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const lifespan = codeMethodConfig(deps.config).config.lifespan;
  const requestHeaders = allowedRequestHeaders(deps.config, ctx.http.req.headersDistinct);
  // strategy_registration.go registrationSendEmail: the addresses the code credential would list, with their channel.
  const schema = deps.identities.schemaOf(registrationSchemaId(flow, deps.schemas.defaultId));
  // code_sender.go SendCode: one code per address; an `sms` address gets the SMS template (its traits as `Identity`).
  // The messages are rendered before the transaction opens: a template fetched over http(s) holds no pooled connection.
  const sends: { address: string; via: string; code: string; rendered: RenderedMessage }[] = [];
  for (const { address, channel: via } of extractFromTraits(schema, traits).codeAddresses) {
    const code = generateCode();
    const model = { To: address, RegistrationCode: code, RequestURL: flow.requestUrl, ExpiresInMinutes: Math.round(lifespan / 60_000) };
    const templateType = "registration_code_valid";
    const rendered = await withRequestSignal(ctx.http.req, (signal) =>
      via === "sms"
        ? deps.courier.renderSms({ templateType, recipient: address, model: { ...model, Identity: traits }, requestHeaders, signal })
        : deps.courier.renderEmail({ templateType, recipient: address, model: { ...model, Traits: traits }, requestHeaders, signal }),
    );
    sends.push({ address, via, code, rendered });
  }
  await deps.db.transaction(async (tx) => {
    await secrets.deleteLoginRegistrationCodesOfFlow(tx, flow.id);
    for (const { address, via, code, rendered } of sends) {
      await secrets.createLoginRegistrationCode(tx, {
        flowId: flow.id,
        kind: "registration",
        hash: hashSecret(deps.config, code),
        address,
        via,
        expiresAt: timeNow().add(lifespan),
      });
      await deps.courier.enqueue(tx, rendered);
    }
  });
  flow.state = "sent_email";
  flow.active = "code";
  updateCodeState(flow, { registration_traits: traits });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
