import { randomInt } from "node:crypto";
import type { GoTime } from "../../../clock/go-time";
import type { JsonObject } from "../../../http/body";
import type { Identity } from "../../../identity/identity";
import { authenticatorName } from "../webauthn/authenticator-names";
import type { NewCredential, RelyingParty } from "../webauthn/ceremony";
import { verifyCreation } from "../webauthn/new-credential";
import { parseWebAuthnConfig, type StoredWebAuthnCredential, type WebAuthnCredentialConfig } from "../webauthn/credential";

/** The `passkey` credential's config: identity.CredentialsWebAuthnConfig, as for `webauthn`. */
export function passkeyConfigOf(identity: Identity): WebAuthnCredentialConfig | undefined {
  return parseWebAuthnConfig(identity.credentials.passkey?.config);
}

/**
 * ParseCredentialCreationResponseBody then CreateCredential
 * (passkey_registration.go, passkey_settings.go), answered as the webauthn
 * strategy's handlers answer them (webauthn/new-credential.ts verifyCreation).
 */
export const verifyPasskeyCreation = (rp: RelyingParty, raw: unknown, challenge: string): Promise<NewCredential> =>
  verifyCreation(rp, raw, challenge);

/**
 * identity.CredentialFromWebAuthn(credential, true): a passwordless key
 * added now (UTC, rounded to the second), named after its authenticator
 * model when Kratos knows the AAGUID, no transports.
 */
export function newPasskeyCredential(created: NewCredential, now: GoTime): StoredWebAuthnCredential {
  return {
    id: created.id,
    public_key: created.publicKey,
    attestation_type: "none",
    authenticator: { aaguid: created.aaguid, sign_count: created.signCount, clone_warning: false },
    display_name: authenticatorName(created.aaguid) ?? "",
    added_at: now.roundSeconds().toISOString(),
    is_passwordless: true,
    flags: {
      user_present: true,
      user_verified: created.userVerified,
      backup_eligible: created.backupEligible,
      backup_state: created.backedUp,
    },
  };
}

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** randx.MustString(64, randx.AlphaNum): the user handle a new passkey binds to, and its credential identifier. */
export function newUserHandle(): string {
  let handle = "";
  for (let i = 0; i < 64; i++) handle += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return handle;
}

/** The React SDK sends "true" for an empty hidden input, which Kratos ignores too. */
export const submittedPasskey = (body: JsonObject, key: string): string => {
  const value = body[key];
  return typeof value === "string" && value !== "true" ? value : "";
};
