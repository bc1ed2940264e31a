import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { z } from "zod";
import type { WebAuthnConfig } from "./config";
import { b64, type StoredWebAuthnCredential } from "./credential";

/**
 * The WebAuthn ceremonies (@simplewebauthn/server) with Kratos' settings:
 * attestation "none", user verification discouraged, options wrapped as
 * `{"publicKey": ...}` like go-webauthn's CredentialCreation/Assertion.
 */

const TIMEOUT_MS = 60_000;

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

export async function registrationOptions(
  config: WebAuthnConfig,
  userHandle: Uint8Array<ArrayBuffer>,
  exclude: StoredWebAuthnCredential[],
): Promise<{ optionsJson: string; challenge: string }> {
  const publicKey = await generateRegistrationOptions({
    rpName: config.rpName,
    rpID: config.rpId,
    // Kratos names the WebAuthn user after the relying party (webauthnx.User without a name).
    userName: config.rpName,
    userDisplayName: config.rpName,
    userID: userHandle,
    timeout: TIMEOUT_MS,
    attestationType: "none",
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
    excludeCredentials: exclude.map((c) => ({ id: b64.toUrl(c.id) })),
    // Kratos' webauthn (not passkey) method: no resident key needed, user verification discouraged, in both modes.
    authenticatorSelection: { residentKey: "discouraged", userVerification: "discouraged" },
  });
  return { optionsJson: JSON.stringify({ publicKey }), challenge: publicKey.challenge };
}

export async function authenticationOptions(
  config: WebAuthnConfig,
  allow: StoredWebAuthnCredential[],
): Promise<{ optionsJson: string; challenge: string }> {
  const publicKey = await generateAuthenticationOptions({
    rpID: config.rpId,
    timeout: TIMEOUT_MS,
    userVerification: "discouraged",
    allowCredentials: allow.map((c) => ({ id: b64.toUrl(c.id) })),
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

/** Verifies a registration against the challenge kept in the flow. Returns undefined when it does not verify. */
export async function verifyRegistration(config: WebAuthnConfig, raw: unknown, challenge: string): Promise<NewCredential | undefined> {
  const response = parseJson(raw, registrationResponseSchema);
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

/** Verifies an assertion against the challenge kept in the flow and the identity's stored keys. */
export async function verifyAuthentication(
  config: WebAuthnConfig,
  raw: unknown,
  challenge: string,
  allowed: StoredWebAuthnCredential[],
): Promise<{ credential: StoredWebAuthnCredential; newCounter: number } | undefined> {
  const response = parseJson(raw, authenticationResponseSchema);
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
