import { randomUUID } from "node:crypto";
import { isUniqueViolation } from "@olympus/server-kit/postgres";
import { HydraError } from "../errors";
import type { Db } from "../storage/db";
import type { TrustedIssuer } from "./grant";

type Row = {
  id: string;
  issuer: string;
  subject: string;
  allow_any_subject: boolean;
  scope: string[];
  key_id: string;
  jwk: Record<string, unknown>;
  created_at: Date;
  expires_at: Date;
};

const COLUMNS = "id, issuer, subject, allow_any_subject, scope, key_id, jwk, created_at, expires_at";

function toIssuer(row: Row): TrustedIssuer {
  return {
    id: row.id,
    issuer: row.issuer,
    subject: row.subject,
    allowAnySubject: row.allow_any_subject,
    scope: row.scope,
    keyId: row.key_id,
    jwk: row.jwk,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** A UUID as Postgres' uuid type reads it (gofrs/uuid FromString accepts the same canonical forms here). */
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * Trusted JWT-bearer issuers and the assertion ids already used
 * (persistence/sql/persister_grant_jwk.go, the jti blacklist). The key of a
 * grant is stored with it rather than in the key sets of the admin API.
 */
export class TrustRepository {
  constructor(private readonly db: Db) {}

  async create(grant: Omit<TrustedIssuer, "id">): Promise<TrustedIssuer> {
    try {
      const { rows } = await this.db.query<Row>(
        `INSERT INTO hydra_trusted_jwt_issuers (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [
          randomUUID(),
          grant.issuer,
          grant.subject,
          grant.allowAnySubject,
          grant.scope,
          grant.keyId,
          JSON.stringify(grant.jwk),
          grant.createdAt,
          grant.expiresAt,
        ],
      );
      return toIssuer(rows[0] as Row);
    } catch (error) {
      // UNIQUE (issuer, subject, key_id), as Hydra's table.
      if (isUniqueViolation(error)) throw HydraError.uniqueViolation();
      throw error;
    }
  }

  async get(id: string): Promise<TrustedIssuer | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM hydra_trusted_jwt_issuers WHERE id = $1`, [id]);
    return rows[0] ? toIssuer(rows[0]) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query("DELETE FROM hydra_trusted_jwt_issuers WHERE id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }

  /** One page ordered by id, after the id `after` ("" for the first page); `issuer` filters when not empty. */
  async list(issuer: string, size: number, after: string): Promise<TrustedIssuer[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM hydra_trusted_jwt_issuers
        WHERE ($1 = '' OR issuer = $1) AND id > $2::uuid ORDER BY id LIMIT $3`,
      [issuer, after || "00000000-0000-0000-0000-000000000000", size + 1],
    );
    return rows.map(toIssuer);
  }

  /**
   * GetPublicKey: the grant of this issuer naming this key id, for this
   * subject or any. As Hydra's query, it does not look at `expires_at`.
   */
  async findByKeyId(issuer: string, subject: string, keyId: string): Promise<TrustedIssuer | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM hydra_trusted_jwt_issuers
        WHERE key_id = $1 AND issuer = $2 AND (subject = $3 OR allow_any_subject) LIMIT 1`,
      [keyId, issuer, subject],
    );
    return rows[0] ? toIssuer(rows[0]) : undefined;
  }

  /** GetPublicKeys: the unexpired grants of this issuer for this subject or any, newest first, at most 100. */
  async findUnexpired(issuer: string, subject: string): Promise<TrustedIssuer[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM hydra_trusted_jwt_issuers
        WHERE expires_at > now() AND issuer = $1 AND (subject = $2 OR allow_any_subject)
        ORDER BY created_at DESC LIMIT 100`,
      [issuer, subject],
    );
    return rows.map(toIssuer);
  }

  /** ClientAssertionJWTValid: the assertion id was used and its record has not expired. */
  async isJtiUsed(jti: string): Promise<boolean> {
    const { rows } = await this.db.query("SELECT 1 FROM hydra_jwt_bearer_jtis WHERE jti = $1 AND expires_at > now()", [jti]);
    return rows.length > 0;
  }

  /**
   * SetClientAssertionJWT: records the id until the assertion expires. An
   * expired record of the same id is replaced; a live one (a concurrent
   * replay that passed isJtiUsed) makes this return false.
   */
  async markJtiUsed(jti: string, expiresAt: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO hydra_jwt_bearer_jtis (jti, expires_at) VALUES ($1, $2)
       ON CONFLICT (jti) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE hydra_jwt_bearer_jtis.expires_at <= now()`,
      [jti, expiresAt],
    );
    return (rowCount ?? 0) > 0;
  }
}

/** The tables (a migration appended to storage/migrations.ts). */
export const TRUST_MIGRATION_SQL = `
  CREATE TABLE hydra_trusted_jwt_issuers (
    id                uuid        PRIMARY KEY,
    issuer            text        NOT NULL,
    subject           text        NOT NULL,
    allow_any_subject boolean     NOT NULL,
    scope             text[]      NOT NULL,
    key_id            text        NOT NULL,
    jwk               jsonb       NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    UNIQUE (issuer, subject, key_id)
  );
  CREATE INDEX hydra_trusted_jwt_issuers_expires_at ON hydra_trusted_jwt_issuers (expires_at);
  CREATE TABLE hydra_jwt_bearer_jtis (
    jti        text        PRIMARY KEY,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX hydra_jwt_bearer_jtis_expires_at ON hydra_jwt_bearer_jtis (expires_at);
`;
