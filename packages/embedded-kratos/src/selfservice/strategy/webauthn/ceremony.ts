import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorSelectionCriteria,
} from "@simplewebauthn/server";
import { z } from "zod";
import { b64, type StoredWebAuthnCredential } from "./credential";

/**
 * The WebAuthn ceremonies (@simplewebauthn/server) as go-webauthn runs them
 * for Kratos' `webauthn` and `passkey` methods: attestation "none", options
 * wrapped as `{"publicKey": ...}` like go-webauthn's CredentialCreation /
 * CredentialAssertion.
 */

/** The relying party a method's config names (driver/config WebAuthnConfig, PasskeyConfig). */
export interface RelyingParty {
  rpId: string;
  rpName: string;
  /** Origins a browser may sign from. */
  origins: string[];
}

/**
 * The AuthenticatorSelection each method configures: `webauthn` only
 * discourages user verification (WebAuthnConfig); `passkey` asks for a
 * platform authenticator holding a discoverable key and prefers
 * verification (PasskeyConfig).
 */
export type AuthenticatorProfile = "security-key" | "passkey";
const SELECTIONS: Record<AuthenticatorProfile, AuthenticatorSelectionCriteria> = {
  "security-key": { residentKey: "discouraged", userVerification: "discouraged" },
  passkey: { authenticatorAttachment: "platform", requireResidentKey: true, residentKey: "required", userVerification: "preferred" },
};

/**
 * go-webauthn's default timeouts (webauthn/const.go, applied by
 * Config.validate): 2 minutes when user verification is discouraged,
 * otherwise 5 minutes.
 */
function timeoutFor(userVerification: AuthenticatorSelectionCriteria["userVerification"]): number {
  return userVerification === "discouraged" ? 120_000 : 300_000;
}

/**
 * The public-key algorithms go-webauthn offers when Kratos sets none
 * (defaultRegistrationCredentialParameters), in its order. Pinned because
 * the library's own default grows with the runtime (ML-DSA-44 on Node 24),
 * and a key of an algorithm go-webauthn cannot verify would stop working
 * once the identities move to the real Kratos.
 */
const SUPPORTED_ALGORITHM_IDS = [
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

/**
 * BeginRegistration. `userName` is webauthnx.User's name, which falls back
 * to the relying party's display name (Kratos names no user at sign-up).
 */
export async function registrationOptions(
  rp: RelyingParty,
  user: { handle: Uint8Array<ArrayBuffer>; name?: string },
  exclude: StoredWebAuthnCredential[],
  profile: AuthenticatorProfile = "security-key",
): Promise<{ optionsJson: string; challenge: string }> {
  const selection = SELECTIONS[profile];
  const name = user.name || rp.rpName;
  const publicKey = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userName: name,
    userDisplayName: name,
    userID: user.handle,
    timeout: timeoutFor(selection.userVerification),
    attestationType: "none",
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
    excludeCredentials: exclude.map((c) => ({ id: b64.toUrl(c.id) })),
    authenticatorSelection: selection,
  });
  return { optionsJson: JSON.stringify({ publicKey }), challenge: publicKey.challenge };
}

/**
 * BeginLogin with the identity's keys, or BeginDiscoverableLogin (no
 * `allow`: the authenticator picks a discoverable key and names its user).
 */
export async function authenticationOptions(
  rp: RelyingParty,
  allow: StoredWebAuthnCredential[] | undefined,
  profile: AuthenticatorProfile = "security-key",
): Promise<{ optionsJson: string; challenge: string }> {
  const { userVerification } = SELECTIONS[profile];
  const publicKey = await generateAuthenticationOptions({
    rpID: rp.rpId,
    timeout: timeoutFor(userVerification),
    userVerification,
    ...(allow ? { allowCredentials: allow.map((c) => ({ id: b64.toUrl(c.id) })) } : {}),
  });
  return { optionsJson: JSON.stringify({ publicKey }), challenge: publicKey.challenge };
}

const b64url = z.string().regex(/^[A-Za-z0-9_-]*={0,2}$/, "must be base64url");
const registrationResponseSchema = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({ clientDataJSON: b64url, attestationObject: b64url, transports: z.array(z.string()).optional() }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
const authenticationResponseSchema = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({ clientDataJSON: b64url, authenticatorData: b64url, signature: b64url, userHandle: b64url.optional() }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** Parses the JSON a browser put into `webauthn_register` / `webauthn_login`; undefined when malformed. */
function parseJson<T>(raw: unknown, schema: z.ZodType<T>): T | undefined {
  if (typeof raw !== "string" || raw === "" || raw.length > 64 * 1024) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

export interface NewCredential {
  id: string;
  publicKey: string;
  signCount: number;
  aaguid: string;
  transports: string[];
  userVerified: boolean;
  backedUp: boolean;
  backupEligible: boolean;
}

/** The attestation a browser put into `webauthn_register` / `passkey_register`; undefined when malformed. */
export const readRegistrationResponse = (raw: unknown) => parseJson(raw, registrationResponseSchema);

/** Verifies a registration against the challenge kept in the flow. Returns undefined when it does not verify. */
export async function verifyRegistration(config: RelyingParty, raw: unknown, challenge: string): Promise<NewCredential | undefined> {
  const response = readRegistrationResponse(raw);
  if (!response) return undefined;
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: config.origins,
      expectedRPID: config.rpId,
      requireUserVerification: false,
      // go-webauthn refuses a key whose algorithm was not among the offered pubKeyCredParams.
      supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
    });
    if (!result.verified) return undefined;
    const info = result.registrationInfo;
    return {
      id: b64.fromUrl(info.credential.id),
      publicKey: b64.encode(info.credential.publicKey),
      signCount: info.credential.counter,
      aaguid: Buffer.from(info.aaguid.replace(/-/g, ""), "hex").toString("base64"),
      transports: response.response.transports ?? [],
      userVerified: info.userVerified,
      backedUp: info.credentialBackedUp,
      backupEligible: info.credentialDeviceType === "multiDevice",
    };
  } catch {
    return undefined;
  }
}

/** The assertion a browser put into `webauthn_login` / `passkey_login`; undefined when malformed. */
export const readAuthenticationResponse = (raw: unknown) => parseJson(raw, authenticationResponseSchema);

/** Verifies an assertion against the challenge kept in the flow and the identity's stored keys. */
export async function verifyAuthentication(
  config: RelyingParty,
  raw: unknown,
  challenge: string,
  allowed: StoredWebAuthnCredential[],
): Promise<{ credential: StoredWebAuthnCredential; newCounter: number } | undefined> {
  const response = readAuthenticationResponse(raw);
  if (!response) return undefined;
  const credential = allowed.find((c) => b64.toUrl(c.id) === response.rawId.replace(/=+$/, ""));
  if (!credential) return undefined;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: config.origins,
      expectedRPID: config.rpId,
      requireUserVerification: false,
      credential: {
        id: b64.toUrl(credential.id),
        publicKey: b64.bytes(credential.public_key),
        counter: credential.authenticator?.sign_count ?? 0,
      },
    });
    return result.verified ? { credential, newCounter: result.authenticationInfo.newCounter } : undefined;
  } catch {
    return undefined;
  }
}
