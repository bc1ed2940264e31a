import type { GoTime } from "../../../clock/go-time";
import { errors } from "../../../http/errors";
import { readRegistrationResponse, verifyRegistration, type NewCredential, type RelyingParty } from "./ceremony";
import type { StoredWebAuthnCredential } from "./credential";
import { creationParseError, REGISTRATION_PARSE_ERROR } from "./parse-errors";

const notVerified = () => errors.badRequest("Unable to create WebAuthn credential: Error validating the registration response");

/**
 * ParseCredentialCreationResponseBody then CreateCredential, as the sign-up
 * (registration.go Register) and settings (settings.go
 * continueSettingsFlowAdd) handlers run them: an answer go-webauthn's parser
 * refuses is Kratos' 400 "Unable to parse WebAuthn response: <its Details>"
 * (parse-errors.ts); an answer that does not verify is
 * Kratos' "Unable to create WebAuthn credential: …", a 500 there and a 400
 * here (README, Known differences).
 */
export async function verifyCreation(rp: RelyingParty, raw: unknown, challenge: string): Promise<NewCredential> {
  const parseError = typeof raw === "string" ? creationParseError(raw) : REGISTRATION_PARSE_ERROR;
  if (parseError) throw errors.badRequest(`Unable to parse WebAuthn response: ${parseError}`);
  // What go-webauthn parses but the ceremony library's reader refuses (a missing rawId) does not verify here.
  if (!readRegistrationResponse(raw)) throw notVerified();
  const created = await verifyRegistration(rp, raw, challenge);
  if (!created) throw notVerified();
  return created;
}

/**
 * identity.CredentialFromWebAuthn (identity/credentials_webauthn.go) with
 * the display name the form sent, which both handlers set over the
 * authenticator model's name, as sent (empty included). Keys in Go's field
 * order; no `transport` and no `attestation` (CredentialFromWebAuthn copies
 * neither); `added_at` is now in UTC rounded to the second.
 */
export function credentialFromWebAuthn(
  created: NewCredential,
  isPasswordless: boolean,
  displayName: string,
  now: GoTime,
): StoredWebAuthnCredential {
  return {
    id: created.id,
    public_key: created.publicKey,
    attestation_type: created.attestationType,
    authenticator: { aaguid: created.aaguid, sign_count: created.signCount, clone_warning: false },
    display_name: displayName,
    added_at: now.roundSeconds().toISOString(),
    is_passwordless: isPasswordless,
    flags: {
      user_present: true,
      user_verified: created.userVerified,
      backup_eligible: created.backupEligible,
      backup_state: created.backedUp,
    },
  };
}
