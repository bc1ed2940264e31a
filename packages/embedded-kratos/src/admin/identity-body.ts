import type { JsonText } from "../http/json-text";
import { decodeGoJson, type GoType } from "./go-json";

/**
 * Request bodies of the admin identity endpoints, as Kratos' structs declare
 * them (identity/handler.go: CreateIdentityBody, UpdateIdentityBody,
 * IdentityWithCredentials; identity/identity.go: BatchPatchIdentitiesBody).
 * Only password, oidc and saml credentials can be imported; anything else
 * is an unknown field to the strict decoders of create and batch create.
 */

const str = (name = "string"): GoType => ({ kind: "string", name });
const bool: GoType = { kind: "bool" };
/** json.RawMessage fields keep their text: Kratos stores it and answers it (compacted) as sent. */
const raw: GoType = { kind: "raw", keepText: true };
/** Traits reach the validator with their numbers' text, as Kratos validates the json.RawMessage as written. */
const traitsRaw: GoType = { kind: "raw", numberText: true, keepText: true };
const uuid: GoType = { kind: "uuid", nullable: false };
const nullUuid: GoType = { kind: "uuid", nullable: true };

const passwordConfig: GoType = {
  kind: "struct",
  name: "identity.AdminIdentityImportCredentialsPasswordConfig",
  fields: { hashed_password: str(), password: str(), use_password_migration_hook: bool },
};

const oidcProvider: GoType = {
  kind: "struct",
  name: "identity.AdminCreateIdentityImportCredentialsOIDCProvider",
  fields: { subject: str(), provider: str(), use_auto_link: bool, organization: nullUuid },
};

const samlProvider: GoType = {
  kind: "struct",
  name: "identity.AdminCreateIdentityImportCredentialsSAMLProvider",
  fields: { subject: str(), provider: str(), organization: nullUuid },
};

const credentials: GoType = {
  kind: "struct",
  name: "identity.IdentityWithCredentials",
  pointer: true,
  fields: {
    password: {
      kind: "struct",
      name: "identity.AdminIdentityImportCredentialsPassword",
      fields: { config: passwordConfig },
      pointer: true,
    },
    oidc: {
      kind: "struct",
      name: "identity.AdminIdentityImportCredentialsOIDC",
      pointer: true,
      fields: {
        config: {
          kind: "struct",
          name: "identity.AdminIdentityImportCredentialsOIDCConfig",
          fields: { providers: { kind: "slice", name: "[]identity.AdminCreateIdentityImportCredentialsOIDCProvider", elem: oidcProvider } },
        },
      },
    },
    saml: {
      kind: "struct",
      name: "identity.AdminIdentityImportCredentialsSAML",
      pointer: true,
      fields: {
        config: {
          kind: "struct",
          name: "identity.AdminIdentityImportCredentialsSAMLConfig",
          fields: { providers: { kind: "slice", name: "[]identity.AdminCreateIdentityImportCredentialsSAMLProvider", elem: samlProvider } },
        },
      },
    },
  },
};

const time = (name: string): GoType => ({ kind: "time", name });

/** identity.VerifiableAddress as encoding/json reads it (also in a web hook's answer). */
export const verifiableAddress: GoType = {
  kind: "struct",
  name: "identity.VerifiableAddress",
  fields: {
    id: uuid,
    value: str(),
    verified: bool,
    via: str(),
    status: str("identity.VerifiableAddressStatus"),
    verified_at: time("sqlxx.NullTime"),
    created_at: time("time.Time"),
    updated_at: time("time.Time"),
  },
};

/** identity.RecoveryAddress as encoding/json reads it (also in a web hook's answer). */
export const recoveryAddress: GoType = {
  kind: "struct",
  name: "identity.RecoveryAddress",
  fields: { id: uuid, value: str(), via: str(), created_at: time("time.Time"), updated_at: time("time.Time") },
};

const createFields: Record<string, GoType> = {
  schema_id: str(),
  traits: traitsRaw,
  credentials,
  verifiable_addresses: { kind: "slice", name: "[]identity.VerifiableAddress", elem: verifiableAddress },
  recovery_addresses: { kind: "slice", name: "[]identity.RecoveryAddress", elem: recoveryAddress },
  metadata_public: raw,
  metadata_admin: raw,
  state: str("identity.State"),
  organization_id: nullUuid,
  external_id: str(),
};

const createBody: GoType & { kind: "struct" } = { kind: "struct", name: "identity.CreateIdentityBody", fields: createFields };

export const updateBody: GoType & { kind: "struct" } = {
  kind: "struct",
  name: "identity.UpdateIdentityBody",
  fields: {
    schema_id: str(),
    traits: traitsRaw,
    credentials,
    metadata_public: raw,
    metadata_admin: raw,
    state: str("identity.State"),
    external_id: str(),
  },
};

const batchBody: GoType & { kind: "struct" } = {
  kind: "struct",
  name: "identity.BatchPatchIdentitiesBody",
  fields: {
    identities: {
      kind: "slice",
      name: "[]*identity.BatchIdentityPatch",
      elem: {
        kind: "struct",
        name: "identity.BatchIdentityPatch",
        fields: { create: { ...createBody, pointer: true }, patch_id: uuid },
        pointer: true,
      },
    },
  },
};

export interface PasswordImport {
  hashed_password?: string;
  password?: string;
  use_password_migration_hook?: boolean;
}

export interface ProviderImport {
  subject?: string;
  provider?: string;
  use_auto_link?: boolean;
  organization?: string;
}

export interface CredentialsImport {
  password?: { config?: PasswordImport };
  oidc?: { config?: { providers?: (ProviderImport | null)[] } };
  saml?: { config?: { providers?: (ProviderImport | null)[] } };
}

export interface AddressImport {
  id?: string;
  value?: string;
  verified?: boolean;
  via?: string;
  status?: string;
  verified_at?: string;
  created_at?: string;
  updated_at?: string;
}

export interface CreateIdentityBody {
  schema_id?: string;
  traits?: JsonText;
  credentials?: CredentialsImport;
  verifiable_addresses?: (AddressImport | null)[];
  recovery_addresses?: (AddressImport | null)[];
  metadata_public?: JsonText;
  metadata_admin?: JsonText;
  state?: string;
  organization_id?: string;
  external_id?: string;
}

export type UpdateIdentityBody = Omit<CreateIdentityBody, "verifiable_addresses" | "recovery_addresses" | "organization_id">;

export interface BatchPatchIdentitiesBody {
  identities?: ({ create?: CreateIdentityBody; patch_id?: string } | null)[];
}

// The decoder checked every value against the struct description above, so the declared return types hold.
export const parseCreateIdentityBody = (body: Uint8Array): CreateIdentityBody => decodeGoJson(body, createBody, { strict: true });
export const parseBatchPatchBody = (body: Uint8Array): BatchPatchIdentitiesBody => decodeGoJson(body, batchBody, { strict: true });
