import type { TemplateModel, TemplateType } from "./template-types";

/** Which Go model a message's template data is: email templates (courier/template/email) or SMS ones (courier/template/sms). */
export type MessageKind = "email" | "sms";

/** A model field: its JSON name (the struct tag) and the TemplateModel field it holds. */
type Field = [json: string, field: keyof TemplateModel, zero: "" | null | 0];

const TO: Field = ["to", "To", ""];
const IDENTITY: Field = ["identity", "Identity", null];
const REQUEST_URL: Field = ["request_url", "RequestURL", ""];
const TRANSIENT_PAYLOAD: Field = ["transient_payload", "TransientPayload", null];
const EXPIRES: Field = ["expires_in_minutes", "ExpiresInMinutes", 0];
const INVALID: Field[] = [TO, REQUEST_URL, TRANSIENT_PAYLOAD];

/** The email models' fields in struct order (courier/template/email/*.go). */
export const EMAIL_MODELS: Record<TemplateType, Field[]> = {
  recovery_valid: [TO, ["recovery_url", "RecoveryURL", ""], IDENTITY, REQUEST_URL, TRANSIENT_PAYLOAD, EXPIRES],
  recovery_invalid: INVALID,
  recovery_code_valid: [TO, ["recovery_code", "RecoveryCode", ""], IDENTITY, REQUEST_URL, TRANSIENT_PAYLOAD, EXPIRES],
  recovery_code_invalid: INVALID,
  verification_valid: [TO, ["verification_url", "VerificationURL", ""], IDENTITY, REQUEST_URL, TRANSIENT_PAYLOAD, EXPIRES],
  verification_invalid: INVALID,
  verification_code_valid: [
    TO,
    ["verification_url", "VerificationURL", ""],
    ["verification_code", "VerificationCode", ""],
    IDENTITY,
    REQUEST_URL,
    TRANSIENT_PAYLOAD,
    EXPIRES,
  ],
  verification_code_invalid: INVALID,
  login_code_valid: [TO, ["login_code", "LoginCode", ""], IDENTITY, REQUEST_URL, TRANSIENT_PAYLOAD, EXPIRES],
  registration_code_valid: [
    TO,
    ["traits", "Traits", null],
    ["registration_code", "RegistrationCode", ""],
    REQUEST_URL,
    TRANSIENT_PAYLOAD,
    EXPIRES,
  ],
};

/**
 * The SMS models' fields (courier/template/sms/*.go). RecoveryCodeValidModel
 * tags its code `verification_code`, as Kratos does.
 */
export const SMS_MODELS: Partial<Record<TemplateType, Field[]>> = {
  verification_code_valid: [TO, ["verification_code", "VerificationCode", ""], IDENTITY, REQUEST_URL, TRANSIENT_PAYLOAD, EXPIRES],
  recovery_code_valid: [
    TO,
    ["verification_code", "RecoveryCode", ""],
    IDENTITY,
    REQUEST_URL,
    ["request_url_domain", "RequestURLDomain", ""],
    TRANSIENT_PAYLOAD,
    EXPIRES,
  ],
  login_code_valid: [TO, ["login_code", "LoginCode", ""], IDENTITY, REQUEST_URL, TRANSIENT_PAYLOAD, EXPIRES],
  registration_code_valid: [TO, ["registration_code", "RegistrationCode", ""], IDENTITY, REQUEST_URL, TRANSIENT_PAYLOAD, EXPIRES],
};

/**
 * json.Marshal of the message's template (its MarshalJSON marshals the
 * model): every field of the Go struct, zero values included (nil maps are
 * null), in struct order. This is `template_data` of the HTTP channel's
 * payload (courier/http_channel.go httpDataModel).
 */
export function goTemplateData(kind: MessageKind, type: TemplateType, model: TemplateModel): Record<string, unknown> {
  const fields = kind === "sms" ? SMS_MODELS[type] : EMAIL_MODELS[type];
  // sms_templates.go NewSMSTemplateFromMessage: other types have no SMS model.
  if (!fields) throw new Error(`received unexpected message template type: ${type}`);
  const out: Record<string, unknown> = {};
  // The code and link senders always pass x.ParseRawMessageOrEmpty's map: `{}` when the flow has no transient payload.
  for (const [json, field, zero] of fields) out[json] = model[field] ?? (field === "TransientPayload" ? {} : zero);
  return out;
}
