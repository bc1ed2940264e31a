import { z } from "zod";
import type { Identity } from "../../../identity/identity";

/**
 * Credential config of type `webauthn` exactly as Kratos stores it
 * (identity.CredentialsWebAuthnConfig): byte fields are standard base64, as
 * Go's encoding/json writes []byte, so identities move between this server
 * and real Kratos unchanged.
 */
const storedCredentialSchema = z.looseObject({
  id: z.string(),
  public_key: z.string(),
  attestation_type: z.string().default("none"),
  authenticator: z
    .looseObject({
      aaguid: z.string().nullish(),
      sign_count: z.number().int().nonnegative().default(0),
      clone_warning: z.boolean().default(false),
    })
    .optional(),
  display_name: z.string().default(""),
  added_at: z.string().default("0001-01-01T00:00:00Z"),
  is_passwordless: z.boolean().default(false),
  flags: z
    .looseObject({ user_present: z.boolean(), user_verified: z.boolean(), backup_eligible: z.boolean(), backup_state: z.boolean() })
    .partial()
    .optional(),
  transport: z.array(z.string()).nullish(),
});
const webauthnConfigSchema = z.looseObject({
  credentials: z.array(storedCredentialSchema).default([]),
  user_handle: z.string().nullish(),
});

export type StoredWebAuthnCredential = z.infer<typeof storedCredentialSchema>;
export type WebAuthnCredentialConfig = z.infer<typeof webauthnConfigSchema>;

export function parseWebAuthnConfig(config: unknown): WebAuthnCredentialConfig | undefined {
  const result = webauthnConfigSchema.safeParse(config);
  return result.success ? result.data : undefined;
}

export function webauthnConfigOf(identity: Identity): WebAuthnCredentialConfig | undefined {
  return parseWebAuthnConfig(identity.credentials.webauthn?.config);
}

/** Security keys usable at an AAL: passwordless ones sign in alone (aal1), the others are second factors (aal2). */
export function credentialsForAal(config: WebAuthnCredentialConfig | undefined, aal: "aal1" | "aal2"): StoredWebAuthnCredential[] {
  return (config?.credentials ?? []).filter((c) => c.is_passwordless === (aal === "aal1"));
}

/** Kratos' counting: passwordless keys count as first factors only while the credential has an identifier. */
export function countCredentials(identity: Identity, firstFactor: boolean): number {
  const credential = identity.credentials.webauthn;
  const config = webauthnConfigOf(identity);
  if (!credential || !config) return 0;
  const hasIdentifier = credential.identifiers.join("") !== "";
  return config.credentials.filter((c) => !(c.is_passwordless && !hasIdentifier) && c.is_passwordless === firstFactor).length;
}

/** Standard base64 (Go's []byte JSON) ⇄ base64url (WebAuthn JSON, simplewebauthn). */
export const b64 = {
  fromUrl: (value: string): string => Buffer.from(value, "base64url").toString("base64"),
  toUrl: (value: string): string => Buffer.from(value, "base64").toString("base64url"),
  bytes: (value: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(value, "base64")),
  encode: (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64"),
};

/** The value of a `webauthn_remove` button: the credential id in lower-case hex (Go's %x). */
export function credentialHexId(credential: StoredWebAuthnCredential): string {
  return Buffer.from(credential.id, "base64").toString("hex");
}

/** WebAuthn user handle: the identity id's 16 bytes (Kratos' webauthnx.NewUser(identity.ID[:])). */
export function userHandleOf(identity: Identity): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(identity.id.replace(/-/g, ""), "hex"));
}
