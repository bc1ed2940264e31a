import { goToLower } from "@olympus/server-kit/text";
import { isPlainObject } from "../config/unknown-keys";
import type { Deps } from "../deps";
import { isValidHashFormat } from "../hashing/comparator";
import { KratosError } from "../http/errors";
import type { Identity, IdentityState } from "../identity/identity";
import { DuplicateIdentifierError } from "../identity/repository";
import type { RecoveryAddressInput, VerifiableAddressInput } from "../identity/manager";
import { adminErrors } from "./errors";
import type { AddressImport, CreateIdentityBody, CredentialsImport, PasswordImport, ProviderImport } from "./identity-body";
import { JsonText } from "../http/json-text";
import { givenTime as decodedTime } from "./go-time";
import { normalizeIdentifier } from "../identity/extensions";
import { withPlainNumbers } from "../identity/jsonschema/json-number";

/**
 * Turning admin request bodies into identities the way Kratos' handler does
 * (identity/handler.go identityFromCreateIdentityBody, handler_import.go
 * importCredentials) and validating them as its manager does
 * (identity/manager.go ValidateIdentity; the schema extensions in
 * identity/extension_*.go).
 */

export type CredentialDraft = { config: Record<string, unknown>; identifiers?: string[]; version?: number };

export interface IdentityDraft {
  schemaId: string;
  traits: JsonText | undefined;
  state: IdentityState;
  metadataPublic: JsonText | undefined;
  metadataAdmin: JsonText | undefined;
  externalId: string | null;
  organizationId: string | null;
  credentials: Record<string, CredentialDraft>;
  verifiableAddresses: AddressImport[];
  recoveryAddresses: AddressImport[];
}

/** identity.State.IsValid. */
export function parseState(value: string | undefined, fallback: IdentityState): IdentityState {
  if (value === undefined || value === "") return fallback;
  if (value !== "active" && value !== "inactive") throw adminErrors.badRequest("identity state is not valid");
  return value;
}

const MAX_BCRYPT_PASSWORD_BYTES = 72;

/**
 * importPasswordCredentials without the hashing: a plaintext password is
 * hashed later (batch imports check all items first); a hash must have a
 * prefix Kratos' comparator knows. Kratos' bcrypt hasher refuses plaintext
 * passwords longer than 72 bytes.
 */
export function checkPasswordImport(deps: Deps, config: PasswordImport): void {
  if (config.use_password_migration_hook) return;
  if (config.password) {
    const bytes = Buffer.byteLength(config.password, "utf8");
    if (deps.config.hashers.algorithm === "bcrypt" && bytes > MAX_BCRYPT_PASSWORD_BYTES) {
      // Kratos answers this password policy error with a 500 (it carries no status); a 400 here keeps "no 5xx for bad input".
      throw adminErrors.badRequest(
        `I[#/password] S[] the password does not fulfill the password policy because: The password must be at most ${MAX_BCRYPT_PASSWORD_BYTES} characters long, but got ${bytes}.`,
      );
    }
    return;
  }
  if (!isValidHashFormat(config.hashed_password ?? "")) {
    throw adminErrors.badRequest(
      "The imported password does not match any known hash format. For more information see https://www.ory.sh/dr/2",
    );
  }
}

export async function passwordCredential(deps: Deps, config: PasswordImport): Promise<CredentialDraft> {
  checkPasswordImport(deps, config);
  if (config.use_password_migration_hook) return { config: { use_password_migration_hook: true }, version: 0 };
  const hashed = config.password ? await deps.hasher.hash(config.password) : (config.hashed_password ?? "");
  return { config: { hashed_password: hashed }, version: 0 };
}

const oidcUniqueId = (p: ProviderImport) => `${p.provider ?? ""}:${p.subject ?? ""}`;

function providerEntry(p: ProviderImport, withAutoLink: boolean): Record<string, unknown> {
  return {
    subject: p.subject ?? "",
    provider: p.provider ?? "",
    ...(p.organization ? { organization: p.organization } : {}),
    ...(withAutoLink && p.use_auto_link ? { use_auto_link: true } : {}),
  };
}

/** importOIDCCredentials / importSAMLCredentials: new providers are appended to an existing credential. */
function socialCredential(
  existing: CredentialDraft | undefined,
  providers: (ProviderImport | null)[] | undefined,
  withAutoLink: boolean,
): CredentialDraft {
  const list = (providers ?? []).map((p) => p ?? {});
  const before: unknown[] = existing && Array.isArray(existing.config.providers) ? existing.config.providers : [];
  return {
    config: { providers: [...before, ...list.map((p) => providerEntry(p, withAutoLink))] },
    identifiers: [...(existing?.identifiers ?? []), ...list.map(oidcUniqueId)],
    version: existing?.version ?? 0,
  };
}

/** importCredentials: password, then oidc, then saml. */
export async function importCredentials(
  deps: Deps,
  credentials: Record<string, CredentialDraft>,
  body: CredentialsImport | undefined,
): Promise<void> {
  if (!body) return;
  if (body.password) credentials.password = await passwordCredential(deps, body.password.config ?? {});
  if (body.oidc) credentials.oidc = socialCredential(credentials.oidc, body.oidc.config?.providers, true);
  if (body.saml) credentials.saml = socialCredential(credentials.saml, body.saml.config?.providers, false);
}

/** The checks identityFromCreateIdentityBody makes before anything is validated or stored. */
export function checkCreateBody(deps: Deps, body: CreateIdentityBody): void {
  parseState(body.state, "active");
  if (body.credentials?.password) checkPasswordImport(deps, body.credentials.password.config ?? {});
}

export async function draftFromCreateBody(deps: Deps, body: CreateIdentityBody): Promise<IdentityDraft> {
  const state = parseState(body.state, "active");
  const credentials: Record<string, CredentialDraft> = {};
  await importCredentials(deps, credentials, body.credentials);
  return {
    schemaId: body.schema_id ?? "",
    traits: body.traits,
    state,
    metadataPublic: body.metadata_public,
    metadataAdmin: body.metadata_admin,
    externalId: body.external_id || null,
    organizationId: body.organization_id ?? null,
    credentials,
    // Lower-cased, "because the schema extension will otherwise not find them".
    verifiableAddresses: (body.verifiable_addresses ?? []).map((a) => ({ ...(a ?? {}), value: goToLower(a?.value ?? "") })),
    recoveryAddresses: (body.recovery_addresses ?? []).map((a) => ({ ...(a ?? {}), value: goToLower(a?.value ?? "") })),
  };
}

/** The schema (the default one for an empty id), or Kratos' 400. */
function schemaFor(deps: Deps, schemaId: string) {
  const id = schemaId === "" ? deps.schemas.defaultId : schemaId;
  const schema = deps.schemas.get(id);
  if (!schema) throw adminErrors.badRequest(`Unable to find JSON Schema ID: ${id}`);
  return { id, schema };
}

/**
 * Kratos validates `{"traits": <traits>}` with the identity schema and, on
 * failure, answers 400 with ory/jsonschema's error text as the reason.
 * Missing traits are `{}`. Numbers the body decoder kept with their text
 * are checked on it (`1.0` is no integer, a message shows `1e2`) and leave
 * as plain numbers.
 */
export async function validatedTraits(
  deps: Deps,
  schemaId: string,
  traits: unknown,
): Promise<{ schemaId: string; traits: Record<string, unknown> }> {
  const { id, schema } = schemaFor(deps, schemaId);
  const value = traits === undefined ? {} : traits;
  const problem = await deps.schemas.validationErrorText(schema, value);
  if (problem !== undefined) throw adminErrors.badRequest(problem);
  const plain = withPlainNumbers(value);
  // A schema that accepts non-object traits cannot derive anything from them: treat them as empty.
  return { schemaId: id, traits: isPlainObject(plain) ? plain : {} };
}

/**
 * The body's json.RawMessage texts as the identity's kept texts: Kratos puts
 * the bytes as sent into the identity (identity/handler.go create, update)
 * and answers them. Traits a schema accepts as a non-object are kept as `{}`
 * here, so their text is not.
 */
export function keepBodyTexts(
  identity: Identity,
  body: { traits?: JsonText | undefined; metadata_public?: JsonText | undefined; metadata_admin?: JsonText | undefined },
): void {
  const kept = (given: JsonText | undefined, value: unknown) => (given === undefined ? undefined : new JsonText(given.text, value));
  identity.jsonTexts = {
    traits: isPlainObject(body.traits?.value) ? kept(body.traits, identity.traits) : undefined,
    metadataPublic: kept(body.metadata_public, identity.metadataPublic),
    metadataAdmin: kept(body.metadata_admin, identity.metadataAdmin),
  };
}

/** Builds (and validates) a new identity from a draft; throws Kratos' 400 when it is invalid. */
export async function identityFromDraft(deps: Deps, draft: IdentityDraft): Promise<Identity> {
  const { schemaId, traits } = await validatedTraits(deps, draft.schemaId, draft.traits?.value);
  const identity = await deps.identities.build({
    schemaId,
    traits,
    state: draft.state,
    metadataPublic: draft.metadataPublic?.value ?? null,
    metadataAdmin: draft.metadataAdmin?.value ?? null,
    externalId: draft.externalId,
    organizationId: draft.organizationId,
    credentials: draft.credentials,
    verifiableAddresses: draft.verifiableAddresses.filter(matchesTraitAddress).map(verifiableAddressInput),
    recoveryAddresses: draft.recoveryAddresses.filter(matchesTraitAddress).map(recoveryAddressInput),
  });
  keepBodyTexts(identity, { traits: draft.traits, metadata_public: draft.metadataPublic, metadata_admin: draft.metadataAdmin });
  // Kratos stamps state_changed_at on every created identity.
  identity.stateChangedAt = identity.createdAt;
  identity.availableAal = deps.aal.availableFor(identity);
  return identity;
}

/**
 * An imported (or patched) verifiable address as identityFromCreateIdentityBody
 * passes it on: every field kept, any `status` string stored; the
 * persister fills in what is empty (normalizeVerifiableAddresses).
 */
export function verifiableAddressInput(a: AddressImport | null): VerifiableAddressInput {
  return {
    id: givenId(a?.id),
    value: a?.value ?? "",
    via: a?.via,
    verified: a?.verified ?? false,
    status: a?.status,
    verifiedAt: givenTime(a?.verified_at),
    createdAt: givenTime(a?.created_at),
  };
}

export function recoveryAddressInput(a: AddressImport | null): RecoveryAddressInput {
  return { id: givenId(a?.id), value: a?.value ?? "", via: a?.via, createdAt: givenTime(a?.created_at) };
}

/**
 * Whether a given address can stand for one the schema extensions derive
 * from the traits: extension_verification.go and extension_recovery.go `has`
 * compare values exactly with the normalised trait (trimmed, lower case), so
 * one given with surrounding spaces (or, in a patch, capitals) is passed over
 * and the trait's address starts afresh.
 */
export const matchesTraitAddress = (a: AddressImport | null): a is AddressImport =>
  a !== null && (a.value ?? "") === normalizeIdentifier(a.value ?? "");

/** batch.Create draws an id for uuid.Nil. */
const givenId = (id: string | undefined) => (id === undefined || id === "00000000-0000-0000-0000-000000000000" ? undefined : id);

/**
 * Go's zero time (what an absent time decodes to) counts as not given; a given one is stored as Kratos' Postgres keeps it
 * and answered as given (the create and patch answers are the decoded struct).
 */
function givenTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  return new Date(value).getTime() === new Date("0001-01-01T00:00:00Z").getTime() ? undefined : decodedTime(value);
}

/** Conflicts of creation, as the create handler words them. */
export function mapCreateError(error: unknown): unknown {
  if (error instanceof KratosError) return error;
  if (error instanceof DuplicateIdentifierError) return adminErrors.conflict();
  return error;
}

/** sqlcon.ErrUniqueViolation as update, patch and credential deletion return it (no reason). */
export function uniqueViolation(): KratosError {
  return new KratosError(409, { message: "Unable to insert or update resource because a resource with that value exists already" });
}
