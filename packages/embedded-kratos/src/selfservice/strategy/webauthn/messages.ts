import type { UiText } from "../../../ui/messages";

/** Kratos' WebAuthn texts (text/message_login.go, message_settings.go, message_validation.go). */
const info = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "info",
  ...(context ? { context } : {}),
});
const error = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "error",
  ...(context ? { context } : {}),
});

export const webauthnMessages = {
  loginTrigger: () => info(1010008, "Sign in with a hardware key"),
  passwordlessPrepare: () => info(1010012, "Prepare your WebAuthn device (e.g. security key, biometrics scanner, ...) and press continue."),
  loginContinue: () => info(1010013, "Continue"),
  register: () => info(1050012, "Add security key"),
  signUp: () => info(1040004, "Sign up with security key"),
  displayName: () => info(1050013, "Name of the security key"),
  remove: (name: string, addedAt: Date) =>
    info(1050018, `Remove security key "${name}"`, {
      display_name: name,
      added_at: addedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
      added_at_unix: Math.floor(addedAt.getTime() / 1000),
    }),
  noDevice: () => error(4000013, "You have no WebAuthn device set up."),
  noSuchUser: () => error(4000015, "This account does not exist or has no security key set up."),
  /** schema.NewWebAuthnVerifierWrongError: Kratos reuses the TOTP verifier's message (4000008) for a failed assertion. */
  verifierWrong: () => error(4000008, "The provided authentication code is invalid, please try again."),
  /** Kratos' jsonschema errors without an id render as generic validation errors. */
  generic: (reason: string) => error(4000001, reason, { reason }),
};
