import { verifyAuthenticationResponse, verifyRegistrationResponse } from "@simplewebauthn/server";
import { z } from "zod";
import { b64, type StoredWebAuthnCredential } from "./credential";
import { SUPPORTED_ALGORITHM_IDS, type RelyingParty } from "./options";
import { goTrimRight } from "@olympus/server-kit/text";

/**
 * The WebAuthn ceremonies' verification (@simplewebauthn/server) as
 * go-webauthn runs it for Kratos' `webauthn` and `passkey` methods; the
 * options they answer are made in options.ts.
 */
export { authenticationOptions, registrationOptions, type AuthenticatorProfile, type RelyingParty } from "./options";

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
  /** The attestation statement's format (go-webauthn's Credential.AttestationType): "none", "packed", "fido-u2f", … */
  attestationType: string;
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
      attestationType: info.fmt,
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
  const credential = allowed.find((c) => b64.toUrl(c.id) === goTrimRight(response.rawId, "="));
  if (!credential) return undefined;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: config.origins,
      expectedRPID: config.rpId,
      requireUserVerification: false,
      // go-webauthn's UpdateCounter only raises CloneWarning on a counter that did not grow, which
      // Kratos neither stores nor acts on: with 0 here the library's stricter refusal never applies.
      credential: { id: b64.toUrl(credential.id), publicKey: b64.bytes(credential.public_key), counter: 0 },
    });
    if (!result.verified) return undefined;
    // validateLogin: "BackupEligible flag inconsistency" — a key stored without flags takes the answer's (ToWebAuthnFiltered).
    const backupEligible = result.authenticationInfo.credentialDeviceType === "multiDevice";
    const stored = credential.flags ? (credential.flags.backup_eligible ?? false) : undefined;
    if (stored !== undefined && stored !== backupEligible) return undefined;
    return { credential, newCounter: result.authenticationInfo.newCounter };
  } catch {
    return undefined;
  }
}
