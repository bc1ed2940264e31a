import "server-only";
import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "@olympus/athena-store/olympus-db";

/**
 * Accounts Hera's edge has locked, read from the `olympus` database.
 *
 * Hera (apps/hera/lib/server/kratos-edge) counts failed guesses per
 * identifier in olympus_edge_counters, keyed only by SHA-256(bucket, NUL,
 * identifier), and when a key runs out it appends an `edge.lockout` entry
 * to the audit log with the identifier, the limit, its maximum and how long
 * the key is refused. A key is locked while its counter is still at that
 * maximum and the refusal has not run out; the entry written since the
 * counter's window began says whose key it is (the hash is recomputed in
 * SQL to match them), when and why. Unlocking deletes the counter, as a
 * correct password does.
 *
 * Both tables are this domain's only (row-level security on the login
 * role); the role may SELECT and DELETE counters and SELECT the audit log.
 */

/** The per-identifier buckets of Hera's guess limits (limits.yml `attempts.*.per_identifier`). */
export const LOCK_BUCKETS = ["password:identifier", "code:identifier", "totp:identifier", "lookup_secret:identifier"] as const;
export type LockBucket = (typeof LOCK_BUCKETS)[number];

export interface LockedAccount {
  bucket: LockBucket;
  /** The counter's key, SHA-256 in hex: what unlocking names. */
  keyHash: string;
  /** The identifier (an email, a username), a second factor's signed-in identifier, or `session:`/`flow:` keys Hera uses when it knows no person. */
  identifier: string;
  failures: number;
  max: number;
  lockedAt: Date;
  lockedUntil: Date;
  /** The client address of the request that used the limit up. */
  clientIp: string | null;
}

export interface LockedPage {
  rows: LockedAccount[];
  total: number;
}

interface LockedRow {
  bucket: LockBucket;
  key_hash: string;
  identifier: string;
  hits: number;
  max: number;
  locked_at: Date;
  locked_until: Date;
  client_ip: string | null;
}

/** The locked keys, with the lockout entry that names each; `$1` is the domain, `$2` the buckets. */
const LOCKED = `
  SELECT c.bucket, encode(c.key_hash, 'hex') AS key_hash, c.hits, l.target AS identifier, l.occurred_at AS locked_at,
         (l.details->>'max')::int AS max, l.details->>'client_ip' AS client_ip,
         -- The refusal ends when the lockout (or, without one, the window) runs out: Hera's decide().
         LEAST(l.occurred_at + make_interval(secs => (l.details->>'locked_for_seconds')::double precision),
               GREATEST(c.blocked_until, c.expires_at)) AS locked_until
    FROM olympus_edge_counters c
    CROSS JOIN LATERAL (
      SELECT a.target, a.occurred_at, a.details
        FROM olympus_audit_log a
       WHERE a.domain = c.domain AND a.action = 'edge.lockout' AND a.occurred_at >= c.window_started_at
         AND a.target IS NOT NULL AND a.details->>'scope' = 'identifier' AND (a.details->>'limit') || ':identifier' = c.bucket
         AND sha256(convert_to(c.bucket, 'UTF8') || decode('00', 'hex') || convert_to(a.target, 'UTF8')) = c.key_hash
       ORDER BY a.occurred_at DESC
       LIMIT 1
    ) l
   WHERE c.domain = $1 AND c.bucket = ANY($2::text[]) AND c.expires_at > now()
     AND c.hits >= (l.details->>'max')::int`;

function toLocked(row: LockedRow): LockedAccount {
  return {
    bucket: row.bucket,
    keyHash: row.key_hash,
    identifier: row.identifier,
    failures: row.hits,
    max: row.max,
    lockedAt: row.locked_at,
    lockedUntil: row.locked_until,
    clientIp: row.client_ip,
  };
}

/** One page of the accounts locked now, most recently locked first, and how many there are in all. */
export async function listLockedAccounts(pool: pg.Pool, domain: Domain, page: { size: number; offset: number }): Promise<LockedPage> {
  return inDomainTransaction(pool, domain, async (tx) => {
    const params = [domain, LOCK_BUCKETS];
    const total = await tx.query<{ total: string }>(`SELECT count(*) AS total FROM (${LOCKED}) locked WHERE locked_until > now()`, params);
    const rows = await tx.query<LockedRow>(
      `SELECT * FROM (${LOCKED}) locked WHERE locked_until > now() ORDER BY locked_at DESC, bucket, key_hash LIMIT $3 OFFSET $4`,
      [...params, page.size, page.offset],
    );
    return { rows: rows.rows.map(toLocked), total: Number(total.rows[0]?.total ?? 0) };
  });
}

/**
 * Unlocks one key: deletes its counter if it is locked now, and returns what
 * it was (for the audit log), or undefined when it was not locked (already
 * unlocked, run out, or never).
 */
export async function unlockAccount(
  pool: pg.Pool,
  domain: Domain,
  key: { bucket: LockBucket; keyHash: string },
): Promise<LockedAccount | undefined> {
  return inDomainTransaction(pool, domain, async (tx) => {
    const found = await tx.query<LockedRow>(
      `SELECT * FROM (${LOCKED} AND c.key_hash = decode($3, 'hex') FOR UPDATE OF c) locked WHERE locked_until > now()`,
      [domain, [key.bucket], key.keyHash],
    );
    const row = found.rows[0];
    if (!row) return undefined;
    await tx.query("DELETE FROM olympus_edge_counters WHERE domain = $1 AND bucket = $2 AND key_hash = decode($3, 'hex')", [
      domain,
      key.bucket,
      key.keyHash,
    ]);
    return toLocked(row);
  });
}
