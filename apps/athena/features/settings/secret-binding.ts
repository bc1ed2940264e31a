import type { SettingInput } from "@olympus/athena-store/settings";

/**
 * A stored secret is only ever sent to the server it was entered for. Without
 * this, an admin (or a hijacked admin session) could point `smtp.host` or a
 * provider's issuer at a server of their own, leave the secret field blank
 * ("keep the stored one") and receive the SMTP password or the client secret
 * with the next mail or sign-in — secrets Athena never shows. Changing where
 * a secret goes therefore needs the secret typed again.
 */
interface Binding {
  /** The secret's key. */
  secret: string;
  /** The field message when it was not entered again. */
  message: string;
}

const SMTP_DESTINATION = new Set(["smtp.host", "smtp.port", "smtp.security", "smtp.username"]);
const PROVIDER_DESTINATION = /^social\.providers\.([a-z0-9][a-z0-9-]{0,31})\.(issuer|client_id)$/;

/** The secret a setting says where to send, if it is one of those. */
export function secretBoundTo(key: string): Binding | undefined {
  if (SMTP_DESTINATION.has(key))
    return { secret: "smtp.password", message: "enter the password again when the host, port, security or username changes" };
  const provider = PROVIDER_DESTINATION.exec(key);
  if (provider)
    return {
      secret: `social.providers.${provider[1]}.client_secret`,
      message: "enter the client secret again when the issuer or client id changes",
    };
  return undefined;
}

/** What is stored now: plain values by key, and the keys holding a sealed secret. */
export interface StoredValues {
  plain: ReadonlyMap<string, string>;
  secrets: ReadonlySet<string>;
}

/**
 * The entries that would redirect a stored secret without it being entered
 * again in the same save: key → message. Empty when the save may go ahead.
 */
export function unboundSecretChanges(entries: readonly SettingInput[], stored: StoredValues): Record<string, string> {
  const saved = new Set(entries.map((entry) => entry.key));
  const problems: Record<string, string> = {};
  for (const entry of entries) {
    const binding = secretBoundTo(entry.key);
    if (!binding || !stored.secrets.has(binding.secret) || saved.has(binding.secret)) continue;
    if (stored.plain.get(entry.key) !== entry.value) problems[entry.key] = binding.message;
  }
  return problems;
}
