import "server-only";
import type pg from "pg";
import type { Domain } from "@olympus/runtime-config/config";
import { inDomainTransaction } from "@olympus/athena-store/olympus-db";
import { openSetting, sealSetting, type EncryptionKey } from "@olympus/athena-store/settings";
import { parseAdminRole, type AdminRole } from "./roles";

/**
 * Athena's server-side sessions in the `olympus` database
 * (`olympus_athena_sessions`, one domain per store, row-level security as
 * for settings). A row is found by the SHA-256 of the id in the cookie; its
 * IAM tokens are sealed with ENCRYPTION_KEY (AES-256-GCM, the settings
 * store's format), bound to this domain and this row, and wiped when the
 * session ends.
 */
export interface SessionRow {
  subject: string;
  email: string | null;
  name: string | null;
  role: AdminRole;
  createdAt: Date;
  validatedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  /** Sealed; null once ended. */
  sealedRefreshToken: string | null;
  /** Sealed; null once ended. */
  sealedIdToken: string | null;
}

export interface NewSessionRow {
  subject: string;
  email: string | null;
  name: string | null;
  role: AdminRole;
  refreshToken: string;
  idToken: string;
  at: Date;
}

export interface Renewal {
  role: AdminRole;
  refreshToken: string;
  idToken: string;
  email: string | null;
  name: string | null;
  at: Date;
}

/** What may be done to a row while it is locked. */
export interface LockedRow {
  renew(renewal: Renewal): Promise<void>;
  end(reason: string, at: Date): Promise<void>;
}

export interface SessionRows {
  insert(idHash: string, row: NewSessionRow): Promise<void>;
  find(idHash: string): Promise<SessionRow | undefined>;
  /**
   * Runs `work` in one transaction holding the row's lock (SELECT … FOR
   * UPDATE), so two requests — in this process or another Athena — never use
   * the same refresh token: the second waits, then sees the first's result.
   */
  locked<T>(idHash: string, work: (row: SessionRow | undefined, edit: LockedRow) => Promise<T>): Promise<T>;
  /** Opens a sealed token of the row `idHash`; throws SettingDecryptionError if it does not open. */
  open(idHash: string, token: "refresh_token" | "id_token", sealed: string): string;
  /** Deletes rows created before `cutoff` (ended or long expired). */
  purgeCreatedBefore(cutoff: Date): Promise<number>;
}

interface DbRow {
  subject: string;
  email: string | null;
  name: string | null;
  role: string;
  refresh_token: string | null;
  id_token: string | null;
  created_at: Date;
  validated_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
}

const COLUMNS = "subject, email, name, role, refresh_token, id_token, created_at, validated_at, ended_at, end_reason";

function fromDb(row: DbRow): SessionRow {
  const role = parseAdminRole(row.role);
  if (!role) throw new Error("olympus_athena_sessions holds a row without a known role");
  return {
    subject: row.subject,
    email: row.email,
    name: row.name,
    role,
    createdAt: row.created_at,
    validatedAt: row.validated_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    sealedRefreshToken: row.refresh_token,
    sealedIdToken: row.id_token,
  };
}

export function createSessionRows(options: {
  pool: pg.Pool;
  domain: Domain;
  key: EncryptionKey;
  previousKeys?: readonly EncryptionKey[];
}): SessionRows {
  const { pool, domain, key } = options;
  const openKeys = [key, ...(options.previousKeys ?? [])];
  const tx = <T>(work: (client: pg.PoolClient) => Promise<T>) => inDomainTransaction(pool, domain, work);
  // The sealed value's authenticated data names the row and the token, so it opens nowhere else.
  const aad = (idHash: string, token: string) => `athena-session/${idHash}/${token}`;
  const seal = (idHash: string, token: string, plaintext: string) => sealSetting(plaintext, key, domain, aad(idHash, token));

  return {
    async insert(idHash, row) {
      await tx((c) =>
        c.query(
          `INSERT INTO olympus_athena_sessions (domain, id_hash, subject, email, name, role, refresh_token, id_token, created_at, validated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
          [
            domain,
            idHash,
            row.subject,
            row.email,
            row.name,
            row.role,
            seal(idHash, "refresh_token", row.refreshToken),
            seal(idHash, "id_token", row.idToken),
            row.at,
          ],
        ),
      );
    },

    async find(idHash) {
      const row = await tx(
        async (c) =>
          (await c.query<DbRow>(`SELECT ${COLUMNS} FROM olympus_athena_sessions WHERE domain = $1 AND id_hash = $2`, [domain, idHash]))
            .rows[0],
      );
      return row ? fromDb(row) : undefined;
    },

    locked(idHash, work) {
      return tx(async (c) => {
        // Waiting for another request's refresh is fine; waiting forever is not.
        await c.query("SET LOCAL lock_timeout = '20s'");
        const found = (
          await c.query<DbRow>(`SELECT ${COLUMNS} FROM olympus_athena_sessions WHERE domain = $1 AND id_hash = $2 FOR UPDATE`, [
            domain,
            idHash,
          ])
        ).rows[0];
        const edit: LockedRow = {
          async renew(renewal) {
            await c.query(
              `UPDATE olympus_athena_sessions
               SET role = $3, refresh_token = $4, id_token = $5, email = $6, name = $7, validated_at = $8
               WHERE domain = $1 AND id_hash = $2 AND ended_at IS NULL`,
              [
                domain,
                idHash,
                renewal.role,
                seal(idHash, "refresh_token", renewal.refreshToken),
                seal(idHash, "id_token", renewal.idToken),
                renewal.email,
                renewal.name,
                renewal.at,
              ],
            );
          },
          async end(reason, at) {
            await c.query(
              `UPDATE olympus_athena_sessions SET ended_at = $3, end_reason = $4, refresh_token = NULL, id_token = NULL
               WHERE domain = $1 AND id_hash = $2 AND ended_at IS NULL`,
              [domain, idHash, at, reason],
            );
          },
        };
        return work(found ? fromDb(found) : undefined, edit);
      });
    },

    open(idHash, token, sealed) {
      return openSetting(sealed, openKeys, domain, aad(idHash, token));
    },

    async purgeCreatedBefore(cutoff) {
      const result = await tx((c) =>
        c.query("DELETE FROM olympus_athena_sessions WHERE domain = $1 AND created_at < $2", [domain, cutoff]),
      );
      return result.rowCount ?? 0;
    },
  };
}
