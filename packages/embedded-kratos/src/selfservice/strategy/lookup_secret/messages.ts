import type { UiText } from "../../../ui/messages";

/** Kratos' backup-code texts (text/message_login.go, message_settings.go, message_validation.go). */
const info = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "info",
  ...(context ? { context } : {}),
});
const error = (id: number, text: string): UiText => ({ id, text, type: "error" });

export const lookupMessages = {
  loginCodeLabel: () => info(1010007, "Backup recovery code"),
  loginSubmit: () => info(1010010, "Use backup recovery code"),
  reveal: () => info(1050007, "Reveal backup recovery codes"),
  regenerate: () => info(1050008, "Generate new backup recovery codes"),
  secret: (secret: string) => info(1050009, secret, { secret }),
  codesLabel: () => info(1050010, "These are your back up recovery codes. Please keep them in a safe place!"),
  confirm: () => info(1050011, "Confirm backup recovery codes"),
  used: (usedAt: Date) =>
    info(1050014, `Secret was used at ${goTime(usedAt)}`, {
      used_at: usedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
      used_at_unix: Math.floor(usedAt.getTime() / 1000),
    }),
  list: (formatted: string[], secrets: UiText[]) => info(1050015, formatted.join(", "), { secrets }),
  disable: () => info(1050016, "Disable this method"),
  alreadyUsed: () => error(4000012, "This backup recovery code has already been used."),
  noLookup: () => error(4000014, "You have no backup recovery codes set up."),
  invalid: () => error(4000016, "The backup recovery code is not valid."),
};

/** Go's default time.Time formatting in UTC: `2021-08-17 11:32:39 +0000 UTC`. */
function goTime(date: Date): string {
  return `${date
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "")} +0000 UTC`;
}
