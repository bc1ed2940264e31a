import type { AdapterPayload } from "oidc-provider";
import { isStorableText } from "@olympus/server-kit/text";
import { goUtcJsonInRange, nowNanos, truncateMicroseconds } from "@olympus/server-kit/clock";
import { normalizeClientData, PROVIDER_SCOPES, toProviderMetadata, type StoredClient, type StoredClientData } from "./model";
import type { Db } from "../storage/db";

type ClientRow = {
  pk: string;
  id: string;
  secret_hash: string | null;
  data: Record<string, unknown>;
  /** Epoch microseconds (bigint text): a JavaScript Date would drop the microseconds Hydra shows. */
  created_at: string;
  updated_at: string;
};

const epochMicros = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint AS ${column}`;
const COLUMNS = `pk, id, secret_hash, data, ${epochMicros("created_at")}, ${epochMicros("updated_at")}`;

/** A stored time as Go writes the time.Time pop reads back (UTC, microseconds); stored times are always in Go's range. */
function storedTime(micros: string): string {
  return goUtcJsonInRange(BigInt(micros) * 1000n);
}

/** ory/pop's stamp for updated_at (Create, UpdateQuery): time.Now().Truncate(time.Microsecond). */
const popNow = (): string => goUtcJsonInRange(truncateMicroseconds(nowNanos()));

function fromRow(row: ClientRow): StoredClient {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    data: normalizeClientData(row.data),
    createdAt: storedTime(row.created_at),
    updatedAt: storedTime(row.updated_at),
  };
}

export class ClientConflictError extends Error {}

export interface ClientPage {
  clients: StoredClient[];
  /** The id the next page starts after, if there is one. */
  nextAfter?: string;
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

  /**
   * Every scope a client oidc-provider has loaded registered, and the live
   * provider's own scope set (provider/scope-registry.ts), which gets them
   * too, before oidc-provider looks at a request's scope.
   */
  private readonly knownScopes = new Set<string>(PROVIDER_SCOPES);
  private providerScopes: Set<string> | undefined;

  /** Hands the live provider's scope set over (a new provider replaces the previous one's). */
  attachProviderScopes(scopes: Set<string>): void {
    for (const scope of this.knownScopes) scopes.add(scope);
    this.providerScopes = scopes;
  }

  constructor(private readonly db: Db) {}

  async get(id: string): Promise<StoredClient | undefined> {
    // No stored client has an id Postgres cannot hold (NUL, unpaired surrogates); asking would fail the query.
    if (!isStorableText(id)) return undefined;
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
    // A client Hydra's admin API accepts but oidc-provider cannot run is unknown at the OAuth2 endpoints.
    if (!client || client.data.unusable) return undefined;
    for (const scope of client.data.scope.split(" ")) {
      if (!scope) continue;
      this.knownScopes.add(scope);
      this.providerScopes?.add(scope);
    }
    return toProviderMetadata(client);
  }

  /** `createdAt` is the handler's (Go time JSON); updated_at gets pop's stamp, as Hydra's CreateWithNetwork does. */
  async create(id: string, secretHash: string | null, data: StoredClientData, createdAt: string): Promise<StoredClient> {
    this.cache.delete(id);
    const result = await this.db.query<ClientRow>(
      `INSERT INTO hydra_clients (id, secret_hash, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [id, secretHash, JSON.stringify(data), createdAt, popNow()],
    );
    const row = result.rows[0];
    if (!row) throw new ClientConflictError(`a client with id ${id} already exists`);
    return fromRow(row);
  }

  /** As pop's UpdateQuery: created_at is never written, updated_at gets pop's stamp. */
  async update(id: string, secretHash: string | null, data: StoredClientData): Promise<StoredClient | undefined> {
    this.cache.delete(id);
    const result = await this.db.query<ClientRow>(
      `UPDATE hydra_clients SET secret_hash = $2, data = $3, updated_at = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, secretHash, JSON.stringify(data), popNow()],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    this.cache.delete(id);
    const result = await this.db.query("DELETE FROM hydra_clients WHERE id = $1", [id]);
    return (result.rowCount ?? 0) > 0;
  }

  /** Keyset pagination by client id, as Hydra orders its client list; `nextAfter` is the last id when more follow. */
  async list(options: { pageSize: number; after: string; clientName?: string; owner?: string }): Promise<ClientPage> {
    const result = await this.db.query<ClientRow>(
      `SELECT ${COLUMNS} FROM hydra_clients
       WHERE id > $1 AND ($2::text IS NULL OR data->>'client_name' = $2) AND ($3::text IS NULL OR data->>'owner' = $3)
       ORDER BY id LIMIT $4`,
      [options.after, options.clientName ?? null, options.owner ?? null, options.pageSize + 1],
    );
    const rows = result.rows.slice(0, options.pageSize);
    const last = rows[rows.length - 1];
    return {
      clients: rows.map(fromRow),
      ...(result.rows.length > options.pageSize && last ? { nextAfter: last.id } : {}),
    };
  }
}
