import { randomUUID } from "node:crypto";
import type pg from "pg";
import { type Database, isUniqueViolation, type Queryable } from "../storage/database";
import { normalizeIdentifier } from "./extensions";
import { readIdentityJsonColumns, selectColumn, storedJsonParam } from "./stored-json";
import type { AuthenticatorAssuranceLevel, Credential, Identity, IdentityState, RecoveryAddress, VerifiableAddress } from "./identity";
import { nowMicroseconds } from "../clock/clock";

interface IdentityRow {
  id: string;
  schema_id: string;
  state: IdentityState;
  state_changed_at: Date | null;
  /** jsonb read as text (stored-json.ts). */
  traits: string;
  metadata_public: string | null;
  metadata_admin: string | null;
  external_id: string | null;
  organization_id: string | null;
  available_aal: AuthenticatorAssuranceLevel | null;
  created_at: Date;
  updated_at: Date;
}

interface CredentialRow {
  id: string;
  identity_id: string;
  type: string;
  config: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
  identifiers: string[] | null;
}

interface VerifiableAddressRow {
  id: string;
  identity_id: string;
  via: string;
  value: string;
  verified: boolean;
  status: VerifiableAddress["status"];
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface RecoveryAddressRow {
  id: string;
  identity_id: string;
  via: string;
  value: string;
  created_at: Date;
  updated_at: Date;
}

/** Raised when an identifier is already used by another identity of the same credential type. */
export class DuplicateIdentifierError extends Error {
  override name = "DuplicateIdentifierError";
}

export interface ListIdentitiesQuery {
  pageSize: number;
  /** Keyset cursor: return identities with id > after. */
  after?: string;
  /** Legacy page pagination: skip this many (instead of `after`). */
  offset?: number;
  ids?: string[];
  organizationId?: string;
  /** Exact identifier (credentials_identifier) … */
  credentialsIdentifier?: string;
  /** … or identifier prefix (preview_credentials_identifier_similar). */
  credentialsIdentifierPrefix?: string;
  withCredentials?: boolean;
}

/**
 * Identifier lookups of the admin list as Kratos' persister runs them
 * (persistence/sql/identity/persister_identity.go, ListIdentities): for
 * password, webauthn and code identifiers the query is normalised
 * (trimmed, lower-cased), for oidc and saml identifiers it is used as is.
 */
const NORMALISED_IDENTIFIER_TYPES = ["webauthn", "password", "code"];
const RAW_IDENTIFIER_TYPES = ["oidc", "saml"];

/** Kratos' x.EscapeLikePattern. */
const escapeLike = (s: string) => s.replace(/\\/g, "\\\\").replace(/%/g, "\\%").replace(/_/g, "\\_");

const IDENTITY_COLUMN_NAMES = [
  "id",
  "schema_id",
  "state",
  "state_changed_at",
  "traits",
  "metadata_public",
  "metadata_admin",
  "external_id",
  "organization_id",
  "available_aal",
  "created_at",
  "updated_at",
] as const;
const IDENTITY_COLUMNS = IDENTITY_COLUMN_NAMES.join(", ");
/** The select list of an identity row; `prefix` is a table alias with its dot. */
const identitySelect = (prefix = "") => IDENTITY_COLUMN_NAMES.map((c) => selectColumn(c, prefix)).join(", ");
/** `$n` of each column in the parameters identityRowValues gives. */
const columnParam = (column: (typeof IDENTITY_COLUMN_NAMES)[number]) => `$${IDENTITY_COLUMN_NAMES.indexOf(column) + 1}`;

/** An identity's row as query parameters, in IDENTITY_COLUMN_NAMES' order (one list for insert and update). */
function identityRowValues(identity: Identity): unknown[] {
  const values: Record<(typeof IDENTITY_COLUMN_NAMES)[number], unknown> = {
    id: identity.id,
    schema_id: identity.schemaId,
    state: identity.state,
    state_changed_at: identity.stateChangedAt,
    traits: storedJsonParam(identity.traits, identity.jsonTexts?.traits) ?? "{}",
    metadata_public: storedJsonParam(identity.metadataPublic, identity.jsonTexts?.metadataPublic),
    metadata_admin: storedJsonParam(identity.metadataAdmin, identity.jsonTexts?.metadataAdmin),
    external_id: identity.externalId,
    organization_id: identity.organizationId,
    available_aal: identity.availableAal,
    created_at: identity.createdAt,
    updated_at: identity.updatedAt,
  };
  return IDENTITY_COLUMN_NAMES.map((column) => values[column]);
}

/**
 * Every column but `id` takes its new value; `created_at` only when the
 * extra last parameter says so (an admin JSON Patch of it), so other
 * updates keep its microseconds.
 */
const UPDATE_IDENTITY_SQL = `UPDATE identities SET ${IDENTITY_COLUMN_NAMES.filter((c) => c !== "id")
  .map((c) =>
    c === "created_at"
      ? `created_at = CASE WHEN $${IDENTITY_COLUMN_NAMES.length + 1}::boolean THEN ${columnParam(c)}::timestamptz ELSE created_at END`
      : `${c} = ${columnParam(c)}`,
  )
  .join(", ")} WHERE id = ${columnParam("id")}`;

export class IdentityRepository {
  constructor(private readonly db: Database) {}

  /** Inserts an identity with its credentials and addresses in one transaction. */
  async create(identity: Identity): Promise<void> {
    await this.db.transaction((tx) => this.insert(tx, identity)).catch(rethrowDuplicate);
  }

  /**
   * Inserts several identities in one transaction, as Kratos' persister
   * CreateIdentities does (persistence/sql/identity/persister_identity.go):
   * one that conflicts with a stored identity or an earlier one of the list
   * is left out (its partial rows undone) and returned, the others are
   * created; any other failure rolls the whole list back.
   */
  async createMany(identities: readonly Identity[]): Promise<Set<string>> {
    return this.db.transaction(async (tx) => {
      const conflicting = new Set<string>();
      for (const identity of identities) {
        await tx.query("SAVEPOINT create_identity");
        try {
          await this.insert(tx, identity);
          await tx.query("RELEASE SAVEPOINT create_identity");
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          await tx.query("ROLLBACK TO SAVEPOINT create_identity");
          conflicting.add(identity.id);
        }
      }
      return conflicting;
    });
  }

  private async insert(tx: pg.PoolClient, identity: Identity): Promise<void> {
    await tx.query(
      `INSERT INTO identities (${IDENTITY_COLUMNS}) VALUES (${IDENTITY_COLUMN_NAMES.map(columnParam).join(", ")})`,
      identityRowValues(identity),
    );
    await this.writeCredentials(tx, identity);
    await this.writeAddresses(tx, identity);
  }

  /**
   * Replaces an identity's row, credentials and addresses (addresses keep
   * their verification state by value). `created_at` is written only when
   * asked to (an admin JSON Patch of it), so other updates keep its microseconds.
   */
  async update(identity: Identity, options: { writeCreatedAt?: boolean } = {}): Promise<void> {
    await this.db
      .transaction(async (tx) => {
        const result = await tx.query(UPDATE_IDENTITY_SQL, [...identityRowValues(identity), options.writeCreatedAt === true]);
        if (result.rowCount === 0) return;
        await this.writeCredentials(tx, identity);
        await this.writeAddresses(tx, identity);
      })
      .catch(rethrowDuplicate);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.query("DELETE FROM identities WHERE id = $1", [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async get(id: string, options: { withCredentials?: boolean } = {}): Promise<Identity | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<IdentityRow>(`SELECT ${identitySelect()} FROM identities WHERE id = $1`, [id]);
    const [identity] = await this.hydrate(this.db, rows, options.withCredentials ?? false);
    return identity;
  }

  async list(query: ListIdentitiesQuery): Promise<Identity[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.after && query.offset === undefined) {
      params.push(query.after);
      where.push(`i.id > $${params.length}`);
    }
    if (query.ids && query.ids.length > 0) {
      params.push(query.ids.filter(isUuid));
      where.push(`i.id = ANY($${params.length}::uuid[])`);
    } else if (query.organizationId) {
      params.push(query.organizationId);
      where.push(`i.organization_id = $${params.length}`);
    }
    const exact = query.credentialsIdentifier;
    const prefix = exact === undefined ? query.credentialsIdentifierPrefix : undefined;
    if (exact !== undefined || prefix !== undefined) {
      const [operator, pattern] = exact !== undefined ? ["=", exact] : ["LIKE", `${escapeLike(prefix ?? "")}%`];
      params.push(NORMALISED_IDENTIFIER_TYPES, normalizeIdentifier(pattern), RAW_IDENTIFIER_TYPES, pattern);
      const n = params.length;
      where.push(`i.id IN (SELECT identity_id FROM identity_credential_identifiers
        WHERE (type = ANY($${n - 3}::text[]) AND identifier ${operator} $${n - 2}) OR (type = ANY($${n - 1}::text[]) AND identifier ${operator} $${n}))`);
    }
    params.push(query.pageSize);
    let limit = `LIMIT $${params.length}`;
    if (query.offset !== undefined) {
      params.push(query.offset);
      limit += ` OFFSET $${params.length}`;
    }
    const sql = `SELECT ${identitySelect("i.")} FROM identities i
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY i.id ASC ${limit}`;
    const { rows } = await this.db.query<IdentityRow>(sql, params);
    return this.hydrate(this.db, rows, query.withCredentials ?? false);
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>("SELECT count(*) AS n FROM identities");
    return Number(rows[0]?.n ?? 0);
  }

  async getByExternalId(externalId: string, options: { withCredentials?: boolean } = {}): Promise<Identity | undefined> {
    const { rows } = await this.db.query<IdentityRow>(`SELECT ${identitySelect()} FROM identities WHERE external_id = $1`, [externalId]);
    const [identity] = await this.hydrate(this.db, rows, options.withCredentials ?? false);
    return identity;
  }

  /** Finds the identity owning `identifier` for a credential type, with all its credentials loaded. */
  async findByCredentialIdentifier(type: string, identifier: string): Promise<{ identity: Identity; credential: Credential } | undefined> {
    const { rows } = await this.db.query<IdentityRow>(
      `SELECT ${identitySelect("i.")}
         FROM identity_credential_identifiers ci JOIN identities i ON i.id = ci.identity_id
        WHERE ci.type = $1 AND ci.identifier = $2`,
      // NormalizeIdentifier: password, webauthn and code identifiers are trimmed and lower-cased; every other
      // type (oidc and saml subjects, a passkey's user handle, totp, lookup) is matched as stored.
      [type, NORMALISED_IDENTIFIER_TYPES.includes(type) ? normalizeIdentifier(identifier) : identifier],
    );
    const [identity] = await this.hydrate(this.db, rows, true);
    const credential = identity?.credentials[type];
    return identity && credential ? { identity, credential } : undefined;
  }

  /**
   * IdentityPersister.FindIdentityByWebauthnUserHandle: the identity whose
   * `webauthn` credential carries this user handle (its config's
   * `user_handle`, standard base64 as Go writes []byte), with credentials.
   * The passkey login falls back to it for keys registered as `webauthn`.
   */
  async findByWebauthnUserHandle(userHandle: Uint8Array): Promise<Identity | undefined> {
    const { rows } = await this.db.query<IdentityRow>(
      `SELECT ${identitySelect("i.")}
         FROM identities i JOIN identity_credentials c ON c.identity_id = i.id
        WHERE c.type = 'webauthn' AND c.config ->> 'user_handle' = $1
        LIMIT 1`,
      [Buffer.from(userHandle).toString("base64")],
    );
    const [identity] = await this.hydrate(this.db, rows, true);
    return identity;
  }

  /**
   * IdentityPersister.FindIdentityByCredentialIdentifier (case-insensitive):
   * the identity owning this identifier in any credential type, the
   * identifier normalised as a password identifier is.
   */
  async findByAnyCredentialIdentifier(identifier: string, options: { withCredentials?: boolean } = {}): Promise<Identity | undefined> {
    const { rows } = await this.db.query<IdentityRow>(
      `SELECT ${identitySelect("i.")}
         FROM identity_credential_identifiers ci JOIN identities i ON i.id = ci.identity_id
        WHERE ci.identifier = $1
        LIMIT 1`,
      [normalizeIdentifier(identifier)],
    );
    const [identity] = await this.hydrate(this.db, rows, options.withCredentials ?? false);
    return identity;
  }

  async updateCredentialConfig(credentialId: string, config: Record<string, unknown>): Promise<void> {
    await this.db.query("UPDATE identity_credentials SET config = $2, updated_at = now() WHERE id = $1", [
      credentialId,
      JSON.stringify(config),
    ]);
  }

  private async hydrate(q: Queryable, rows: IdentityRow[], withCredentials: boolean): Promise<Identity[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [verifiable, recovery, credentials] = await Promise.all([
      q.query<VerifiableAddressRow>("SELECT * FROM identity_verifiable_addresses WHERE identity_id = ANY($1::uuid[]) ORDER BY id", [ids]),
      q.query<RecoveryAddressRow>("SELECT * FROM identity_recovery_addresses WHERE identity_id = ANY($1::uuid[]) ORDER BY id", [ids]),
      withCredentials
        ? q.query<CredentialRow>(
            `SELECT c.id, c.identity_id, c.type, c.config, c.version, c.created_at, c.updated_at,
                    array_remove(array_agg(ci.identifier ORDER BY ci.identifier), NULL) AS identifiers
               FROM identity_credentials c LEFT JOIN identity_credential_identifiers ci ON ci.identity_credential_id = c.id
              WHERE c.identity_id = ANY($1::uuid[]) GROUP BY c.id`,
            [ids],
          )
        : Promise.resolve(undefined),
    ]);
    return rows.map((row) => {
      return {
        id: row.id,
        schemaId: row.schema_id,
        state: row.state,
        stateChangedAt: row.state_changed_at,
        ...readIdentityJsonColumns(row.traits, row.metadata_public, row.metadata_admin),
        externalId: row.external_id,
        organizationId: row.organization_id,
        availableAal: row.available_aal,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        verifiableAddresses: verifiable.rows
          .filter((a) => a.identity_id === row.id)
          .map((a) => ({
            id: a.id,
            value: a.value,
            verified: a.verified,
            via: a.via,
            status: a.status,
            verifiedAt: a.verified_at,
            createdAt: a.created_at,
            updatedAt: a.updated_at,
          })),
        recoveryAddresses: recovery.rows
          .filter((a) => a.identity_id === row.id)
          .map((a) => ({ id: a.id, value: a.value, via: a.via, createdAt: a.created_at, updatedAt: a.updated_at })),
        credentials: Object.fromEntries(
          (credentials?.rows ?? [])
            .filter((c) => c.identity_id === row.id)
            .map((c) => [
              c.type,
              {
                id: c.id,
                type: c.type,
                identifiers: c.identifiers ?? [],
                config: c.config,
                version: c.version,
                createdAt: c.created_at,
                updatedAt: c.updated_at,
              },
            ]),
        ),
      };
    });
  }

  private async writeCredentials(tx: pg.PoolClient, identity: Identity): Promise<void> {
    const types = Object.keys(identity.credentials);
    await tx.query("DELETE FROM identity_credentials WHERE identity_id = $1 AND NOT (type = ANY($2::text[]))", [identity.id, types]);
    for (const credential of Object.values(identity.credentials)) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO identity_credentials (id, identity_id, type, config, version, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (identity_id, type) DO UPDATE SET config = EXCLUDED.config, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
         RETURNING id`,
        [
          credential.id,
          identity.id,
          credential.type,
          JSON.stringify(credential.config),
          credential.version,
          credential.createdAt,
          credential.updatedAt,
        ],
      );
      const credentialId = rows[0]?.id ?? credential.id;
      credential.id = credentialId;
      await tx.query("DELETE FROM identity_credential_identifiers WHERE identity_credential_id = $1", [credentialId]);
      // persister_identity.go NormalizeIdentifier: password, webauthn and code identifiers are stored trimmed and
      // lower-cased; the identity in memory keeps them as the schema extension gave them.
      const stored = NORMALISED_IDENTIFIER_TYPES.includes(credential.type)
        ? credential.identifiers.map(normalizeIdentifier)
        : credential.identifiers;
      const identifiers = [...new Set(stored)];
      if (identifiers.length > 0) {
        await tx.query(
          `INSERT INTO identity_credential_identifiers (id, identity_credential_id, identity_id, type, identifier)
           SELECT gen_random_uuid(), $1, $2, $3, unnest($4::text[])`,
          [credentialId, identity.id, credential.type, identifiers],
        );
      }
    }
  }

  /**
   * Addresses as Kratos' persister diffs them (persister_identity.go
   * updateAssociationWith, diffAssociations): one whose Signature — value,
   * via and, for verifiable addresses, verified, status and verified_at; not
   * its id or created_at — matches a stored row keeps that row as it is; any
   * other stored row is deleted (its verification or recovery tokens with
   * it, by the foreign keys' cascade) and the new one inserted as given.
   */
  private async writeAddresses(tx: pg.PoolClient, identity: Identity): Promise<void> {
    const stored = await tx.query<VerifiableAddressRow>("SELECT * FROM identity_verifiable_addresses WHERE identity_id = $1", [
      identity.id,
    ]);
    const kept = new Set<string>();
    const unchanged = new Set<VerifiableAddress>();
    for (const a of identity.verifiableAddresses) {
      const row = stored.rows.find((r) => !kept.has(r.id) && r.via === a.via && r.value === a.value && sameVerifiableSignature(r, a));
      if (!row) continue;
      kept.add(row.id);
      unchanged.add(a);
      Object.assign(a, { id: row.id, createdAt: row.created_at, updatedAt: row.updated_at, verifiedAt: row.verified_at });
    }
    await tx.query("DELETE FROM identity_verifiable_addresses WHERE identity_id = $1 AND NOT id = ANY($2::uuid[])", [
      identity.id,
      [...kept],
    ]);
    for (const a of identity.verifiableAddresses) {
      if (unchanged.has(a)) continue;
      const { rows } = await tx.query<VerifiableAddressRow>(
        `INSERT INTO identity_verifiable_addresses (id, identity_id, via, value, verified, status, verified_at, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (via, value) DO NOTHING RETURNING *`,
        [a.id, identity.id, a.via, a.value, a.verified, a.status, a.verifiedAt, a.createdAt, a.updatedAt],
      );
      // No row back means the address belongs to another identity.
      if (rows.length === 0) throw new DuplicateIdentifierError(`address ${a.value} is used by another identity`);
    }

    const storedRecovery = await tx.query<RecoveryAddressRow>("SELECT * FROM identity_recovery_addresses WHERE identity_id = $1", [
      identity.id,
    ]);
    const keptRecovery = new Set<string>();
    const unchangedRecovery = new Set<RecoveryAddress>();
    for (const a of identity.recoveryAddresses) {
      const row = storedRecovery.rows.find((r) => !keptRecovery.has(r.id) && r.via === a.via && r.value === a.value);
      if (!row) continue;
      keptRecovery.add(row.id);
      unchangedRecovery.add(a);
      Object.assign(a, { id: row.id, createdAt: row.created_at, updatedAt: row.updated_at });
    }
    await tx.query("DELETE FROM identity_recovery_addresses WHERE identity_id = $1 AND NOT id = ANY($2::uuid[])", [
      identity.id,
      [...keptRecovery],
    ]);
    for (const a of identity.recoveryAddresses) {
      if (unchangedRecovery.has(a)) continue;
      const { rows } = await tx.query<RecoveryAddressRow>(
        `INSERT INTO identity_recovery_addresses (id, identity_id, via, value, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (via, value) DO NOTHING RETURNING *`,
        [a.id, identity.id, a.via, a.value, a.createdAt, a.updatedAt],
      );
      if (rows.length === 0) throw new DuplicateIdentifierError(`address ${a.value} is used by another identity`);
    }
  }
}

/** VerifiableAddress.Signature without what is the same for every address of one identity (identity_id, nid). */
function sameVerifiableSignature(row: VerifiableAddressRow, a: VerifiableAddress): boolean {
  return (
    row.verified === a.verified && row.status === a.status && (row.verified_at?.getTime() ?? null) === (a.verifiedAt?.getTime() ?? null)
  );
}

function rethrowDuplicate(error: unknown): never {
  if (isUniqueViolation(error)) throw new DuplicateIdentifierError("an identifier is already in use");
  throw error;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

export function newCredential(type: string, identifiers: string[], config: Record<string, unknown>, version = 0): Credential {
  const now = nowMicroseconds();
  return { id: randomUUID(), type, identifiers, config, version, createdAt: now, updatedAt: now };
}

export type { RecoveryAddress, VerifiableAddress };
