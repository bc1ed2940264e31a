import { createHash } from "node:crypto";
import pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "@olympus/athena-store/olympus-db";
import type { LimitRule } from "./limits-config";

/** One counter to charge: which rule, and whose (identifier, address, IP). */
export interface CounterKey {
  /** What is counted, e.g. `password:identifier`, `mail:ip`. */
  bucket: string;
  /** Whose count it is (normalised identifier, address or IP key); stored only as a SHA-256. */
  key: string;
  rule: LimitRule;
}

export type HitResult =
  /** `exhausted`: the keys this hit used up (the next hit is refused until the lockout or window ends). */
  { allowed: true; exhausted: CounterKey[] } | { allowed: false; retryAfterMs: number };

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
 * Hera's abuse-limit counters in the `olympus` database (table
 * olympus_edge_counters, one domain's rows per role). A hit on several keys is
 * one transaction that locks their rows in a fixed order, decides for all of
 * them and charges either all or none, so two Hera instances (or two
 * requests) can never both slip under a limit. Time is the database's clock,
 * the one every instance shares; the counts survive restarts.
 */
export class EdgeCounters {
  constructor(
    private readonly pool: pg.Pool,
    private readonly domain: Domain,
  ) {}

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
    if (entries.length === 0) return { allowed: true, exhausted: [] };
    return inDomainTransaction(this.pool, this.domain, async (tx) => {
      const buckets = entries.map((e) => e.bucket);
      const hashes = entries.map((e) => e.hash);
      await tx.query(
        `INSERT INTO olympus_edge_counters (domain, bucket, key_hash)
         SELECT $1, b, h FROM unnest($2::text[], $3::bytea[]) AS k(b, h) ORDER BY 2, 3
         ON CONFLICT (domain, bucket, key_hash) DO NOTHING`,
        [this.domain, buckets, hashes],
      );
      const { rows } = await tx.query<CounterRow>(
        `SELECT bucket, key_hash, hits, window_started_at, blocked_until, now() AS now
           FROM olympus_edge_counters
          WHERE domain = $1 AND (bucket, key_hash) IN (SELECT * FROM unnest($2::text[], $3::bytea[]))
          ORDER BY bucket, key_hash
          FOR UPDATE`,
        [this.domain, buckets, hashes],
      );
      const decisions = entries.map((entry) => {
        const row = rows.find((r) => r.bucket === entry.bucket && r.key_hash.equals(entry.hash));
        if (!row) throw new Error(`edge counter ${entry.bucket} vanished inside its transaction`);
        return { entry, ...decide(entry.rule, row) };
      });
      const denied = decisions.filter((d) => !d.allowed);
      if (denied.length > 0) return { allowed: false, retryAfterMs: Math.max(...denied.map((d) => d.retryAfterMs)) };
      // Every key's new state in one statement (one round trip, whatever the number of keys).
      await tx.query(
        `UPDATE olympus_edge_counters AS c SET hits = d.hits, window_started_at = d.window_started_at,
                blocked_until = d.blocked_until, expires_at = d.expires_at
           FROM unnest($2::text[], $3::bytea[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])
                AS d(bucket, key_hash, hits, window_started_at, blocked_until, expires_at)
          WHERE c.domain = $1 AND c.bucket = d.bucket AND c.key_hash = d.key_hash`,
        [
          this.domain,
          decisions.map((d) => d.entry.bucket),
          decisions.map((d) => d.entry.hash),
          decisions.map((d) => d.hits),
          decisions.map((d) => d.windowStartedAt),
          decisions.map((d) => d.blockedUntil),
          decisions.map((d) => d.expiresAt),
        ],
      );
      const exhausted = decisions
        .filter((d) => d.hits >= d.entry.rule.max)
        .map(({ entry }) => ({ bucket: entry.bucket, key: entry.key, rule: entry.rule }));
      return { allowed: true, exhausted };
    });
  }

  /** The highest count among these keys as their rules see it now (0 for none, or once a window or lockout is over); charges nothing. */
  async highest(keys: readonly CounterKey[]): Promise<number> {
    if (keys.length === 0) return 0;
    const entries = keys.map((k) => ({ ...k, hash: digest(k.bucket, k.key) }));
    const { rows } = await inDomainTransaction(this.pool, this.domain, (tx) =>
      tx.query<CounterRow>(
        `SELECT bucket, key_hash, hits, window_started_at, blocked_until, now() AS now
           FROM olympus_edge_counters
          WHERE domain = $1 AND (bucket, key_hash) IN (SELECT * FROM unnest($2::text[], $3::bytea[]))`,
        [this.domain, entries.map((e) => e.bucket), entries.map((e) => e.hash)],
      ),
    );
    let highest = 0;
    for (const row of rows) {
      const entry = entries.find((e) => e.bucket === row.bucket && e.hash.equals(row.key_hash));
      if (entry) highest = Math.max(highest, currentHits(entry.rule, row));
    }
    return highest;
  }

  /** Forgets keys entirely (a correct guess clears its identifier's failures). */
  reset(keys: readonly Pick<CounterKey, "bucket" | "key">[]): Promise<void> {
    return this.settle(keys, []);
  }

  /** Takes one hit back from each key (a request that turned out legitimate, or was never checked). */
  refund(keys: readonly Pick<CounterKey, "bucket" | "key">[]): Promise<void> {
    return this.settle([], keys);
  }

  /** `reset` of some keys and `refund` of others, in one transaction (a right guess does both). */
  async settle(reset: readonly Pick<CounterKey, "bucket" | "key">[], refund: readonly Pick<CounterKey, "bucket" | "key">[]): Promise<void> {
    if (reset.length === 0 && refund.length === 0) return;
    const params = (keys: typeof reset) => [this.domain, keys.map((k) => k.bucket), keys.map((k) => digest(k.bucket, k.key))];
    await inDomainTransaction(this.pool, this.domain, async (tx) => {
      if (reset.length > 0)
        await tx.query(
          "DELETE FROM olympus_edge_counters WHERE domain = $1 AND (bucket, key_hash) IN (SELECT * FROM unnest($2::text[], $3::bytea[]))",
          params(reset),
        );
      if (refund.length > 0)
        await tx.query(
          `UPDATE olympus_edge_counters SET hits = GREATEST(hits - 1, 0), blocked_until = NULL
            WHERE domain = $1 AND (bucket, key_hash) IN (SELECT * FROM unnest($2::text[], $3::bytea[]))`,
          params(refund),
        );
    });
  }

  /** Deletes counters whose window and block are over; returns how many. */
  async deleteExpired(): Promise<number> {
    const result = await inDomainTransaction(this.pool, this.domain, (tx) =>
      tx.query("DELETE FROM olympus_edge_counters WHERE domain = $1 AND expires_at < now()", [this.domain]),
    );
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

/** A key's count as decide() would start from now: a served lockout or an ended window counts nothing. */
export function currentHits(rule: LimitRule, row: Pick<CounterRow, "hits" | "window_started_at" | "blocked_until" | "now">): number {
  const now = row.now.getTime();
  if (row.blocked_until !== null && row.blocked_until.getTime() > now) return row.hits;
  if (now >= row.window_started_at.getTime() + rule.window) return 0;
  if (rule.lockout !== undefined && row.hits >= rule.max) return 0;
  return row.hits;
}

/** Counter keys are stored as SHA-256 only: no identifier, address or IP in clear. */
export function digest(bucket: string, key: string): Buffer {
  return createHash("sha256").update(bucket).update("\0").update(key).digest();
}
