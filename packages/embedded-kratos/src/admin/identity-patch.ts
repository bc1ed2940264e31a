import type { Deps } from "../deps";
import { errors, KratosError } from "../http/errors";
import type { Identity } from "../identity/identity";
import { adminIdentityJson } from "../session/json";
import { isPlainObject } from "../config/unknown-keys";
import { GoValueTooDeepError, readGoNode, type GoNode } from "@olympus/server-kit/go-json";
import { decodeGoJson, GoJsonError, type GoJson, type GoType } from "./go-json";
import { goTimeJson, storedWallClock } from "./go-time";
import { goTimeString } from "../clock/go-time";
import { keepBodyTexts, matchesTraitAddress, recoveryAddressInput, validatedTraits, verifiableAddressInput } from "./identity-import";
import { stringifyJson, type JsonText } from "../http/json-text";
import { applyRawPatch, JsonPatchError, parseIdentityPatch } from "./json-patch";
import { now as timeNow, nowMicroseconds } from "../clock/clock";

/**
 * PATCH /admin/identities/{id} (identity/handler.go patch): the patch runs
 * on the identity as the admin API shows it *with* credential configs, the
 * result is read back as Go reads an Identity, and the manager validates and
 * stores it. So traits, state, metadata, external_id, organization_id,
 * address states (`verified`, `status`, `verified_at`) and credential
 * configs can be patched; `/id`, `/credentials` and OIDC credentials cannot.
 */

const time = (name: string): GoType => ({ kind: "time", name });
const str = (name = "string"): GoType => ({ kind: "string", name });
const raw: GoType = { kind: "raw" };
/** Traits and metadata are json.RawMessage: the patched document's text is what Kratos answers and stores. */
const rawText: GoType = { kind: "raw", keepText: true };

/** The fields of identity.Identity (as WithCredentialsAndAdminMetadataInJSON) json.Unmarshal fills. */
const patchedIdentity: GoType & { kind: "struct" } = {
  kind: "struct",
  name: "identity.WithCredentialsAndAdminMetadataInJSON",
  fields: {
    id: { kind: "uuid", nullable: false },
    external_id: str(),
    credentials: {
      kind: "map",
      name: "map[identity.CredentialsType]identity.Credentials",
      elem: {
        kind: "struct",
        name: "identity.Credentials",
        fields: {
          type: str("identity.CredentialsType"),
          identifiers: { kind: "slice", name: "[]string", elem: str() },
          config: raw,
          version: { kind: "int" },
          created_at: time("time.Time"),
          updated_at: time("time.Time"),
        },
      },
    },
    schema_id: str(),
    schema_url: str(),
    state: str("identity.State"),
    state_changed_at: time("sqlxx.NullTime"),
    // Validated on their numbers' text, as on create.
    traits: { kind: "raw", numberText: true, keepText: true },
    verifiable_addresses: {
      kind: "slice",
      name: "[]identity.VerifiableAddress",
      elem: {
        kind: "struct",
        name: "identity.VerifiableAddress",
        fields: {
          id: { kind: "uuid", nullable: false },
          value: str(),
          verified: { kind: "bool" },
          via: str(),
          status: str("identity.VerifiableAddressStatus"),
          verified_at: time("sqlxx.NullTime"),
          created_at: time("time.Time"),
          updated_at: time("time.Time"),
        },
      },
    },
    recovery_addresses: {
      kind: "slice",
      name: "[]identity.RecoveryAddress",
      elem: {
        kind: "struct",
        name: "identity.RecoveryAddress",
        fields: {
          id: { kind: "uuid", nullable: false },
          value: str(),
          via: str(),
          created_at: time("time.Time"),
          updated_at: time("time.Time"),
        },
      },
    },
    metadata_public: rawText,
    metadata_admin: rawText,
    created_at: time("time.Time"),
    updated_at: time("time.Time"),
    organization_id: { kind: "uuid", nullable: true },
  },
};

interface PatchedCredential {
  identifiers?: string[];
  config?: GoJson;
  version?: number;
}

interface PatchedAddress {
  id?: string;
  value?: string;
  verified?: boolean;
  via?: string;
  status?: string;
  verified_at?: string;
  created_at?: string;
}

interface PatchedIdentity {
  external_id?: string;
  credentials?: Record<string, PatchedCredential | null>;
  schema_id?: string;
  state?: string;
  traits?: JsonText;
  verifiable_addresses?: (PatchedAddress | null)[];
  recovery_addresses?: (PatchedAddress | null)[];
  metadata_public?: JsonText;
  metadata_admin?: JsonText;
  organization_id?: string;
  schema_url?: string;
  state_changed_at?: string;
  created_at?: string;
}

const patchError = (message: string) => new KratosError(400, { reason: "An error occured when applying the JSON patch", message });

/**
 * The identity with every credential config as the patch reads it: the text
 * of json.Marshal(WithCredentialsAndAdminMetadataInJSON(identity)), so
 * traits and metadata are the text Postgres gave back (jsonb's key order
 * and numbers), compacted and HTML-escaped.
 */
function patchDocument(deps: Deps, identity: Identity): GoNode {
  const doc = adminIdentityJson(deps, identity);
  const credentials = doc.credentials;
  if (isPlainObject(credentials)) {
    for (const [type, c] of Object.entries(identity.credentials)) {
      const entry = credentials[type];
      if (isPlainObject(entry)) entry.config = structuredClone(c.config);
    }
  }
  // stringifyJson writes json.Marshal's bytes, HTML escaping included (also in the json.RawMessage fields).
  const bytes = Buffer.from(stringifyJson(doc), "utf8");
  return readGoNode(bytes, bytes.length);
}

/** What the patch changed beyond the identity object itself. */
export interface PatchOutcome {
  /** The patched `metadata_admin` as decoded (undefined when the patch removed the key). */
  metadataAdmin: GoJson | undefined;
  /** `created_at` was patched and must be stored: update.Generic writes every column. */
  createdAtChanged: boolean;
  /** `schema_url` is not stored (db:"-"), but the answer is the patched struct. */
  schemaUrl: string;
  /**
   * Patched times as the answer shows them: Go's in-memory time keeps the
   * given offset and nanoseconds, while Postgres keeps only the wall clock.
   */
  answerTimes: { created_at?: string; state_changed_at?: string };
}

/** Go's zero time.Time, what a removed `created_at` decodes to. */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/**
 * Applies `body` (the raw JSON Patch) to `identity` in place; throws Kratos'
 * errors (identity/handler.go patch).
 */
export async function applyIdentityPatch(deps: Deps, identity: Identity, body: Uint8Array): Promise<PatchOutcome> {
  let patched: PatchedIdentity;
  try {
    const operations = parseIdentityPatch(body);
    const result = applyRawPatch(patchDocument(deps, identity), operations);
    // json.Unmarshal of json-patch's text; the decoder checked the shape against the struct description above.
    patched = decodeGoJson(Buffer.from(result, "utf8"), patchedIdentity, { strict: false });
  } catch (error) {
    if (error instanceof JsonPatchError || error instanceof GoJsonError) throw patchError(error.message);
    // A value added deeper than the node reader follows.
    if (error instanceof GoValueTooDeepError) throw errors.badRequest("The request body is nested too deeply.");
    throw error;
  }

  // The answer is the patched struct, whose times keep the offset and digits they were given.
  const answerTimes: PatchOutcome["answerTimes"] = {};
  const state = patched.state ?? "";
  if (state !== identity.state) {
    if (state !== "active" && state !== "inactive") {
      throw new KratosError(400, {
        reason: `The supplied state ('${state}') was not valid. Valid states are ('active', 'inactive').`,
        message: "identity state is not valid",
      });
    }
    identity.state = state;
    identity.stateChangedAt = timeNow();
  } else {
    // Only a state change stamps it; otherwise the patched value is stored (update.Generic).
    const given = patched.state_changed_at;
    if (given !== undefined && given !== (identity.stateChangedAt ? goTimeString(identity.stateChangedAt) : undefined))
      answerTimes.state_changed_at = goTimeJson(given);
    identity.stateChangedAt = given ? storedWallClock(given) : null;
  }
  const createdAt = patched.created_at ?? GO_ZERO_TIME;
  if (createdAt !== goTimeString(identity.createdAt)) answerTimes.created_at = goTimeJson(createdAt);
  const createdAtChanged = goTimeString(storedWallClock(createdAt)) !== goTimeString(identity.createdAt);
  if (createdAtChanged) identity.createdAt = storedWallClock(createdAt);

  const { schemaId, traits } = await validatedTraits(deps, patched.schema_id ?? "", patched.traits?.value);
  identity.schemaId = schemaId;
  identity.traits = traits;
  identity.metadataPublic = patched.metadata_public?.value ?? null;
  identity.metadataAdmin = patched.metadata_admin?.value ?? null;
  keepBodyTexts(identity, patched);
  identity.externalId = patched.external_id || null;
  identity.organizationId = patched.organization_id ?? null;
  applyPatchedCredentials(deps, identity, patched.credentials ?? {});
  // The patched struct's addresses are all the extensions see (the stored ones are only diffed against when stored).
  identity.verifiableAddresses = [];
  identity.recoveryAddresses = [];
  deps.identities.deriveFromTraits(
    identity,
    (patched.verifiable_addresses ?? []).filter(matchesTraitAddress).map(verifiableAddressInput),
    (patched.recovery_addresses ?? []).filter(matchesTraitAddress).map(recoveryAddressInput),
  );
  identity.updatedAt = nowMicroseconds();
  return {
    metadataAdmin: patched.metadata_admin,
    createdAtChanged,
    schemaUrl: patched.schema_url ?? "",
    answerTimes,
  };
}

/** The credentials map after the patch decides which types exist and what their configs are. */
function applyPatchedCredentials(deps: Deps, identity: Identity, patched: Record<string, PatchedCredential | null>): void {
  for (const type of Object.keys(identity.credentials)) if (!Object.hasOwn(patched, type)) delete identity.credentials[type];
  for (const [type, c] of Object.entries(patched)) {
    const existing = identity.credentials[type];
    const config = c?.config && typeof c.config === "object" && !Array.isArray(c.config) ? (c.config as Record<string, unknown>) : {};
    deps.identities.setCredential(identity, {
      type,
      identifiers: c?.identifiers ?? existing?.identifiers ?? [],
      config,
      version: c?.version ?? existing?.version ?? 0,
    });
  }
}
