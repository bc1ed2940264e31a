import { createHash } from "node:crypto";
import pg from "pg";
import type { Database } from "../storage/database";
import type { LimitRule } from "./config";

/** One counter to charge: which rule, and whose (identifier, address, IP). */
export interface CounterKey {
  bucket: string;
  key: string;
  rule: LimitRule;
}

export type HitResult = { allowed: true } | { allowed: false; retryAfterMs: number };

interface CounterRow {
  bucket: string;
  key_hash: Buffer;
  hits: number;
  window_started_at: Date;
  blocked_until: Date | null;
  now: Date;
}

const DEADLOCK = "40P01";

/**
 * Rate-limit counters in Postgres (table olympus_rate_limits). A hit on
 * several keys is one transaction that locks their rows in a fixed order,
 * decides for all of them and charges either all or none, so two processes
 * (or two requests) can never both slip under a limit. Time is the
 * database's clock, the one every instance shares.
 */
export class RateLimitCounters {
  constructor(private readonly db: Database) {}

  async hit(keys: readonly CounterKey[]): Promise<HitResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.hitOnce(keys);
      } catch (error) {
        if (attempt < 3 && error instanceof pg.DatabaseError && error.code === DEADLOCK) continue;
        throw error;
      }
    }
  }

  private async hitOnce(keys: readonly CounterKey[]): Promise<HitResult> {
    const entries = keys
      .map((k) => ({ ...k, hash: digest(k.bucket, k.key) }))
      .sort((a, b) => a.bucket.localeCompare(b.bucket) || Buffer.compare(a.hash, b.hash));
    if (entries.length === 0) return { allowed: true };
    return this.db.transaction(async (tx) => {
      const buckets = entries.map((e) => e.bucket);
      const hashes = entries.map((e) => e.hash);
      await tx.query(
        `INSERT INTO olympus_rate_limits (bucket, key_hash)
         SELECT * FROM unnest($1::text[], $2::bytea[]) ORDER BY 1, 2
         ON CONFLICT (bucket, key_hash) DO NOTHING`,
        [buckets, hashes],
      );
      const { rows } = await tx.query<CounterRow>(
        `SELECT bucket, key_hash, hits, window_started_at, blocked_until, now() AS now
           FROM olympus_rate_limits
          WHERE (bucket, key_hash) IN (SELECT * FROM unnest($1::text[], $2::bytea[]))
          ORDER BY bucket, key_hash
          FOR UPDATE`,
        [buckets, hashes],
      );
      const decisions = entries.map((entry) => {
        const row = rows.find((r) => r.bucket === entry.bucket && r.key_hash.equals(entry.hash));
        if (!row) throw new Error(`rate-limit row ${entry.bucket} vanished inside its transaction`);
        return { entry, ...decide(entry.rule, row) };
      });
      const denied = decisions.filter((d) => !d.allowed);
      if (denied.length > 0) {
        return { allowed: false, retryAfterMs: Math.max(...denied.map((d) => d.retryAfterMs)) };
      }
      for (const d of decisions) {
        await tx.query(
          `UPDATE olympus_rate_limits SET hits = $3, window_started_at = $4, blocked_until = $5, expires_at = $6, updated_at = now()
            WHERE bucket = $1 AND key_hash = $2`,
          [d.entry.bucket, d.entry.hash, d.hits, d.windowStartedAt, d.blockedUntil, d.expiresAt],
        );
      }
      return { allowed: true };
    });
  }

  /** Forgets a key entirely (a successful sign-in clears its identifier's failures). */
  async reset(bucket: string, key: string): Promise<void> {
    await this.db.query("DELETE FROM olympus_rate_limits WHERE bucket = $1 AND key_hash = $2", [bucket, digest(bucket, key)]);
  }

  /** Takes one hit back (a request that turned out legitimate, e.g. a correct password from a shared IP). */
  async refund(bucket: string, key: string): Promise<void> {
    await this.db.query(
      "UPDATE olympus_rate_limits SET hits = GREATEST(hits - 1, 0), blocked_until = NULL, updated_at = now() WHERE bucket = $1 AND key_hash = $2",
      [bucket, digest(bucket, key)],
    );
  }

  async deleteExpired(): Promise<number> {
    const result = await this.db.query("DELETE FROM olympus_rate_limits WHERE expires_at < now()");
    return result.rowCount ?? 0;
  }
}

interface Decision {
  allowed: boolean;
  retryAfterMs: number;
  hits: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
  expiresAt: Date;
}

/**
 * The rule for one key: refused while blocked (back-off or lockout) or while
 * the window is full; otherwise counted, and the next block (if any) set.
 */
export function decide(rule: LimitRule, row: Pick<CounterRow, "hits" | "window_started_at" | "blocked_until" | "now">): Decision {
  const now = row.now.getTime();
  let hits = row.hits;
  let windowStart = row.window_started_at.getTime();
  const blockedUntil = row.blocked_until?.getTime();
  const keep = { hits, windowStartedAt: row.window_started_at, blockedUntil: row.blocked_until, expiresAt: row.window_started_at };
  if (blockedUntil !== undefined && blockedUntil > now) return { ...keep, allowed: false, retryAfterMs: blockedUntil - now };

  const windowOver = now >= windowStart + rule.window;
  const lockoutServed = rule.lockout !== undefined && hits >= rule.max;
  if (windowOver || lockoutServed) {
    hits = 0;
    windowStart = now;
  }
  if (hits >= rule.max) return { ...keep, allowed: false, retryAfterMs: windowStart + rule.window - now };

  hits += 1;
  let nextBlock: number | undefined;
  if (hits >= rule.max && rule.lockout !== undefined) nextBlock = now + rule.lockout;
  else if (rule.backoff && hits >= rule.backoff.after) {
    nextBlock = now + Math.min(rule.backoff.base * 2 ** (hits - rule.backoff.after), rule.backoff.max);
  }
  return {
    allowed: true,
    retryAfterMs: 0,
    hits,
    windowStartedAt: new Date(windowStart),
    blockedUntil: nextBlock === undefined ? null : new Date(nextBlock),
    expiresAt: new Date(Math.max(windowStart + rule.window, nextBlock ?? 0)),
  };
}

function digest(bucket: string, key: string): Buffer {
  return createHash("sha256").update(bucket).update("\0").update(key).digest();
}
