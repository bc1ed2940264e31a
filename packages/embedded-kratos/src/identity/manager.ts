import { randomUUID } from "node:crypto";
import { extractFromTraits, normalizeIdentifier, type CodeAddress, type ExtractedAddress, type ExtractedTraits } from "./extensions";
import type { Credential, Identity, IdentityState, RecoveryAddress, VerifiableAddress } from "./identity";
import type { IdentityRepository } from "./repository";
import type { FieldError, IdentitySchema, SchemaRegistry } from "./schema-registry";
import { now as timeNow, nowMicroseconds } from "../clock/clock";
import { GoTime } from "../clock/go-time";
import { submittedTextOf, withSubmittedNumberTexts } from "../http/submitted-json";

/** The identity's kept traits text: the JSON body's text of these very traits, if they came from one. */
const keptTraitsText = (traits: unknown): Identity["jsonTexts"] => ({ traits: submittedTextOf(traits) });

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
   * Addresses given by the caller (admin imports, OIDC sign-up), taken over
   * for the schema's address with the same value and the same `via`
   * (identity/extension_verification.go: an import without `via` matches nothing).
   */
  verifiableAddresses?: VerifiableAddressInput[];
  /** The same for recovery addresses (identity/extension_recovery.go). */
  recoveryAddresses?: RecoveryAddressInput[];
}

/**
 * A verifiable address as given: Kratos keeps the given object whole, so
 * what is absent takes Go's zero value and the persister's defaults
 * (persister_identity.go normalizeVerifiableAddresses, batch.Create): a new
 * id, created_at now, a status that follows `verified`.
 */
export interface VerifiableAddressInput {
  id?: string;
  value: string;
  via?: string;
  verified?: boolean;
  status?: string;
  verifiedAt?: Date;
  createdAt?: Date;
}

export interface RecoveryAddressInput {
  id?: string;
  value: string;
  via?: string;
  createdAt?: Date;
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

  /**
   * Kratos compiles the schema for each validation (schema-registry.ts): async, and rejects with a 500 when it cannot.
   * Traits a self-service JSON body gave are checked on their numbers' text, as Kratos validates the json.RawMessage.
   */
  validateTraits(schemaId: string, traits: unknown): Promise<FieldError[]> {
    return this.schemas.validateTraits(this.schemaOf(schemaId), withSubmittedNumberTexts(traits));
  }

  /** Builds a new identity (not persisted). Throws TraitsValidationError on invalid traits. */
  async build(input: NewIdentityInput): Promise<Identity> {
    const errors = await this.validateTraits(input.schemaId, input.traits);
    if (errors.length > 0) throw new TraitsValidationError(errors);
    // pop/batch stamps created_at and updated_at truncated to the microsecond (batch/create.go); state_changed_at is time.Now().
    const now = nowMicroseconds();
    const identity: Identity = {
      id: randomUUID(),
      schemaId: input.schemaId,
      state: input.state ?? "active",
      stateChangedAt: input.state ? timeNow() : null,
      traits: input.traits,
      // The strategy's json.RawMessage: the text a JSON body gave the traits is what Kratos stores and answers.
      jsonTexts: keptTraitsText(input.traits),
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
    this.deriveFromTraits(identity, input.verifiableAddresses, input.recoveryAddresses);
    return identity;
  }

  /** Replaces traits (validated) and re-derives identifiers and addresses. */
  async setTraits(identity: Identity, traits: Record<string, unknown>, schemaId = identity.schemaId): Promise<void> {
    const errors = await this.validateTraits(schemaId, traits);
    if (errors.length > 0) throw new TraitsValidationError(errors);
    identity.schemaId = schemaId;
    identity.traits = traits;
    identity.jsonTexts = { ...identity.jsonTexts, ...keptTraitsText(traits) };
    identity.updatedAt = nowMicroseconds();
    this.deriveFromTraits(identity);
  }

  /**
   * Re-computes what the schema's extension keys derive: the credentials
   * holding its identifiers (created when missing, as Kratos' schema
   * extension does on every create and update) and the verifiable and
   * recovery addresses.
   */
  deriveFromTraits(identity: Identity, overrides: VerifiableAddressInput[] = [], recoveryOverrides: RecoveryAddressInput[] = []): void {
    const extracted = extractFromTraits(this.schemaOf(identity.schemaId), identity.traits);
    for (const type of this.schemaIdentifierTypes) applySchemaCredential(identity, type, extracted);
    identity.verifiableAddresses = mergeVerifiable(identity.verifiableAddresses, extracted.verifiable, overrides);
    identity.recoveryAddresses = mergeRecovery(identity.recoveryAddresses, extracted.recovery, recoveryOverrides);
  }

  /** Identifiers the schema declares for a credential type, from given traits (used by strategies). */
  identifiersFor(schemaId: string, traits: unknown, type: string): string[] {
    return extractFromTraits(this.schemaOf(schemaId), traits).identifiers[type] ?? [];
  }

  setCredential(identity: Identity, credential: Omit<Credential, "id" | "createdAt" | "updatedAt">): void {
    const now = nowMicroseconds();
    const existing = identity.credentials[credential.type];
    identity.credentials[credential.type] = {
      ...credential,
      id: existing?.id ?? randomUUID(),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }
}

/**
 * identity/extension_credentials.go (SchemaExtensionCredentials.Run,
 * setIdentifier): a trait marked `credentials.<type>.identifier` gives the
 * identity a `<type>` credential holding the identifiers — a new one has an
 * empty config (version 0), except `code`, whose config lists the addresses
 * with their channel, sorted by address then channel (version 1 when new).
 * The identifiers replace the stored ones; a type no trait names is left
 * as it is (the extension never runs for it).
 */
function applySchemaCredential(identity: Identity, type: string, extracted: ExtractedTraits): void {
  const identifiers = extracted.identifiers[type] ?? [];
  if (identifiers.length === 0) return;
  const now = nowMicroseconds();
  const existing = identity.credentials[type];
  const credential: Credential = existing ?? {
    id: randomUUID(),
    type,
    identifiers: [],
    config: {},
    version: type === "code" ? 1 : 0,
    createdAt: now,
    updatedAt: now,
  };
  credential.identifiers = identifiers;
  if (type === "code") credential.config = { addresses: sortedCodeAddresses(extracted.codeAddresses) };
  identity.credentials[type] = credential;
}

function sortedCodeAddresses(addresses: readonly CodeAddress[]): CodeAddress[] {
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...addresses].sort((a, b) => order(a.address, b.address) || order(a.channel, b.channel));
}

/** Equal as stored: Postgres' microseconds of the wall clock (a time given with an offset is stored without it). */
const storedForm = (t: Date | null | undefined) => (t ? GoTime.from(t).toPostgres() : null);
const sameTime = (a: Date | null | undefined, b: Date | null | undefined) => storedForm(a) === storedForm(b);

const matches = (given: { value: string; via?: string }, wanted: ExtractedAddress) =>
  normalizeIdentifier(given.value) === wanted.value && given.via === wanted.via;

function mergeVerifiable(
  existing: VerifiableAddress[],
  wanted: ExtractedAddress[],
  overrides: VerifiableAddressInput[],
): VerifiableAddress[] {
  const now = nowMicroseconds();
  return wanted.map((w) => {
    const current = existing.find((e) => e.via === w.via && e.value === w.value);
    const override = overrides.find((o) => matches(o, w));
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
    if (!override) return base;
    // extension_verification.go merge: the given address replaces the schema's.
    const verified = override.verified ?? false;
    const given: VerifiableAddress = {
      id: override.id ?? randomUUID(),
      value: w.value,
      via: w.via,
      verified,
      status: override.status || (verified ? "completed" : "pending"),
      verifiedAt: verified ? (override.verifiedAt ?? timeNow()) : null,
      createdAt: override.createdAt ?? now,
      updatedAt: now,
    };
    // An address given back unchanged is kept as stored (persister updateAssociationWith: same signature).
    const unchanged =
      current !== undefined &&
      given.id === current.id &&
      given.verified === current.verified &&
      given.status === current.status &&
      sameTime(given.verifiedAt, current.verifiedAt) &&
      sameTime(given.createdAt, current.createdAt);
    return unchanged ? current : given;
  });
}

function mergeRecovery(existing: RecoveryAddress[], wanted: ExtractedAddress[], overrides: RecoveryAddressInput[]): RecoveryAddress[] {
  const now = nowMicroseconds();
  return wanted.map((w) => {
    const current = existing.find((e) => e.via === w.via && e.value === w.value);
    const override = overrides.find((o) => matches(o, w));
    if (!override) return current ?? { id: randomUUID(), value: w.value, via: w.via, createdAt: now, updatedAt: now };
    // extension_recovery.go: the given address is kept as it is.
    const given: RecoveryAddress = {
      id: override.id ?? randomUUID(),
      value: w.value,
      via: w.via,
      createdAt: override.createdAt ?? now,
      updatedAt: now,
    };
    return current && given.id === current.id && sameTime(given.createdAt, current.createdAt) ? current : given;
  });
}
