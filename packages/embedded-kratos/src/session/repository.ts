import type { Identity, IdentityState } from "../identity/identity";
import { BatchedLookup } from "@olympus/server-kit/batched-lookup";
import type { Database } from "../storage/database";
import type { AuthenticationMethod, Session, SessionDevice } from "./session";
import { jsonTime } from "../clock/go-time";
import { readIdentityJsonColumns } from "../identity/stored-json";

interface SessionRow {
  id: string;
  identity_id: string;
  active: boolean;
  aal: Session["aal"];
  authentication_methods: AuthenticationMethod[];
  authenticated_at: Date;
  issued_at: Date;
  expires_at: Date;
  devices: SessionDevice[];
}

interface JsonAddressRow {
  id: string;
  value: string;
  via: string;
  verified?: boolean;
  status?: "pending" | "sent" | "completed";
  verified_at?: string | null;
  created_at: string;
  updated_at: string;
}

interface SessionWithIdentityRow extends SessionRow {
  i_schema_id: string;
  i_state: IdentityState;
  i_state_changed_at: Date | null;
  /** jsonb columns read as text (`::text`), as Kratos scans them into json.RawMessage. */
  i_traits: string;
  i_metadata_public: string | null;
  i_metadata_admin: string | null;
  i_external_id: string | null;
  i_organization_id: string | null;
  i_available_aal: Session["aal"] | null;
  i_created_at: Date;
  i_updated_at: Date;
  i_verifiable: JsonAddressRow[];
  i_recovery: JsonAddressRow[];
}

/** Where a page of the admin session list starts: keysetpagination's token fields. */
export interface SessionKeysetQuery {
  active?: boolean;
  withIdentity: boolean;
  limit: number;
  afterId: string;
  /** The token's created_at in x.MapPaginationDateFormat (UTC), when it has one. */
  afterCreatedAt?: string;
}

export interface IdentitySessionPageQuery {
  identityId: string;
  /** The caller's own session, left out of "my other sessions". */
  exceptId?: string;
  active?: boolean;
  limit: number;
  offset: number;
}

/** A listed session with its created_at as Session.PageToken writes it. */
export interface ListedSession {
  session: Session;
  createdAt: string;
}

/** created_at in UTC to the microsecond, for page tokens. */
const CREATED_AT_TOKEN = `to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS created_at_token`;

/** Go's "2006-01-02 15:04:05.99999" (x.MapPaginationDateFormat): five fraction digits at most, truncated, trailing zeros dropped. */
function mapPaginationDate(microseconds: string): string {
  const [whole = "", fraction = ""] = microseconds.split(".");
  const digits = fraction.slice(0, 5).replace(/0+$/, "");
  return digits ? `${whole}.${digits}` : whole;
}

/** Kratos' `active` filter: active and not yet expired, or its negation. */
function activeClause(active: boolean | undefined): string[] {
  if (active === true) return ["s.active AND s.expires_at >= now()"];
  if (active === false) return ["(NOT s.active OR s.expires_at < now())"];
  return [];
}

const SESSION_SELECT = `s.id, s.identity_id, s.active, s.aal, s.authentication_methods, s.authenticated_at, s.issued_at, s.expires_at,
  (SELECT coalesce(json_agg(json_build_object('id', d.id, 'ip_address', d.ip_address, 'user_agent', d.user_agent, 'location', d.location)
     ORDER BY d.created_at), '[]'::json) FROM session_devices d WHERE d.session_id = s.id) AS devices`;

const IDENTITY_SELECT = `i.schema_id AS i_schema_id, i.state AS i_state, i.state_changed_at AS i_state_changed_at, i.traits::text AS i_traits,
  i.metadata_public::text AS i_metadata_public, i.metadata_admin::text AS i_metadata_admin, i.external_id AS i_external_id,
  i.organization_id AS i_organization_id, i.available_aal AS i_available_aal, i.created_at AS i_created_at, i.updated_at AS i_updated_at,
  (SELECT coalesce(json_agg(v ORDER BY v.id), '[]'::json) FROM identity_verifiable_addresses v WHERE v.identity_id = i.id) AS i_verifiable,
  (SELECT coalesce(json_agg(r ORDER BY r.id), '[]'::json) FROM identity_recovery_addresses r WHERE r.identity_id = i.id) AS i_recovery`;

/**
 * The session lookup by token digest: session, devices and the identity
 * (without credentials) in one round trip. The server runs it for a batch of
 * digests (below); the bench's floor server runs this one-digest form once
 * per request.
 */
export const SESSION_BY_TOKEN_SQL = `SELECT ${SESSION_SELECT}, ${IDENTITY_SELECT} FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = $1`;
export const SESSION_BY_TOKEN_STATEMENT = "ek_session_by_token";

/** The same lookup for the digests of every request waiting in one batch (storage/batched-lookup.ts). */
const SESSIONS_BY_TOKENS_SQL = `SELECT s.token_hash, ${SESSION_SELECT}, ${IDENTITY_SELECT} FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = ANY($1::bytea[])`;

/** Sessions and their devices. Tokens arrive here already hashed. */
export class SessionRepository {
  /**
   * Token lookups of concurrent requests share one round trip. Nothing is
   * cached: each request's lookup runs in a query that starts after the
   * request arrived, so a revocation is seen by the very next request.
   */
  private readonly byToken: BatchedLookup<SessionWithIdentityRow>;

  constructor(private readonly db: Database) {
    this.byToken = new BatchedLookup<SessionWithIdentityRow>(
      async (hexDigests) => {
        const { rows } = await this.db.prepared<SessionWithIdentityRow & { token_hash: Buffer }>(
          "ek_sessions_by_tokens",
          SESSIONS_BY_TOKENS_SQL,
          [hexDigests.map((hex) => Buffer.from(hex, "hex"))],
        );
        // The row itself, digest included (withIdentity picks its fields): no per-row copy on the hot path.
        return new Map(rows.map((row) => [row.token_hash.toString("hex"), row]));
      },
      // Callers may change the session they get (settings, step-up): two requests with one token each get their own.
      { maxBatch: 256, maxInFlight: 4, copy: structuredClone },
    );
  }

  async create(
    session: Session,
    tokenHash: Buffer,
    logoutTokenHash: Buffer,
    device: Omit<SessionDevice, "id"> & { id: string },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO sessions (id, identity_id, token_hash, logout_token_hash, active, aal, authentication_methods, authenticated_at, issued_at, expires_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
        [
          session.id,
          session.identityId,
          tokenHash,
          logoutTokenHash,
          session.active,
          session.aal,
          JSON.stringify(session.authenticationMethods),
          session.authenticatedAt,
          session.issuedAt,
          session.expiresAt,
        ],
      );
      await tx.query("INSERT INTO session_devices (id, session_id, ip_address, user_agent, location) VALUES ($1,$2,$3,$4,$5)", [
        device.id,
        session.id,
        device.ip_address,
        device.user_agent,
        device.location,
      ]);
    });
  }

  /** One round trip (shared with concurrent lookups): session, devices and the identity (without credentials) by token digest. */
  async findByTokenHash(tokenHash: Buffer): Promise<Session | undefined> {
    const row = await this.byToken.load(tokenHash.toString("hex"));
    return row ? withIdentity(row) : undefined;
  }

  async findByLogoutTokenHash(hash: Buffer): Promise<Session | undefined> {
    const { rows } = await this.db.query<SessionRow>(`SELECT ${SESSION_SELECT} FROM sessions s WHERE s.logout_token_hash = $1`, [hash]);
    const row = rows[0];
    return row ? fromRow(row) : undefined;
  }

  async get(id: string, withIdentityData = false): Promise<Session | undefined> {
    const { rows } = await this.db.query<SessionWithIdentityRow>(
      `SELECT ${SESSION_SELECT}${withIdentityData ? `, ${IDENTITY_SELECT}` : ""} FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return withIdentityData ? withIdentity(row) : fromRow(row);
  }

  /**
   * GET /admin/sessions (persister_session.go ListSessions with ory/x
   * keysetpagination.Paginate and WithColumn("created_at", "DESC")): newest
   * first, ties by id; the page starts after the token's position. A token
   * without created_at falls back to `id > token` ordered by id, as the
   * paginator does when the column is missing from the token.
   */
  async listNewestFirst(query: SessionKeysetQuery): Promise<ListedSession[]> {
    const params: unknown[] = [];
    const where = activeClause(query.active);
    let order = "s.id ASC";
    params.push(query.afterId);
    const idParam = `$${params.length}`;
    if (query.afterCreatedAt === undefined) {
      where.push(`s.id > ${idParam}`);
    } else {
      params.push(query.afterCreatedAt);
      // Kratos stores UTC timestamps and compares them with the token's text; the column here is timestamptz.
      const at = `($${params.length}::timestamp AT TIME ZONE 'UTC')`;
      where.push(`(s.created_at < ${at} OR (s.created_at = ${at} AND s.id > ${idParam}))`);
      order = "s.created_at DESC, s.id ASC";
    }
    params.push(query.limit);
    const { rows } = await this.db.query<SessionWithIdentityRow & { created_at_token: string }>(
      `SELECT ${SESSION_SELECT}, ${CREATED_AT_TOKEN}${query.withIdentity ? `, ${IDENTITY_SELECT}` : ""}
         FROM sessions s JOIN identities i ON i.id = s.identity_id
        WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      session: query.withIdentity ? withIdentity(r) : fromRow(r),
      createdAt: mapPaginationDate(r.created_at_token),
    }));
  }

  /**
   * GET /admin/identities/{id}/sessions (persister_session.go
   * ListSessionsByIdentity): the total matching count and one offset page,
   * newest first (ties by id, which Kratos leaves to the database).
   */
  async listForIdentityNewestFirst(query: IdentitySessionPageQuery): Promise<{ sessions: Session[]; total: number }> {
    // $2 is the excepted id (the nil UUID matches no session).
    const where = ["s.identity_id = $1", "s.id <> $2", ...activeClause(query.active)];
    const filter = [query.identityId, query.exceptId ?? "00000000-0000-0000-0000-000000000000"];
    const count = await this.db.query<{ total: string }>(`SELECT count(*) AS total FROM sessions s WHERE ${where.join(" AND ")}`, filter);
    const { rows } = await this.db.query<SessionWithIdentityRow>(
      `SELECT ${SESSION_SELECT}, ${IDENTITY_SELECT}
         FROM sessions s JOIN identities i ON i.id = s.identity_id
        WHERE ${where.join(" AND ")} ORDER BY s.created_at DESC, s.id ASC LIMIT $3 OFFSET $4`,
      [...filter, query.limit, query.offset],
    );
    return { sessions: rows.map(withIdentity), total: Number(count.rows[0]?.total ?? 0) };
  }

  async deactivate(id: string, identityId?: string): Promise<boolean> {
    const result = identityId
      ? await this.db.query("UPDATE sessions SET active = false, updated_at = now() WHERE id = $1 AND identity_id = $2 AND active", [
          id,
          identityId,
        ])
      : await this.db.query("UPDATE sessions SET active = false, updated_at = now() WHERE id = $1", [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async deactivateByTokenHash(hash: Buffer): Promise<boolean> {
    const result = await this.db.query("UPDATE sessions SET active = false, updated_at = now() WHERE token_hash = $1 AND active", [hash]);
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * persister_session.go RevokeSessionsIdentityExcept: every other session of
   * the identity, whether still active or not, and the number of rows it matched.
   */
  async deactivateAllForIdentity(identityId: string, exceptId?: string): Promise<number> {
    const result = await this.db.query(
      "UPDATE sessions SET active = false, updated_at = now() WHERE identity_id = $1 AND ($2::uuid IS NULL OR id <> $2)",
      [identityId, exceptId ?? null],
    );
    return result.rowCount ?? 0;
  }

  /** persister_session.go DeleteSessionsByIdentity: the rows go (devices with them); false when there were none. */
  async deleteAllForIdentity(identityId: string): Promise<boolean> {
    const result = await this.db.query("DELETE FROM sessions WHERE identity_id = $1", [identityId]);
    return (result.rowCount ?? 0) > 0;
  }

  async setLogoutTokenHash(id: string, hash: Buffer): Promise<void> {
    await this.db.query("UPDATE sessions SET logout_token_hash = $2 WHERE id = $1", [id, hash]);
  }

  async extend(id: string, expiresAt: Date): Promise<void> {
    await this.db.query("UPDATE sessions SET expires_at = $2, updated_at = now() WHERE id = $1", [id, expiresAt]);
  }

  /** Replaces authentication state after a further factor or re-authentication. */
  async updateAuthentication(session: Session): Promise<void> {
    await this.db.query(
      "UPDATE sessions SET aal = $2, authentication_methods = $3, authenticated_at = $4, expires_at = $5, updated_at = now() WHERE id = $1",
      [session.id, session.aal, JSON.stringify(session.authenticationMethods), session.authenticatedAt, session.expiresAt],
    );
  }
}

function fromRow(row: SessionRow): Session {
  return {
    id: row.id,
    identityId: row.identity_id,
    active: row.active,
    aal: row.aal,
    authenticationMethods: row.authentication_methods,
    authenticatedAt: row.authenticated_at,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    devices: row.devices,
  };
}

function withIdentity(row: SessionWithIdentityRow): Session {
  const identity: Identity = {
    id: row.identity_id,
    schemaId: row.i_schema_id,
    state: row.i_state,
    stateChangedAt: row.i_state_changed_at,
    ...readIdentityJsonColumns(row.i_traits, row.i_metadata_public, row.i_metadata_admin),
    externalId: row.i_external_id,
    organizationId: row.i_organization_id,
    availableAal: row.i_available_aal,
    createdAt: row.i_created_at,
    updatedAt: row.i_updated_at,
    verifiableAddresses: row.i_verifiable.map((a) => ({
      id: a.id,
      value: a.value,
      via: a.via,
      verified: a.verified ?? false,
      status: a.status ?? "pending",
      verifiedAt: a.verified_at ? jsonTime(a.verified_at) : null,
      createdAt: jsonTime(a.created_at),
      updatedAt: jsonTime(a.updated_at),
    })),
    recoveryAddresses: row.i_recovery.map((a) => ({
      id: a.id,
      value: a.value,
      via: a.via,
      createdAt: jsonTime(a.created_at),
      updatedAt: jsonTime(a.updated_at),
    })),
    credentials: {},
  };
  const session = fromRow(row);
  session.identity = identity;
  return session;
}
