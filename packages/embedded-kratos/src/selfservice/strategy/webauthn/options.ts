import { randomBytes } from "node:crypto";
import { b64, type StoredWebAuthnCredential } from "./credential";

/**
 * The options a ceremony starts with, as go-webauthn v0.11.2 makes and
 * marshals them for Kratos (webauthn BeginRegistration / BeginLogin /
 * BeginDiscoverableLogin, protocol/options.go): `{"publicKey": …}` with
 * Go's field order, empty fields left out (omitempty), no `attestation`
 * (Kratos sets no AttestationPreference) and no extensions.
 */

/** The relying party a method's config names (driver/config WebAuthnConfig, PasskeyConfig). */
export interface RelyingParty {
  rpId: string;
  rpName: string;
  /** Origins a browser may sign from. */
  origins: string[];
}

/**
 * The AuthenticatorSelection each method configures, in
 * protocol.AuthenticatorSelection's field order: `webauthn` only
 * discourages user verification (WebAuthnConfig); `passkey` asks for a
 * platform authenticator holding a discoverable key and prefers
 * verification (PasskeyConfig).
 */
export type AuthenticatorProfile = "security-key" | "passkey";
type UserVerification = "discouraged" | "preferred";
interface Selection {
  authenticatorAttachment?: "platform";
  requireResidentKey?: boolean;
  residentKey?: "required";
  userVerification: UserVerification;
}
const SELECTIONS: Record<AuthenticatorProfile, Selection> = {
  "security-key": { userVerification: "discouraged" },
  passkey: { authenticatorAttachment: "platform", requireResidentKey: true, residentKey: "required", userVerification: "preferred" },
};

/**
 * go-webauthn's default timeouts (webauthn/const.go, applied by
 * Config.validate): 2 minutes when user verification is discouraged,
 * otherwise 5 minutes.
 */
const timeoutFor = (userVerification: UserVerification): number => (userVerification === "discouraged" ? 120_000 : 300_000);

/**
 * The public-key algorithms go-webauthn offers when Kratos sets none
 * (defaultRegistrationCredentialParameters), in its order. Pinned because
 * a key of an algorithm go-webauthn cannot verify would stop working once
 * the identities move to the real Kratos.
 */
export const SUPPORTED_ALGORITHM_IDS = [
  -7, // ES256
  -35, // ES384
  -36, // ES512
  -257, // RS256
  -258, // RS384
  -259, // RS512
  -37, // PS256
  -38, // PS384
  -39, // PS512
  -8, // EdDSA
];

/** protocol.CreateChallenge: 32 random bytes, base64url without padding (URLEncodedBase64). */
const newChallenge = (): string => randomBytes(32).toString("base64url");

/** CredentialDescriptor: type, id, then the stored transports when there are any. */
function descriptor(credential: StoredWebAuthnCredential): Record<string, unknown> {
  const transports = credential.transport ?? [];
  return { type: "public-key", id: b64.toUrl(credential.id), ...(transports.length > 0 ? { transports } : {}) };
}

/**
 * BeginRegistration. `userName` is webauthnx.User's name, which falls back
 * to the relying party's display name (Kratos names no user at sign-up).
 */
export function registrationOptions(
  rp: RelyingParty,
  user: { handle: Uint8Array<ArrayBuffer>; name?: string },
  exclude: StoredWebAuthnCredential[],
  profile: AuthenticatorProfile = "security-key",
): Promise<{ optionsJson: string; challenge: string }> {
  const selection = SELECTIONS[profile];
  const name = user.name || rp.rpName;
  const challenge = newChallenge();
  const publicKey = {
    rp: { name: rp.rpName, id: rp.rpId },
    user: { name, displayName: name, id: Buffer.from(user.handle).toString("base64url") },
    challenge,
    pubKeyCredParams: SUPPORTED_ALGORITHM_IDS.map((alg) => ({ type: "public-key", alg })),
    timeout: timeoutFor(selection.userVerification),
    ...(exclude.length > 0 ? { excludeCredentials: exclude.map(descriptor) } : {}),
    authenticatorSelection: selection,
  };
  return Promise.resolve({ optionsJson: JSON.stringify({ publicKey }), challenge });
}

/**
 * BeginLogin with the identity's keys, or BeginDiscoverableLogin (no
 * `allow`: the authenticator picks a discoverable key and names its user).
 */
export function authenticationOptions(
  rp: RelyingParty,
  allow: StoredWebAuthnCredential[] | undefined,
  profile: AuthenticatorProfile = "security-key",
): Promise<{ optionsJson: string; challenge: string }> {
  const { userVerification } = SELECTIONS[profile];
  const challenge = newChallenge();
  const publicKey = {
    challenge,
    timeout: timeoutFor(userVerification),
    rpId: rp.rpId,
    ...(allow && allow.length > 0 ? { allowCredentials: allow.map(descriptor) } : {}),
    userVerification,
  };
  return Promise.resolve({ optionsJson: JSON.stringify({ publicKey }), challenge });
}
