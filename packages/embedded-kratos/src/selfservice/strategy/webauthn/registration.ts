import { randomUUID } from "node:crypto";
import { submittedTraits, traitsToValidate } from "../submission";
import { TraitsValidationError } from "../../../identity/manager";
import { messages } from "../../../ui/messages";
import type { RegistrationFlow } from "../../flow/flow";
import { traitNodes } from "../../flow/trait-nodes";
import { registrationSchemaId } from "../../flow/registration/schema";
import { FlowValidationError } from "../../flow/validation-error";
import { checkCsrf } from "../../flow/engine";
import { decodeSubmission } from "../../flow/transient-payload";
import type { JsonObject } from "../../../http/body";
import type { StrategyContext, RegistrationStrategy } from "../strategy";
import { registrationOptions } from "./ceremony";
import { refuseIfOff } from "../disabled-endpoint";
import { webauthnConfig, webauthnEnabled } from "./config";
import { b64 } from "./credential";
import { credentialFromWebAuthn, verifyCreation } from "./new-credential";
import { errors } from "../../../http/errors";
import { setWebauthnInternal, webauthnInternal } from "./internal";
import { webauthnMessages } from "./messages";
import { displayNameNode, registerInputNode, registerTriggerNode, scriptNode } from "./nodes";
import { hasText } from "../submission";
import { requireValidTraits } from "../traits-validation";
import { now as timeNow } from "../../../clock/clock";

/**
 * config.WebAuthnForPasswordless: the flag alone, as Kratos reads it — the strategy is asked (and screens) even
 * when it is off and its relying party is not configured, which webauthnConfig would refuse.
 */
const passwordlessKeys = (ctx: StrategyContext): boolean => ctx.deps.config.selfservice.methods.webauthn?.config?.passwordless === true;

async function decodeRegistration(flow: RegistrationFlow, body: JsonObject, ctx: StrategyContext): Promise<void> {
  if (flow.type !== "browser" || !passwordlessKeys(ctx) || body.traits === undefined) return;
  await requireValidTraits(registrationSchemaId(flow, ctx.deps.schemas.defaultId), body, ctx);
}

/**
 * Sign-up with a security key (browser flows, `passwordless: true` only, as
 * in Kratos). The new identity's id is chosen when the options are made, as
 * it is the WebAuthn user handle the key binds to.
 */
export const webauthnRegistration: RegistrationStrategy = {
  // Register: a browser flow with passwordless keys and a filled `webauthn_register` is this strategy's, whatever
  // `method` names (Kratos' webauthn.js submits the form without one); anything else is ErrStrategyNotResponsible.
  responsible: ({ flow, body }, ctx) => flow.type === "browser" && passwordlessKeys(ctx) && hasText(body, "webauthn_register"),
  populate: (flow: RegistrationFlow, ctx: StrategyContext) => appendRegistrationNodes(flow, ctx, true),

  // PopulateRegistrationMethodCredentials: the same nodes without the traits (the profile screen's).
  populateCredentials: (flow, _traits, ctx) => appendRegistrationNodes(flow, ctx, false),

  // registration.go Strategy.Register: for a browser flow with passwordless keys, registration.DecodeBody checks a
  // given `traits` against the identity schema before EnsureCSRF (otherwise the strategy is not responsible).
  decode: decodeRegistration,
  // Register decodes and runs EnsureCSRF before it looks at `webauthn_register`: whatever reaches it on such a flow
  // (an unknown method) meets its schema and the CSRF check.
  async screen({ flow, body }, ctx) {
    if (flow.type !== "browser" || !passwordlessKeys(ctx)) return;
    await decodeSubmission("webauthn", "registration", { decode: decodeRegistration }, flow, body, ctx);
    checkCsrf(ctx.deps, ctx.http, flow, body);
  },

  // Register: MethodEnabledAndAllowed comes after EnsureCSRF (and after `webauthn_register` made it responsible).
  enabledCheck: "in-submit",

  async submit(flow, body, ctx) {
    refuseIfOff(webauthnEnabled(ctx.deps.config));
    const config = webauthnConfig(ctx.deps.config);
    if (flow.type !== "browser" || !config.passwordless) throw FlowValidationError.flow(messages.noStrategy("registration"));
    // Register: an empty `webauthn_register` is ErrStrategyNotResponsible.
    const answer = typeof body.webauthn_register === "string" ? body.webauthn_register : "";
    if (answer === "") throw FlowValidationError.flow(messages.noStrategy("registration"));
    const { deps } = ctx;
    const schemaId = registrationSchemaId(flow, deps.schemas.defaultId);
    const schema = deps.identities.schemaOf(schemaId);
    const traits = submittedTraits(schema, body);

    // As in Kratos the key's answer is parsed and verified before the traits are validated.
    const { registration, registrationUserId } = webauthnInternal(flow);
    if (!registration || !registrationUserId) throw errors.badRequest("Expected WebAuthN in internal context to be an object.");
    const created = await verifyCreation(config, answer, registration.challenge);

    const problems = await deps.identities.validateTraits(schemaId, traitsToValidate(schema, body));
    if (problems.length > 0) throw new FlowValidationError(problems);
    // validateCredentials: the traits must name a webauthn identifier. A taken one is found when the identity is stored.
    const identifiers = deps.identities.identifiersFor(schemaId, traits, "webauthn");
    if (identifiers.length === 0) throw FlowValidationError.flow(messages.identifierMissing());

    // The display name is stored as sent (registration.go: credentialWebAuthn.DisplayName = p.RegisterDisplayName).
    const displayName = typeof body.webauthn_register_displayname === "string" ? body.webauthn_register_displayname : "";
    const credential = credentialFromWebAuthn(created, true, displayName, timeNow());
    try {
      const identity = await deps.identities.build({
        schemaId,
        traits,
        credentials: {
          webauthn: {
            identifiers,
            version: 1,
            config: { credentials: [credential], user_handle: b64.encode(uuidBytes(registrationUserId)) },
          },
        },
      });
      identity.id = registrationUserId;
      setWebauthnInternal(flow, { registration: undefined, registrationUserId: undefined });
      return { identity, method: { method: "webauthn", aal: "aal1", completed_at: timeNow().toISOString() } };
    } catch (error) {
      if (error instanceof TraitsValidationError) throw new FlowValidationError(error.fieldErrors);
      throw error;
    }
  },
};

function uuidBytes(id: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(id.replace(/-/g, ""), "hex"));
}

async function appendRegistrationNodes(flow: RegistrationFlow, ctx: StrategyContext, withTraits: boolean): Promise<void> {
  if (flow.type !== "browser" || !webauthnConfig(ctx.deps.config).passwordless) return;
  const schema = ctx.deps.identities.schemaOf(registrationSchemaId(flow, ctx.deps.schemas.defaultId));
  const userId = webauthnInternal(flow).registrationUserId ?? randomUUID();
  // injectWebauthnRegistrationOptions: the flow's options are made once and shown again as they are.
  const kept = webauthnInternal(flow).registration;
  const { optionsJson, challenge } = kept?.optionsJson
    ? { optionsJson: kept.optionsJson, challenge: kept.challenge }
    : await registrationOptions(webauthnConfig(ctx.deps.config), { handle: uuidBytes(userId) }, []);
  setWebauthnInternal(flow, { registration: { challenge, optionsJson }, registrationUserId: userId });
  flow.ui.append(
    ...(withTraits ? traitNodes(schema, "default") : []),
    displayNameNode(),
    registerTriggerNode(optionsJson, webauthnMessages.signUp()),
    scriptNode(ctx.deps.config.publicBaseUrl),
    registerInputNode(),
  );
}
