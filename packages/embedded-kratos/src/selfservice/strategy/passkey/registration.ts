import { errors, KratosError } from "../../../http/errors";
import { TraitsValidationError } from "../../../identity/manager";
import { now as timeNow } from "../../../clock/clock";
import type { RegistrationFlow } from "../../flow/flow";
import { registrationSchemaId } from "../../flow/registration/schema";
import { traitNodes } from "../../flow/trait-nodes";
import { decodeSubmission } from "../../flow/transient-payload";
import { FlowValidationError } from "../../flow/validation-error";
import type { JsonObject } from "../../../http/body";
import type { RegistrationStrategy, StrategyContext } from "../strategy";
import { submittedTraits } from "../submission";
import { requireValidTraits } from "../traits-validation";
import { registrationOptions } from "../webauthn/ceremony";
import { b64 } from "../webauthn/credential";
import { scriptNode } from "../webauthn/nodes";
import { refuseIfOff } from "../disabled-endpoint";
import { passkeyConfig, passkeyEnabled } from "./config";
import { newPasskeyCredential, newUserHandle, submittedPasskey, verifyPasskeyCreation } from "./credential";
import { displayNameFieldName } from "./display-name";
import { passkeyInternal, setPasskeyInternal } from "./internal";
import { createDataNode, registerInputNode, registerTriggerNode } from "./nodes";

async function decodeRegistration(flow: RegistrationFlow, body: JsonObject, ctx: StrategyContext): Promise<void> {
  if (body.traits !== undefined) await requireValidTraits(registrationSchemaId(flow, ctx.deps.schemas.defaultId), body, ctx);
}

const isObject = (value: unknown): boolean => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Sign-up with a passkey (passkey_registration.go): browser and API flows.
 * The options are made once per flow and kept (hydratePassKeyRegistrationOptions),
 * bound to a random user handle that becomes the `passkey` credential's identifier.
 */
export const passkeyRegistration: RegistrationStrategy = {
  // Register: an empty `passkey_register` (or the SDK's "true") is ErrStrategyNotResponsible, whatever `method` says.
  responsible: ({ body }) => submittedPasskey(body, "passkey_register") !== "",
  populate: (flow, ctx) => appendRegistrationNodes(flow, ctx, true),
  populateCredentials: (flow, _traits, ctx) => appendRegistrationNodes(flow, ctx, false),
  // PopulateRegistrationMethodProfile: the options are made (and kept) but not shown.
  populateProfile: async (flow, ctx) => {
    await hydrateOptions(flow, ctx);
  },

  // passkey_registration.go Strategy.Register: registration.DecodeBody checks a given `traits` against the identity schema before EnsureCSRF.
  decode: decodeRegistration,
  // Register decodes (DecodeBody) before it looks at `passkey_register`: whatever reaches it (webauthn, an unknown
  // method) meets its schema, the identity schema's traits included.
  screen: ({ flow, body }, ctx) => decodeSubmission("passkey", "registration", { decode: decodeRegistration }, flow, body, ctx),
  // Register sets the submitted `method` to "passkey" right before MethodEnabledAndAllowed(p.Method, p.Method), so
  // the check compares the strategy's id with itself: the `method` sent never matters, and a strategy config has off
  // is refused only after the decode and EnsureCSRF.
  enabledCheck: "in-submit",

  async submit(flow, body, ctx) {
    const { deps } = ctx;
    refuseIfOff(passkeyEnabled(deps.config));
    const config = passkeyConfig(deps.config);
    const schemaId = registrationSchemaId(flow, deps.schemas.defaultId);
    const traits = submittedTraits(deps.identities.schemaOf(schemaId), body);
    const session = passkeyInternal(flow).registration;
    if (!session) throw new KratosError(500, { reason: "Expected WebAuthN in internal context to be an object." });

    const created = await verifyPasskeyCreation(config, body.passkey_register, session.challenge);
    // validateCredentials: a `traits` that is no object is validated as given (the schema's `type` refuses it).
    if (body.traits !== undefined && !isObject(body.traits)) {
      const problems = await deps.identities.validateTraits(schemaId, body.traits);
      if (problems.length > 0) throw new FlowValidationError(problems);
    }
    try {
      const identity = await deps.identities.build({
        schemaId,
        traits,
        credentials: {
          passkey: {
            identifiers: [session.userHandle],
            version: 1,
            config: { credentials: [newPasskeyCredential(created, timeNow())], user_handle: b64.encode(Buffer.from(session.userHandle)) },
          },
        },
      });
      return { identity, method: { method: "passkey", aal: "aal1", completed_at: timeNow().toISOString() } };
    } catch (error) {
      if (error instanceof TraitsValidationError) throw new FlowValidationError(error.fieldErrors);
      throw error;
    }
  },
};

/** hydratePassKeyRegistrationOptions: the flow's kept options, or new ones with a new user handle. */
async function hydrateOptions(flow: RegistrationFlow, ctx: StrategyContext): Promise<string> {
  const kept = passkeyInternal(flow).registration;
  if (kept) return kept.optionsJson;
  const schema = ctx.deps.identities.schemaOf(registrationSchemaId(flow, ctx.deps.schemas.defaultId));
  const fieldName = displayNameFieldName(schema);
  if (fieldName === undefined) throw errors.internal();
  const userHandle = newUserHandle();
  const { optionsJson, challenge } = await registrationOptions(
    passkeyConfig(ctx.deps.config),
    { handle: new Uint8Array(Buffer.from(userHandle)) },
    [],
    "passkey",
  );
  const createData = `{"credentialOptions":${optionsJson},"displayNameFieldName":${JSON.stringify(fieldName)}}`;
  setPasskeyInternal(flow, { registration: { challenge, userHandle, optionsJson: createData } });
  return createData;
}

async function appendRegistrationNodes(flow: RegistrationFlow, ctx: StrategyContext, withTraits: boolean): Promise<void> {
  const createData = await hydrateOptions(flow, ctx);
  const browser = flow.type === "browser";
  const schema = ctx.deps.identities.schemaOf(registrationSchemaId(flow, ctx.deps.schemas.defaultId));
  flow.ui.append(
    ...(withTraits ? traitNodes(schema, "default") : []),
    createDataNode(createData),
    registerTriggerNode(browser),
    ...(browser ? [scriptNode(ctx.deps.config.publicBaseUrl)] : []),
    registerInputNode(),
  );
}
