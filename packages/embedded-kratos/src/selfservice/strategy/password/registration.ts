import { TraitsValidationError } from "../../../identity/manager";
import { submittedTraits, traitsToValidate } from "../submission";
import type { FieldError } from "../../../identity/schema-registry";
import { messages } from "../../../ui/messages";
import { traitNodes } from "../../flow/trait-nodes";
import { FlowValidationError } from "../../flow/validation-error";
import type { JsonObject } from "../../../http/body";
import type { RegistrationFlow } from "../../flow/flow";
import type { RegistrationStrategy, StrategyContext } from "../strategy";
import { passwordNode, submitNode } from "./nodes";
import { checkPasswordPolicyPerIdentifier } from "./policy";
import { registrationSchemaId } from "../../flow/registration/schema";
import { now as timeNow } from "../../../clock/clock";

export const passwordRegistration: RegistrationStrategy = {
  populate(flow, ctx) {
    const schema = ctx.deps.identities.schemaOf(registrationSchemaId(flow, ctx.deps.schemas.defaultId));
    flow.ui.append(...traitNodes(schema, "default"), passwordNode("new-password"), submitNode(messages.registrationSubmit()));
  },

  // PopulateRegistrationMethodCredentials: the password and its "Sign up" button (the traits are the profile screen's).
  populateCredentials(flow) {
    flow.ui.append(passwordNode("new-password"), submitNode(messages.registrationSubmit()));
  },

  // registration.go Strategy.Register: registration.DecodeBody validates the payload, a given `traits` against the identity schema, before EnsureCSRF.
  async decode(flow, body, ctx) {
    await requireValidPayload(flow, body, ctx, false);
  },

  async submit(flow, body, ctx) {
    const { deps } = ctx;
    const schemaId = registrationSchemaId(flow, deps.schemas.defaultId);
    const schema = deps.identities.schemaOf(schemaId);
    const traits = submittedTraits(schema, body);
    const password = typeof body.password === "string" ? body.password : "";
    // After EnsureCSRF the identity's validation checks the traits, absent ones included.
    await requireValidPayload(flow, body, ctx, true);

    const identifiers = deps.identities.identifiersFor(schemaId, traits, "password");
    if (identifiers.length === 0) throw FlowValidationError.flow(messages.identifierMissing());
    const policyViolation = checkPasswordPolicyPerIdentifier(deps.config, identifiers, password);
    if (policyViolation) throw FlowValidationError.field("password", policyViolation);
    // A taken identifier is found when the identity is stored (the registration handler answers it), as in Kratos.

    const hashed = await deps.hasher.hash(password);
    try {
      const identity = await deps.identities.build({
        schemaId,
        traits,
        credentials: { password: { config: { hashed_password: hashed }, version: 1 } },
      });
      return { identity, method: { method: "password", aal: "aal1", completed_at: timeNow().toISOString() } };
    } catch (error) {
      if (error instanceof TraitsValidationError) throw new FlowValidationError(error.fieldErrors);
      throw error;
    }
  },
};

/** The traits' problems (when given, or `absentToo`) and a missing password, reported together. */
async function requireValidPayload(flow: RegistrationFlow, body: JsonObject, ctx: StrategyContext, absentToo: boolean): Promise<void> {
  const schemaId = registrationSchemaId(flow, ctx.deps.schemas.defaultId);
  const schema = ctx.deps.identities.schemaOf(schemaId);
  const problems: FieldError[] =
    absentToo || body.traits !== undefined ? [...(await ctx.deps.identities.validateTraits(schemaId, traitsToValidate(schema, body)))] : [];
  if (typeof body.password !== "string" || body.password === "")
    problems.push({ name: "password", message: messages.required("password") });
  if (problems.length > 0) throw new FlowValidationError(problems);
}
