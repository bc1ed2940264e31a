import { randomInt } from "node:crypto";
import type { GoTime } from "../../../clock/go-time";
import { errors } from "../../../http/errors";
import type { JsonObject } from "../../../http/body";
import type { Identity } from "../../../identity/identity";
import { authenticatorName } from "../webauthn/authenticator-names";
import { readRegistrationResponse, verifyRegistration, type NewCredential, type RelyingParty } from "../webauthn/ceremony";
import { parseWebAuthnConfig, type StoredWebAuthnCredential, type WebAuthnCredentialConfig } from "../webauthn/credential";

/** The `passkey` credential's config: identity.CredentialsWebAuthnConfig, as for `webauthn`. */
export function passkeyConfigOf(identity: Identity): WebAuthnCredentialConfig | undefined {
  return parseWebAuthnConfig(identity.credentials.passkey?.config);
}

/**
 * ParseCredentialCreationResponseBody then CreateCredential. Malformed JSON
 * is Kratos' 400 "Unable to parse WebAuthn response: …"; an answer that
 * does not verify (challenge, origin, relying party, signature) is Kratos'
 * "Unable to create WebAuthn credential: …", a 500 there and a 400 here.
 */
export async function verifyPasskeyCreation(rp: RelyingParty, raw: unknown, challenge: string): Promise<NewCredential> {
  if (!readRegistrationResponse(raw)) throw errors.badRequest("Unable to parse WebAuthn response: Parse error for Registration");
  const created = await verifyRegistration(rp, raw, challenge);
  if (!created) throw errors.badRequest("Unable to create WebAuthn credential: Error validating the registration response");
  return created;
}

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
