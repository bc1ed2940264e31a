import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "@olympus/athena-store/olympus-db";
import { digest } from "../kratos-edge/counters";
import type { UsedChallenges } from "./challenges";

/** The counters' bucket for used challenges; no limit reads it (Athena's lockout page lists other buckets only). */
export const USED_CHALLENGE_BUCKET = "captcha:used";

/**
 * Solved challenges, remembered in the `olympus` database until they expire:
 * Hera may run several instances, and a solution replayed to another one
 * (or after a restart) must still be refused, which a per-process set
 * cannot do. It borrows the edge counters' table (one row per used
 * challenge, its nonce stored as a SHA-256 like every counter key), whose
 * purge already deletes rows past `expires_at`: no migration, no new grant.
 * The insert is the check — of two concurrent claims, only one inserts.
 */
export class DatabaseUsedChallenges implements UsedChallenges {
  constructor(
    private readonly pool: pg.Pool,
    private readonly domain: Domain,
  ) {}

  async claim(id: string, expiresAt: Date): Promise<boolean> {
    const result = await inDomainTransaction(this.pool, this.domain, (tx) =>
      tx.query(
        `INSERT INTO olympus_edge_counters (domain, bucket, key_hash, hits, window_started_at, expires_at)
         VALUES ($1, $2, $3, 1, now(), $4)
         ON CONFLICT (domain, bucket, key_hash) DO NOTHING`,
        [this.domain, USED_CHALLENGE_BUCKET, digest(USED_CHALLENGE_BUCKET, id), expiresAt],
      ),
    );
    return result.rowCount === 1;
  }
}
