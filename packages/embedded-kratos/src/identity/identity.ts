/** Identity domain types (identity/identity.go) and their JSON forms. */
import type { Cipher } from "../cipher/cipher";
import { withJsonText, type JsonText } from "../http/json-text";
import { goTimeString } from "../clock/go-time";
/**
 * identity.State: the admin API sets only `active` or `inactive`
 * (State.IsValid), but a web hook's 200 stores any other non-empty text
 * unchecked (web_hook.go parseWebhookResponse); only `active` counts as
 * active (Identity.IsActive), every other state is disabled.
 */
export type IdentityState = string;
export type AuthenticatorAssuranceLevel = "aal0" | "aal1" | "aal2" | "aal3";

export interface Credential {
  id: string;
  type: string;
  identifiers: string[];
  config: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What Kratos sets itself; an admin import may store any other string
 * (identity.VerifiableAddressStatus is a plain string type).
 */
export type VerifiableAddressStatus = "pending" | "sent" | "completed" | (string & {});

export interface VerifiableAddress {
  id: string;
  value: string;
  verified: boolean;
  via: string;
  status: VerifiableAddressStatus;
  verifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecoveryAddress {
  id: string;
  value: string;
  via: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Identity {
  id: string;
  schemaId: string;
  state: IdentityState;
  stateChangedAt: Date | null;
  traits: Record<string, unknown>;
  metadataPublic: unknown;
  metadataAdmin: unknown;
  /**
   * The JSON text Kratos keeps for traits and metadata (json.RawMessage):
   * the body's text after an admin create or update, Postgres' jsonb text
   * after a read. A text counts only while its field still holds the value
   * it was recorded for (JsonText.value); answers show it.
   */
  jsonTexts?: { traits?: JsonText; metadataPublic?: JsonText; metadataAdmin?: JsonText };
  externalId: string | null;
  organizationId: string | null;
  /** Highest AAL the identity's credentials allow (cached for whoami's `highest_available` check). */
  availableAal: AuthenticatorAssuranceLevel | null;
  createdAt: Date;
  updatedAt: Date;
  verifiableAddresses: VerifiableAddress[];
  recoveryAddresses: RecoveryAddress[];
  /** Keyed by credential type. Loaded only where needed (admin, login). */
  credentials: Record<string, Credential>;
}

export interface IdentityJsonOptions {
  schemaUrl: string;
  /** Admin API: include metadata_admin and credentials (identifiers only); implies keptText. */
  admin?: boolean;
  /** Traits and metadata as the text Postgres keeps (JsonText), for an answer only: never for templates or jsonnet. */
  keptText?: boolean;
  /** Credential types whose `config` is included (admin `include_credential`). */
  includeCredentialConfig?: ReadonlySet<string>;
  /** The configured cipher, which opens the provider tokens of included oidc credentials. */
  cipher?: Pick<Cipher, "decrypt">;
}

export function identityToJson(identity: Identity, options: IdentityJsonOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: identity.id,
    schema_id: identity.schemaId,
    schema_url: options.schemaUrl,
    state: identity.state,
  };
  if (identity.stateChangedAt) out.state_changed_at = goTimeString(identity.stateChangedAt);
  // Answers (the admin API, whoami) show the kept text, as Kratos marshals
  // its json.RawMessage; everything else built from this object (mail
  // templates, jsonnet, web hooks) reads plain values.
  const text = (value: unknown, kept: JsonText | undefined) => (options.admin || options.keptText ? withJsonText(value, kept) : value);
  out.traits = text(identity.traits, identity.jsonTexts?.traits);
  if (identity.verifiableAddresses.length > 0) out.verifiable_addresses = identity.verifiableAddresses.map(verifiableAddressToJson);
  if (identity.recoveryAddresses.length > 0) out.recovery_addresses = identity.recoveryAddresses.map(recoveryAddressToJson);
  out.metadata_public = text(identity.metadataPublic ?? null, identity.jsonTexts?.metadataPublic);
  if (options.admin) {
    out.metadata_admin = text(identity.metadataAdmin ?? null, identity.jsonTexts?.metadataAdmin);
    const creds = Object.values(identity.credentials);
    if (creds.length > 0) {
      out.credentials = Object.fromEntries(
        creds.map((c) => [
          c.type,
          {
            type: c.type,
            identifiers: c.identifiers,
            ...(options.includeCredentialConfig?.has(c.type) ? { config: declassifiedConfig(c, options.cipher) } : {}),
            version: c.version,
            created_at: goTimeString(c.createdAt),
            updated_at: goTimeString(c.updatedAt),
          },
        ]),
      );
    }
  }
  if (identity.externalId) out.external_id = identity.externalId;
  out.created_at = goTimeString(identity.createdAt);
  out.updated_at = goTimeString(identity.updatedAt);
  // uuid.NullUUID ignores omitempty: Kratos always writes the key, null when unset.
  out.organization_id = identity.organizationId ?? null;
  return out;
}

/**
 * What `include_credential` reveals (identity/identity.go,
 * WithDeclassifiedCredentials): OIDC and SAML configs only name each
 * provider's subject, provider, organization and auto-link flag — plus, for
 * OIDC, the initial tokens decrypted with the configured cipher ("" for a
 * token that does not decrypt, as Kratos swallows the error) — every other
 * type its whole config.
 */
function declassifiedConfig(c: Credential, cipher: Pick<Cipher, "decrypt"> | undefined): Record<string, unknown> {
  if (c.type !== "oidc" && c.type !== "saml") return c.config;
  const providers = Array.isArray(c.config.providers) ? c.config.providers : [];
  return {
    providers: providers.map((p: unknown) => {
      const provider = typeof p === "object" && p !== null ? (p as Record<string, unknown>) : {};
      const text = (v: unknown) => (typeof v === "string" ? v : "");
      return {
        ...(c.type === "oidc"
          ? {
              initial_id_token: decrypted(cipher, provider.initial_id_token),
              initial_access_token: decrypted(cipher, provider.initial_access_token),
              initial_refresh_token: decrypted(cipher, provider.initial_refresh_token),
            }
          : {}),
        subject: text(provider.subject),
        provider: text(provider.provider),
        ...(text(provider.organization) ? { organization: text(provider.organization) } : {}),
        ...(provider.use_auto_link === true ? { use_auto_link: true } : {}),
      };
    }),
  };
}

function decrypted(cipher: Pick<Cipher, "decrypt"> | undefined, value: unknown): string {
  if (!cipher || typeof value !== "string") return "";
  try {
    return cipher.decrypt(value).toString("utf8");
  } catch {
    return "";
  }
}

export function verifiableAddressToJson(a: VerifiableAddress): Record<string, unknown> {
  return {
    id: a.id,
    value: a.value,
    verified: a.verified,
    via: a.via,
    status: a.status,
    ...(a.verifiedAt ? { verified_at: goTimeString(a.verifiedAt) } : {}),
    created_at: goTimeString(a.createdAt),
    updated_at: goTimeString(a.updatedAt),
  };
}

export function recoveryAddressToJson(a: RecoveryAddress): Record<string, unknown> {
  return { id: a.id, value: a.value, via: a.via, created_at: goTimeString(a.createdAt), updated_at: goTimeString(a.updatedAt) };
}
