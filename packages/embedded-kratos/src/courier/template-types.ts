/** `template_type` values of courier messages (courier/template/type.go). */
export const TEMPLATE_TYPES = [
  "recovery_valid",
  "recovery_invalid",
  "recovery_code_valid",
  "recovery_code_invalid",
  "verification_valid",
  "verification_invalid",
  "verification_code_valid",
  "verification_code_invalid",
  "login_code_valid",
  "registration_code_valid",
] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

/**
 * Template data, keyed by the Go field names templates use
 * (`{{ .RecoveryCode }}`, `{{ .Identity.traits.email }}`).
 */
export interface TemplateModel {
  To: string;
  RequestURL?: string;
  TransientPayload?: Record<string, unknown>;
  ExpiresInMinutes?: number;
  Identity?: Record<string, unknown>;
  Traits?: Record<string, unknown>;
  RecoveryCode?: string;
  RecoveryURL?: string;
  VerificationCode?: string;
  VerificationURL?: string;
  LoginCode?: string;
  RegistrationCode?: string;
  /** The host of RequestURL (SMS recovery codes: the WebOTP `@domain #code` line). */
  RequestURLDomain?: string;
}
