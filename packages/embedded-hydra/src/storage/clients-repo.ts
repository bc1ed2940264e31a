import type { AdapterPayload } from "oidc-provider";
import { toProviderMetadata, type StoredClient, type StoredClientData } from "../clients/model";
import type { Db } from "./db";

type ClientRow = {
  pk: string;
  id: string;
  secret_hash: string | null;
  data: StoredClientData;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = "pk, id, secret_hash, data, created_at, updated_at";

function fromRow(row: ClientRow): StoredClient {
  return { id: row.id, secretHash: row.secret_hash, data: row.data, createdAt: row.created_at, updatedAt: row.updated_at };
}

export class ClientConflictError extends Error {}

export interface ClientPage {
  clients: StoredClient[];
  /** Keyset cursor of the next page, if any. */
  nextToken?: string;
}

/**
 * Every token request reads its client, so reads are cached briefly. Writes
 * through this repository invalidate at once; the TTL bounds how long an edit
 * made by another process against the same database can go unnoticed.
 */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

export class ClientRepository {
  private readonly cache = new Map<string, { client: StoredClient | undefined; expires: number }>();

  constructor(private readonly db: Db) {}

  async get(id: string): Promise<StoredClient | undefined> {
    const cached = this.cache.get(id);
    if (cached && cached.expires > Date.now()) return cached.client;
    const result = await this.db.query<ClientRow>(`SELECT ${COLUMNS} FROM hydra_clients WHERE id = $1`, [id]);
    const row = result.rows[0];
    const client = row ? fromRow(row) : undefined;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(id, { client, expires: Date.now() + CACHE_TTL_MS });
    return client;
  }

  async providerMetadata(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.get(id);
    return client ? (toProviderMetadata(client) as AdapterPayload) : undefined;
  }

  async create(id: string, secretHash: string | null, data: StoredClientData): Promise<StoredClient> {
    this.cache.delete(id);
    const result = await this.db.query<ClientRow>(
      `INSERT INTO hydra_clients (id, secret_hash, data) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [id, secretHash, JSON.stringify(data)],
    );
    const row = result.rows[0];
    if (!row) throw new ClientConflictError(`a client with id ${id} already exists`);
    return fromRow(row);
  }

  async update(id: string, secretHash: string | null, data: StoredClientData): Promise<StoredClient | undefined> {
    this.cache.delete(id);
    const result = await this.db.query<ClientRow>(
      `UPDATE hydra_clients SET secret_hash = $2, data = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, secretHash, JSON.stringify(data)],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    this.cache.delete(id);
    const result = await this.db.query("DELETE FROM hydra_clients WHERE id = $1", [id]);
    return (result.rowCount ?? 0) > 0;
  }

  /** Keyset pagination in insertion order; the page token is the last row's pk. */
  async list(options: { pageSize: number; pageToken?: string; clientName?: string; owner?: string }): Promise<ClientPage> {
    const after = options.pageToken ? Number(Buffer.from(options.pageToken, "base64url").toString("utf8")) : 0;
    const result = await this.db.query<ClientRow>(
      `SELECT ${COLUMNS} FROM hydra_clients
       WHERE pk > $1 AND ($2::text IS NULL OR data->>'client_name' = $2) AND ($3::text IS NULL OR data->>'owner' = $3)
       ORDER BY pk LIMIT $4`,
      [Number.isFinite(after) ? after : 0, options.clientName ?? null, options.owner ?? null, options.pageSize + 1],
    );
    const rows = result.rows.slice(0, options.pageSize);
    const last = rows[rows.length - 1];
    return {
      clients: rows.map(fromRow),
      ...(result.rows.length > options.pageSize && last ? { nextToken: Buffer.from(last.pk).toString("base64url") } : {}),
    };
  }
}
