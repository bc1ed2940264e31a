import type { UiText } from "../../../ui/messages";

/** Kratos' passkey texts (text/message_login.go, message_registration.go, message_settings.go). */
const info = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "info",
  ...(context ? { context } : {}),
});

export const passkeyMessages = {
  loginTrigger: () => info(1010021, "Sign in with passkey"),
  signUp: () => info(1040007, "Sign up with passkey"),
  add: () => info(1050019, "Add passkey"),
  remove: (name: string, addedAt: Date) =>
    info(1050020, `Remove passkey "${name}"`, {
      display_name: name,
      added_at: addedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
      added_at_unix: Math.floor(addedAt.getTime() / 1000),
    }),
};
