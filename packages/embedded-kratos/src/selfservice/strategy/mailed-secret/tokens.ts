import { randomUUID } from "node:crypto";
import type { Database, Queryable } from "../../../storage/database";
import { secretMatches } from "./secrets";

/**
 * Storage of the one-time secrets the code and link strategies hand out.
 * Secrets are HMACs (see secrets.ts); "use" is a single conditional UPDATE
 * so two concurrent submissions of one secret cannot both succeed.
 */

export interface RecoveryToken {
  id: string;
  identityId: string;
  recoveryAddressId: string | null;
  flowId: string | null;
  tokenType: "user" | "admin";
  expiresAt: Date;
}

export interface VerificationToken {
  id: string;
  verifiableAddressId: string;
  flowId: string | null;
  expiresAt: Date;
}

/** What using a verification secret found. */
export type VerificationTokenUse =
  { status: "ok"; token: VerificationToken } | { status: "unknown" } | { status: "used" } | { status: "expired"; expiresAt: Date };

export interface LoginRegistrationCode {
  id: string;
  address: string;
  addressVia: string;
  identityId: string | null;
}

export type SecretStrategy = "code" | "link";

export class OneTimeSecretRepository {
  constructor(private readonly db: Database) {}

  // --- recovery ---------------------------------------------------------

  async createRecoveryToken(
    q: Queryable,
    t: {
      strategy: SecretStrategy;
      hash: Buffer;
      identityId: string;
      recoveryAddressId?: string;
      flowId: string;
      tokenType: "user" | "admin";
      expiresAt: Date;
    },
  ): Promise<void> {
    await q.query(
      `INSERT INTO selfservice_recovery_tokens (id, strategy, secret_hash, identity_id, recovery_address_id, flow_id, token_type, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [randomUUID(), t.strategy, t.hash, t.identityId, t.recoveryAddressId ?? null, t.flowId, t.tokenType, t.expiresAt],
    );
  }

  async deleteRecoveryTokensOfFlow(q: Queryable, flowId: string, strategy: SecretStrategy): Promise<void> {
    await q.query("DELETE FROM selfservice_recovery_tokens WHERE flow_id = $1 AND strategy = $2", [flowId, strategy]);
  }

  /** Consumes the flow's matching, unused, unexpired secret; undefined when there is none. */
  /**
   * Whether the secret matches a token of the flow that was already used and has not
   * expired (RecoveryCode.Validate: an expired code counts as unknown before a used one does).
   */
  async recoveryTokenWasUsed(flowId: string, strategy: SecretStrategy, hash: Buffer): Promise<boolean> {
    const { rows } = await this.db.query<{ secret_hash: Buffer }>(
      "SELECT secret_hash FROM selfservice_recovery_tokens WHERE flow_id = $1 AND strategy = $2 AND used_at IS NOT NULL AND expires_at > now()",
      [flowId, strategy],
    );
    return rows.some((r) => secretMatches(r.secret_hash, hash));
  }

  async useRecoveryToken(flowId: string, strategy: SecretStrategy, hash: Buffer): Promise<RecoveryToken | undefined> {
    const { rows } = await this.db.query<{ id: string; secret_hash: Buffer }>(
      "SELECT id, secret_hash FROM selfservice_recovery_tokens WHERE flow_id = $1 AND strategy = $2",
      [flowId, strategy],
    );
    const match = rows.find((r) => secretMatches(r.secret_hash, hash));
    if (!match) return undefined;
    const used = await this.db.query<{
      id: string;
      identity_id: string;
      recovery_address_id: string | null;
      flow_id: string | null;
      token_type: "user" | "admin";
      expires_at: Date;
    }>(
      `UPDATE selfservice_recovery_tokens SET used_at = now(), updated_at = now()
        WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING *`,
      [match.id],
    );
    const row = used.rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      identityId: row.identity_id,
      recoveryAddressId: row.recovery_address_id,
      flowId: row.flow_id,
      tokenType: row.token_type,
      expiresAt: row.expires_at,
    };
  }

  // --- verification -----------------------------------------------------

  async createVerificationToken(
    q: Queryable,
    t: { strategy: SecretStrategy; hash: Buffer; verifiableAddressId: string; flowId: string; expiresAt: Date },
  ): Promise<void> {
    await q.query(
      `INSERT INTO selfservice_verification_tokens (id, strategy, secret_hash, verifiable_address_id, flow_id, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6)`,
      [randomUUID(), t.strategy, t.hash, t.verifiableAddressId, t.flowId, t.expiresAt],
    );
  }

  async deleteVerificationTokensOfFlow(q: Queryable, flowId: string, strategy: SecretStrategy): Promise<void> {
    await q.query("DELETE FROM selfservice_verification_tokens WHERE flow_id = $1 AND strategy = $2", [flowId, strategy]);
  }

  /**
   * Uses the flow's secret matching `hash`, as Kratos' persisters do for each
   * method: a link token (UseVerificationToken) is looked up among unused
   * ones and consumed before its expiry is checked; a code (useOneTimeCode)
   * is looked up among all of the flow's codes and consumed only while valid,
   * so a used one is told apart from an unknown one.
   */
  async useVerificationToken(flowId: string, strategy: SecretStrategy, hash: Buffer): Promise<VerificationTokenUse> {
    const { rows } = await this.db.query<{ id: string; secret_hash: Buffer; used: boolean; expired: boolean; expires_at: Date }>(
      `SELECT id, secret_hash, used_at IS NOT NULL AS used, expires_at <= now() AS expired, expires_at
         FROM selfservice_verification_tokens WHERE flow_id = $1 AND strategy = $2`,
      [flowId, strategy],
    );
    const match = rows.find((r) => secretMatches(r.secret_hash, hash) && (strategy === "code" || !r.used));
    if (!match) return { status: "unknown" };
    if (strategy === "code") {
      if (match.used) return { status: "used" };
      if (match.expired) return { status: "expired", expiresAt: match.expires_at };
    }
    const used = await this.db.query<{ id: string; verifiable_address_id: string; flow_id: string | null; expires_at: Date }>(
      `UPDATE selfservice_verification_tokens SET used_at = now(), updated_at = now()
        WHERE id = $1 AND used_at IS NULL ${strategy === "code" ? "AND expires_at > now()" : ""} RETURNING *`,
      [match.id],
    );
    const row = used.rows[0];
    // Lost a race with a concurrent submission of the same secret.
    if (!row) return { status: strategy === "code" ? "used" : "unknown" };
    if (row.expires_at.getTime() <= Date.now()) return { status: "expired", expiresAt: row.expires_at };
    return {
      status: "ok",
      token: { id: row.id, verifiableAddressId: row.verifiable_address_id, flowId: row.flow_id, expiresAt: row.expires_at },
    };
  }

  // --- passwordless login / registration ---------------------------------

  async createLoginRegistrationCode(
    q: Queryable,
    c: { flowId: string; kind: "login" | "registration"; hash: Buffer; address: string; via: string; identityId?: string; expiresAt: Date },
  ): Promise<void> {
    await q.query(
      `INSERT INTO selfservice_login_registration_codes (id, flow_id, kind, secret_hash, address, address_via, identity_id, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [randomUUID(), c.flowId, c.kind, c.hash, c.address, c.via, c.identityId ?? null, c.expiresAt],
    );
  }

  async deleteLoginRegistrationCodesOfFlow(q: Queryable, flowId: string): Promise<void> {
    await q.query("DELETE FROM selfservice_login_registration_codes WHERE flow_id = $1", [flowId]);
  }

  /** With `identityId`, only that identity's codes count (UseLoginCode's `identity_id` condition on aal2 flows). */
  async useLoginRegistrationCode(
    flowId: string,
    kind: "login" | "registration",
    hash: Buffer,
    identityId?: string,
  ): Promise<LoginRegistrationCode | undefined> {
    const { rows } = await this.db.query<{ id: string; secret_hash: Buffer; identity_id: string | null }>(
      "SELECT id, secret_hash, identity_id FROM selfservice_login_registration_codes WHERE flow_id = $1 AND kind = $2",
      [flowId, kind],
    );
    const match = rows.find((r) => (identityId === undefined || r.identity_id === identityId) && secretMatches(r.secret_hash, hash));
    if (!match) return undefined;
    const used = await this.db.query<{ id: string; address: string; address_via: string; identity_id: string | null }>(
      `UPDATE selfservice_login_registration_codes SET used_at = now(), updated_at = now()
        WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING *`,
      [match.id],
    );
    const row = used.rows[0];
    return row ? { id: row.id, address: row.address, addressVia: row.address_via, identityId: row.identity_id } : undefined;
  }

  // --- brute-force limit -------------------------------------------------

  /**
   * Counts a code submission against the flow (Kratos' per-flow
   * submit_count, kept under the code strategy's key of the flow's internal
   * context) in one statement, so parallel guesses are all counted.
   */
  async countSubmission(flowId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `UPDATE selfservice_flows
          SET internal_context = jsonb_set(
                internal_context,
                '{code}',
                COALESCE(internal_context->'code', '{}'::jsonb)
                  || jsonb_build_object('submit_count', COALESCE((internal_context #>> '{code,submit_count}')::int, 0) + 1))
        WHERE id = $1
        RETURNING (internal_context #>> '{code,submit_count}')::int AS n`,
      [flowId],
    );
    return rows[0]?.n ?? 0;
  }

  // --- addresses ---------------------------------------------------------

  /** FindRecoveryAddressByValue: the recovery address with this value on this channel (v1 forms ask for email). */
  async findRecoveryAddress(
    value: string,
    via: "email" | "sms" = "email",
  ): Promise<{ id: string; identityId: string; value: string; via: string } | undefined> {
    const { rows } = await this.db.query<{ id: string; identity_id: string; value: string; via: string }>(
      "SELECT id, identity_id, value, via FROM identity_recovery_addresses WHERE via = $2 AND value = $1",
      [value, via],
    );
    const row = rows[0];
    return row ? { id: row.id, identityId: row.identity_id, value: row.value, via: row.via } : undefined;
  }

  /**
   * FindAllRecoveryAddressesForIdentityByRecoveryAddressValue: every recovery
   * address of the identity that has one with this value, at most 10 (Kratos'
   * LIMIT; its query has no order, this one takes the first 10 by value).
   * `via IN (...)` lets the (via, value) unique index serve the lookup;
   * recovery addresses are only ever email or sms.
   */
  async findRecoveryAddressesOfOwner(value: string): Promise<{ value: string; via: string }[]> {
    const { rows } = await this.db.query<{ value: string; via: string }>(
      `SELECT a.value, a.via FROM identity_recovery_addresses a
         JOIN identity_recovery_addresses b ON a.identity_id = b.identity_id
        WHERE b.via IN ('email', 'sms') AND b.value = $1
        ORDER BY a.value COLLATE "C" LIMIT 10`,
      [value],
    );
    return rows;
  }

  async getRecoveryAddress(id: string): Promise<{ id: string; value: string } | undefined> {
    const { rows } = await this.db.query<{ id: string; value: string }>("SELECT id, value FROM identity_recovery_addresses WHERE id = $1", [
      id,
    ]);
    return rows[0];
  }

  /** FindVerifiableAddressByValue: the address with this value on this channel (the forms ask for email). */
  async findVerifiableAddress(
    value: string,
    via: "email" | "sms" = "email",
  ): Promise<{ id: string; identityId: string; value: string; via: string; status: string } | undefined> {
    const { rows } = await this.db.query<{ id: string; identity_id: string; value: string; via: string; status: string }>(
      "SELECT id, identity_id, value, via, status FROM identity_verifiable_addresses WHERE via = $2 AND value = $1",
      [value, via],
    );
    const row = rows[0];
    return row ? { id: row.id, identityId: row.identity_id, value: row.value, via: row.via, status: row.status } : undefined;
  }

  /** `pending` → `sent` once a message is queued (completed addresses stay completed). */
  async markAddressSent(q: Queryable, addressId: string): Promise<void> {
    await q.query("UPDATE identity_verifiable_addresses SET status = 'sent', updated_at = now() WHERE id = $1 AND status = 'pending'", [
      addressId,
    ]);
  }

  async markAddressVerified(addressId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ identity_id: string }>(
      `UPDATE identity_verifiable_addresses SET verified = true, status = 'completed', verified_at = COALESCE(verified_at, now()), updated_at = now()
        WHERE id = $1 RETURNING identity_id`,
      [addressId],
    );
    return rows[0]?.identity_id;
  }

  /** Recovery through an address proves the address, as in Kratos (markRecoveryAddressVerified). */
  async markIdentityAddressVerified(identityId: string, value: string): Promise<void> {
    await this.db.query(
      `UPDATE identity_verifiable_addresses SET verified = true, status = 'completed', verified_at = COALESCE(verified_at, now()), updated_at = now()
        WHERE identity_id = $1 AND value = $2`,
      [identityId, value],
    );
  }
}

const repositories = new WeakMap<Database, OneTimeSecretRepository>();
export function secretsFor(db: Database): OneTimeSecretRepository {
  let repo = repositories.get(db);
  if (!repo) {
    repo = new OneTimeSecretRepository(db);
    repositories.set(db, repo);
  }
  return repo;
}
