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
  key_set: string;
  key_id: string;
  jwk: Record<string, unknown> | null;
  created_at: Date;
  expires_at: Date;
};

/** A grant with its key, joined from the key set (hydra_jwks) the grant names. */
const SELECT = `SELECT g.id, g.issuer, g.subject, g.allow_any_subject, g.scope, g.key_set, g.key_id, k.private_jwk AS jwk, g.created_at, g.expires_at
  FROM hydra_trusted_jwt_issuers g LEFT JOIN hydra_jwks k ON k.set_id = g.key_set AND k.kid = g.key_id`;

function toIssuer(row: Row): TrustedIssuer {
  return {
    id: row.id,
    issuer: row.issuer,
    subject: row.subject,
    allowAnySubject: row.allow_any_subject,
    scope: row.scope,
    keySet: row.key_set,
    keyId: row.key_id,
    jwk: row.jwk ?? undefined,
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
 * Trusted JWT-bearer issuers (persistence/sql/persister_grant_jwk.go). As in
 * Hydra, a grant's key lives in the JSON Web Key set named after the issuer
 * (the admin API's `/admin/keys/<issuer>`), the grant only names it by set
 * and kid: deleting the key there makes the grant's assertions fail, and
 * deleting the grant deletes the key.
 */
export class TrustRepository {
  constructor(private readonly db: Db) {}

  /**
   * CreateGrant: in one transaction, the key is added to its set unless the
   * set already holds that kid (then the stored key stays, as Hydra's
   * GetKey-then-AddKey), and the grant is inserted.
   */
  async create(grant: Omit<TrustedIssuer, "id" | "jwk">, jwk: Record<string, unknown>): Promise<TrustedIssuer> {
    const id = randomUUID();
    try {
      await this.db.transaction(async (client) => {
        await client.query("INSERT INTO hydra_jwks (set_id, kid, private_jwk) VALUES ($1, $2, $3) ON CONFLICT (set_id, kid) DO NOTHING", [
          grant.keySet,
          grant.keyId,
          JSON.stringify(jwk),
        ]);
        await client.query(
          `INSERT INTO hydra_trusted_jwt_issuers (id, issuer, subject, allow_any_subject, scope, key_set, key_id, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            id,
            grant.issuer,
            grant.subject,
            grant.allowAnySubject,
            grant.scope,
            grant.keySet,
            grant.keyId,
            grant.createdAt,
            grant.expiresAt,
          ],
        );
      });
    } catch (error) {
      // UNIQUE (issuer, subject, key_id), as Hydra's table; the key added with it is rolled back.
      if (isUniqueViolation(error)) throw HydraError.uniqueViolation();
      throw error;
    }
    const created = await this.get(id);
    if (!created) throw new Error("trusted issuer vanished after insert");
    return created;
  }

  async get(id: string): Promise<TrustedIssuer | undefined> {
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE g.id = $1`, [id]);
    return rows[0] ? toIssuer(rows[0]) : undefined;
  }

  /** DeleteGrant: the grant and, in the same transaction, the key it names (even if another grant names it too, as Hydra). */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (client) => {
      const { rows } = await client.query<{ key_set: string; key_id: string }>(
        "DELETE FROM hydra_trusted_jwt_issuers WHERE id = $1 RETURNING key_set, key_id",
        [id],
      );
      const deleted = rows[0];
      if (!deleted) return false;
      await client.query("DELETE FROM hydra_jwks WHERE set_id = $1 AND kid = $2", [deleted.key_set, deleted.key_id]);
      return true;
    });
  }

  /** One page ordered by id, after the id `after` ("" for the first page); `issuer` filters when not empty. */
  async list(issuer: string, size: number, after: string): Promise<TrustedIssuer[]> {
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE ($1 = '' OR g.issuer = $1) AND g.id > $2::uuid ORDER BY g.id LIMIT $3`, [
      issuer,
      after || "00000000-0000-0000-0000-000000000000",
      size + 1,
    ]);
    return rows.map(toIssuer);
  }

  /**
   * GetPublicKey: the grant of this issuer naming this key id, for this
   * subject or any, with the key from its set. As Hydra's query, it does not
   * look at `expires_at`; a grant whose key was deleted from the set has none.
   */
  async findByKeyId(issuer: string, subject: string, keyId: string): Promise<TrustedIssuer | undefined> {
    const { rows } = await this.db.query<Row>(
      `${SELECT} WHERE g.key_id = $1 AND g.issuer = $2 AND (g.subject = $3 OR g.allow_any_subject) LIMIT 1`,
      [keyId, issuer, subject],
    );
    return rows[0] ? toIssuer(rows[0]) : undefined;
  }

  /**
   * GetPublicKeys: the key ids of the newest 100 unexpired grants of this
   * issuer for this subject or any, looked up in the set named after the
   * issuer (Hydra relies on set = issuer here), newest key first. Each key
   * comes with the first of those grants naming it (GetPublicKeyScopes).
   */
  async findUnexpired(issuer: string, subject: string): Promise<TrustedIssuer[]> {
    const { rows } = await this.db.query<Row>(
      `WITH grants AS (
         SELECT id, issuer, subject, allow_any_subject, scope, key_set, key_id, created_at, expires_at
           FROM hydra_trusted_jwt_issuers
          WHERE expires_at > now() AND issuer = $1 AND (subject = $2 OR allow_any_subject)
          ORDER BY created_at DESC LIMIT 100),
       keyed AS (
         SELECT DISTINCT ON (k.pk) g.id, g.issuer, g.subject, g.allow_any_subject, g.scope, g.key_set, g.key_id,
                k.private_jwk AS jwk, g.created_at, g.expires_at, k.pk AS key_pk, k.created_at AS key_created_at
           FROM hydra_jwks k JOIN grants g ON g.key_id = k.kid
          WHERE k.set_id = $1
          ORDER BY k.pk, g.created_at DESC)
       SELECT id, issuer, subject, allow_any_subject, scope, key_set, key_id, jwk, created_at, expires_at
         FROM keyed ORDER BY key_created_at DESC, key_pk DESC`,
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

/**
 * Grants name their key by set and kid (Hydra's key_set column); keys kept
 * with grants so far move into the set named after their issuer.
 */
export const TRUST_KEY_SET_MIGRATION_SQL = `
  ALTER TABLE hydra_trusted_jwt_issuers ADD COLUMN key_set text;
  UPDATE hydra_trusted_jwt_issuers SET key_set = issuer;
  ALTER TABLE hydra_trusted_jwt_issuers ALTER COLUMN key_set SET NOT NULL;
  INSERT INTO hydra_jwks (set_id, kid, private_jwk)
    SELECT DISTINCT ON (issuer, key_id) issuer, key_id, jwk FROM hydra_trusted_jwt_issuers ORDER BY issuer, key_id, created_at
    ON CONFLICT (set_id, kid) DO NOTHING;
  ALTER TABLE hydra_trusted_jwt_issuers DROP COLUMN jwk;
  CREATE INDEX hydra_trusted_jwt_issuers_issuer_key ON hydra_trusted_jwt_issuers (issuer, key_id);
`;
