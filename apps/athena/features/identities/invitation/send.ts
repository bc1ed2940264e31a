import "server-only";
import { sendSmtpMail } from "@olympus/kratos-settings";
import type { Identity } from "@olympus/ory-client/admin";
import { AdminActionError } from "@/shared/server/action-result";
import { athenaConfig } from "@/shared/server/config";
import { settingsStore } from "@/shared/server/olympus-db";
import { kratosAdmin } from "@/shared/server/ory";
import { isRecord } from "@/shared/json";
import { readStoredSmtp } from "@/features/settings/test-mail/stored-smtp";
import { kratosCall } from "../operations";
import { defaultInvitationTemplate, INVITATION_SETTING_KEYS, renderInvitation } from "./template";

/** Long enough to reach someone who reads mail once a day. */
export const INVITATION_LIFESPAN = "24h";

function nameOf(identity: Identity, fallback: string): string {
  const name = isRecord(identity.traits) && isRecord(identity.traits.name) ? identity.traits.name : undefined;
  const first = typeof name?.first === "string" ? name.first.trim() : "";
  return first || fallback;
}

/**
 * Mails an invitation: a Kratos admin recovery link (opened, it signs the
 * person in and leads to settings, where they choose a password), in the
 * domain's invitation template, sent with the domain's stored SMTP
 * settings. The link is a secret for the person: it goes into the mail and
 * nowhere else.
 */
export async function sendInvitation(identity: Identity): Promise<{ to: string; expiresAt: string | null }> {
  const to = identity.recovery_addresses?.[0]?.value;
  if (!to) throw new AdminActionError("This identity has no recovery address to send an invitation to.");
  const store = await settingsStore();
  const smtp = await readStoredSmtp(store);
  if (!smtp.ok) {
    throw new AdminActionError(`Set up outgoing mail in Settings first (SMTP ${smtp.missing.join(", ")}): invitations are sent with it.`);
  }
  const [subject, body] = await Promise.all([store.get(INVITATION_SETTING_KEYS.subject), store.get(INVITATION_SETTING_KEYS.body)]);
  const fallback = defaultInvitationTemplate(athenaConfig().domain);
  const { link, expiresAt } = await kratosCall(() => kratosAdmin().createRecoveryLink(identity.id, INVITATION_LIFESPAN));
  const message = renderInvitation(
    { subject: subject ?? fallback.subject, body: body ?? fallback.body },
    {
      link,
      email: to,
      name: nameOf(identity, to),
      expires_at: expiresAt ? `${new Date(expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : "in 24 hours",
    },
  );
  const sent = await sendSmtpMail(smtp.smtp, { to, ...message });
  if (!sent.ok) throw new AdminActionError(`The invitation was not sent: ${sent.error}.`);
  return { to, expiresAt: expiresAt ?? null };
}
