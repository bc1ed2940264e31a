import { readSocialSignIn, settingsReader, type EncryptionKey, type SettingsStoreOptions } from "@olympus/athena-store/settings";
import type { KratosSettings } from "./overlay";
import { smtpSettingsFrom } from "./smtp";

// The store's own types, so this package needs no direct pg or runtime-config dependency.
export type Domain = SettingsStoreOptions["domain"];
export type OlympusPool = SettingsStoreOptions["pool"];

export interface ReadKratosSettingsOptions {
  domain: Domain;
  /** The olympus database as the domain's own role (row-level security admits that domain's rows only). */
  pool: OlympusPool;
  encryptionKey: EncryptionKey;
  /** Older keys still accepted while a rotation is under way. */
  previousKeys?: readonly EncryptionKey[];
}

export interface KratosSettingsRead {
  settings: KratosSettings;
  /** Stored keys left out because their text is unusable. Never values. */
  invalid: string[];
}

/** One domain's SMTP and social sign-in settings, secrets unsealed. */
export async function readKratosSettings(options: ReadKratosSettingsOptions): Promise<KratosSettingsRead> {
  const read = settingsReader({ pool: options.pool, key: options.encryptionKey, previousKeys: options.previousKeys });
  const [smtp, social] = await Promise.all([read(options.domain, "smtp.").then(smtpSettingsFrom), readSocialSignIn(read, options.domain)]);
  return {
    settings: { ...(smtp.smtp ? { smtp: smtp.smtp } : {}), social: { enabled: social.enabled, providers: social.providers } },
    invalid: [...smtp.invalid, ...social.invalid],
  };
}
