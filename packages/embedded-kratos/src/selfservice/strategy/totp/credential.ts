import type { Identity } from "../../../identity/identity";
import { secretFromUrl } from "./key";

/** Credential config of type `totp` (identity.CredentialsTOTPConfig). */
export interface TotpCredentialConfig {
  totp_url: string;
}

/** The identity's TOTP secret, if it has a usable TOTP credential. */
export function totpSecretOf(identity: Identity): string | undefined {
  return secretFromUrl(identity.credentials.totp?.config.totp_url);
}
