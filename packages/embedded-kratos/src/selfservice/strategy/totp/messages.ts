import type { UiText } from "../../../ui/messages";

/** Kratos' TOTP texts (text/message_login.go, message_settings.go, message_validation.go). */
const info = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "info",
  ...(context ? { context } : {}),
});
const error = (id: number, text: string): UiText => ({ id, text, type: "error" });

export const totpMessages = {
  loginCodeLabel: () => info(1010006, "Authentication code"),
  loginSubmit: () => info(1010009, "Use Authenticator"),
  unlink: () => info(1050004, "Unlink TOTP Authenticator App"),
  qrCode: () => info(1050005, "Authenticator app QR code"),
  secret: (secret: string) => info(1050006, secret, { secret }),
  secretLabel: () => info(1050017, "This is your authenticator app secret. Use it if you can not scan the QR code."),
  verifyCodeLabel: () => info(1070006, "Verify code"),
  save: () => info(1070003, "Save"),
  wrongCode: () => error(4000008, "The provided authentication code is invalid, please try again."),
  noDevice: () => error(4000011, "You have no TOTP device set up."),
};
