import { messages } from "../../../ui/messages";
import { FlowValidationError } from "../../flow/validation-error";
import type { JsonObject } from "../../../http/body";
import type { SettingsStrategy } from "../strategy";
import { passwordNode } from "./nodes";
import { checkPasswordPolicyPerIdentifier } from "./policy";
import { inputNode } from "../../../ui/node";
import { readPasswordCredential } from "./credential";

export const passwordSettings: SettingsStrategy = {
  populate(flow) {
    flow.ui.append(
      passwordNode("new-password"),
      inputNode("password", "method", "submit", { value: "password", label: messages.labelSave() }),
    );
  },

  // settings.go decodeSettingsFlow: settings.schema.json requires the password, before continueSettingsFlow's EnsureCSRF.
  decode(_flow, body) {
    requirePassword(body);
  },

  async submit(_flow, body, ctx) {
    const { deps } = ctx;
    const identity = ctx.identity;
    if (!identity) throw new Error("settings strategy called without identity");
    const password = requirePassword(body);
    const identifiers = deps.identities.identifiersFor(identity.schemaId, identity.traits, "password");
    const violation = checkPasswordPolicyPerIdentifier(deps.config, identifiers, password);
    if (violation) throw FlowValidationError.field("password", violation);
    const existing = identity.credentials.password;
    const oldHash = existing ? readPasswordCredential(existing.config) : undefined;
    if (oldHash && (await deps.hasher.verify(password, oldHash))) throw FlowValidationError.field("password", messages.passwordSameAsOld());
    const hashed = await deps.hasher.hash(password);
    deps.identities.setCredential(identity, { type: "password", identifiers, config: { hashed_password: hashed }, version: 1 });
    return { identity, privileged: true };
  },
};

function requirePassword(body: JsonObject): string {
  const password = typeof body.password === "string" ? body.password : "";
  if (password === "") throw FlowValidationError.field("password", messages.required("password"));
  return password;
}
