import { randomUUID } from "node:crypto";
import { extractFromTraits, type ExtractedAddress } from "./extensions";
import type { Credential, Identity, IdentityState, RecoveryAddress, VerifiableAddress } from "./identity";
import type { IdentityRepository } from "./repository";
import type { FieldError, IdentitySchema, SchemaRegistry } from "./schema-registry";

export class UnknownSchemaError extends Error {
  override name = "UnknownSchemaError";
}

export class TraitsValidationError extends Error {
  override name = "TraitsValidationError";
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => `${e.name ?? "(flow)"}: ${e.message.text}`).join("; "));
  }
}

export interface NewIdentityInput {
  schemaId: string;
  traits: Record<string, unknown>;
  state?: IdentityState;
  metadataPublic?: unknown;
  metadataAdmin?: unknown;
  externalId?: string | null;
  organizationId?: string | null;
  /** Credential configs by type; identifiers of schema-derived types are computed from traits. */
  credentials?: Record<string, { config: Record<string, unknown>; identifiers?: string[]; version?: number }>;
  /**
   * Address states given by the caller (admin imports, code sign-up), used
   * for the schema's address with the same value and the same `via`
   * (identity/extension_verification.go: an import without `via` matches nothing).
   */
  verifiableAddresses?: { value: string; via?: string; verified?: boolean; status?: VerifiableAddress["status"]; verifiedAt?: Date }[];
}

/**
 * Domain rules around identities: which schema, valid traits, identifiers and
 * addresses derived from the `ory.sh/kratos` extension keys.
 */
export class IdentityManager {
  constructor(
    readonly repository: IdentityRepository,
    readonly schemas: SchemaRegistry,
    /** Credential types whose identifiers the schema's `ory.sh/kratos` extension declares (the strategies say which). */
    private readonly schemaIdentifierTypes: readonly string[],
  ) {}

  schemaOf(schemaId: string): IdentitySchema {
    const schema = this.schemas.get(schemaId);
    // Kratos' wording (schema/schema.go, Schemas.GetByID), which the admin API returns as the reason.
    if (!schema) throw new UnknownSchemaError(`Unable to find JSON Schema ID: ${schemaId}`);
    return schema;
  }

  validateTraits(schemaId: string, traits: unknown): FieldError[] {
    return this.schemas.validateTraits(this.schemaOf(schemaId), traits);
  }

  /** Builds a new identity (not persisted). Throws TraitsValidationError on invalid traits. */
  build(input: NewIdentityInput): Identity {
    const errors = this.validateTraits(input.schemaId, input.traits);
    if (errors.length > 0) throw new TraitsValidationError(errors);
    const now = new Date();
    const identity: Identity = {
      id: randomUUID(),
      schemaId: input.schemaId,
      state: input.state ?? "active",
      stateChangedAt: input.state ? now : null,
      traits: input.traits,
      metadataPublic: input.metadataPublic ?? null,
      metadataAdmin: input.metadataAdmin ?? null,
      externalId: input.externalId ?? null,
      organizationId: input.organizationId ?? null,
      availableAal: null,
      createdAt: now,
      updatedAt: now,
      verifiableAddresses: [],
      recoveryAddresses: [],
      credentials: {},
    };
    for (const [type, c] of Object.entries(input.credentials ?? {})) {
      identity.credentials[type] = {
        id: randomUUID(),
        type,
        identifiers: c.identifiers ?? [],
        config: c.config,
        version: c.version ?? 0,
        createdAt: now,
        updatedAt: now,
      };
    }
    this.deriveFromTraits(identity, input.verifiableAddresses);
    return identity;
  }

  /** Replaces traits (validated) and re-derives identifiers and addresses. */
  setTraits(identity: Identity, traits: Record<string, unknown>, schemaId = identity.schemaId): void {
    const errors = this.validateTraits(schemaId, traits);
    if (errors.length > 0) throw new TraitsValidationError(errors);
    identity.schemaId = schemaId;
    identity.traits = traits;
    identity.updatedAt = new Date();
    this.deriveFromTraits(identity);
  }

  /** Re-computes schema-derived credential identifiers and verifiable/recovery addresses. */
  deriveFromTraits(identity: Identity, overrides: NewIdentityInput["verifiableAddresses"] = []): void {
    const extracted = extractFromTraits(this.schemaOf(identity.schemaId), identity.traits);
    for (const type of this.schemaIdentifierTypes) {
      const credential = identity.credentials[type];
      if (credential) credential.identifiers = extracted.identifiers[type] ?? [];
    }
    identity.verifiableAddresses = mergeVerifiable(identity.verifiableAddresses, extracted.verifiable, overrides ?? []);
    identity.recoveryAddresses = mergeRecovery(identity.recoveryAddresses, extracted.recovery);
  }

  /** Identifiers the schema declares for a credential type, from given traits (used by strategies). */
  identifiersFor(schemaId: string, traits: unknown, type: string): string[] {
    return extractFromTraits(this.schemaOf(schemaId), traits).identifiers[type] ?? [];
  }

  setCredential(identity: Identity, credential: Omit<Credential, "id" | "createdAt" | "updatedAt">): void {
    const now = new Date();
    const existing = identity.credentials[credential.type];
    identity.credentials[credential.type] = {
      ...credential,
      id: existing?.id ?? randomUUID(),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }
}

function mergeVerifiable(
  existing: VerifiableAddress[],
  wanted: ExtractedAddress[],
  overrides: NonNullable<NewIdentityInput["verifiableAddresses"]>,
): VerifiableAddress[] {
  const now = new Date();
  return wanted.map((w) => {
    const current = existing.find((e) => e.via === w.via && e.value === w.value);
    const override = overrides.find((o) => o.value.trim().toLowerCase() === w.value && o.via === w.via);
    const base: VerifiableAddress = current ?? {
      id: randomUUID(),
      value: w.value,
      via: w.via,
      verified: false,
      status: "pending",
      verifiedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    if (override) {
      const verified = override.verified ?? base.verified;
      return {
        ...base,
        verified,
        status: override.status ?? (verified ? "completed" : base.status),
        verifiedAt: verified ? (override.verifiedAt ?? base.verifiedAt ?? now) : null,
        updatedAt: now,
      };
    }
    return base;
  });
}

function mergeRecovery(existing: RecoveryAddress[], wanted: ExtractedAddress[]): RecoveryAddress[] {
  const now = new Date();
  return wanted.map(
    (w) =>
      existing.find((e) => e.via === w.via && e.value === w.value) ?? {
        id: randomUUID(),
        value: w.value,
        via: w.via,
        createdAt: now,
        updatedAt: now,
      },
  );
}
