import type { Domain } from "@olympus/runtime-config/config";

/**
 * The invitation mail: Athena's own message (Kratos' courier has no
 * invitation template and no API to send one), per domain. Its text comes
 * from the domain's settings (`invitation.subject`, `invitation.body`) or,
 * while those are unset, from the defaults below.
 */
export const INVITATION_SETTING_KEYS = { subject: "invitation.subject", body: "invitation.body" } as const;

/** What a template may name; `{{link}}` is required in the body. */
export const INVITATION_PLACEHOLDERS = ["link", "expires_at", "email", "name"] as const;
export type InvitationValues = Record<(typeof INVITATION_PLACEHOLDERS)[number], string>;

export interface InvitationTemplate {
  subject: string;
  body: string;
}

const DEFAULTS: Record<Domain, InvitationTemplate> = {
  ciam: {
    subject: "You are invited: set up your account",
    body: [
      "Hello {{name}},",
      "",
      "An account has been created for you ({{email}}). Open this link to sign in and choose your password:",
      "",
      "{{link}}",
      "",
      "The link works once and until {{expires_at}}. If it has expired, ask us for a new invitation.",
    ].join("\n"),
  },
  iam: {
    subject: "Your Olympus Workforce account is ready",
    body: [
      "Hello {{name}},",
      "",
      "An employee account has been created for you ({{email}}). Open this link to sign in and choose your password:",
      "",
      "{{link}}",
      "",
      "The link works once and until {{expires_at}}. You will then be asked to set up a second factor.",
    ].join("\n"),
  },
};

export function defaultInvitationTemplate(domain: Domain): InvitationTemplate {
  return DEFAULTS[domain];
}

/** The template with its placeholders filled; unknown `{{…}}` stay as written so a typo is visible, not silently dropped. */
export function renderInvitation(template: InvitationTemplate, values: InvitationValues): { subject: string; text: string } {
  const fill = (text: string) =>
    text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) =>
      (INVITATION_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as keyof InvitationValues] : whole,
    );
  // A subject is one header line: whatever a value holds, no line break reaches it.
  return { subject: fill(template.subject).replace(/[\r\n]+/g, " "), text: fill(template.body) };
}
