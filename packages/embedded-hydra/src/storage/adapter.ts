import { errors, type Adapter, type AdapterPayload } from "oidc-provider";
import { isStorableJson, isStorableText } from "@olympus/server-kit/text";
import type { Db } from "./db";
import type { ClientRepository } from "../clients/repository";
import { validUntilOf } from "../tokens/fosite-expiry";

type Row = { payload: AdapterPayload; consumed_at: Date | null };

const SELECT = "SELECT payload, consumed_at FROM oidc_payloads";
const LIVE = "(expires_at IS NULL OR expires_at > now())";

function withConsumed(row: Row | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
}

/**
 * oidc-provider's storage contract over one Postgres table keyed by
 * (model, id). Columns beside the JSON payload exist only for lookups the
 * library and the admin API make (grant, uid, user code, account).
 */
export class PostgresAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
  ) {}

  /**
   * A token minted with fosite's expiry instant (tokens/fosite-expiry.ts)
   * expires at that instant, to the microsecond; other rows after
   * oidc-provider's whole seconds.
   */
  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const json = JSON.stringify(payload);
    // Request parameters (state, nonce, scope, ...) end up in payloads: refuse what jsonb cannot hold as a client error.
    if (!isStorableJson(json) || !isStorableText(id))
      throw new errors.InvalidRequest("the request contains characters that cannot be stored");
    // A named statement: every token, code and session is written through here, so Postgres plans it once per connection.
    await this.db.prepared(
      "oidc_payload_upsert_precise",
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $9::float8 IS NOT NULL THEN to_timestamp($9::float8 / 1000)
         WHEN $8::int IS NULL THEN NULL ELSE now() + make_interval(secs => $8::int) END)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, account_id = EXCLUDED.account_id, expires_at = EXCLUDED.expires_at`,
      [
        this.model,
        id,
        json,
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        payload.accountId ?? null,
        expiresIn ?? null,
        validUntilOf(payload) ?? null,
      ],
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (!isStorableText(id)) return undefined;
    if (this.model === "RefreshToken") return this.findRefreshToken(id);
    const result = await this.db.prepared<Row>("oidc_payload_find", `${SELECT} WHERE model = $1 AND id = $2 AND ${LIVE}`, [this.model, id]);
    return withConsumed(result.rows[0]);
  }

  /**
   * A refresh token past its expiry is still found (until the cleanup deletes
   * it) but expired to oidc-provider, whose refresh grant then answers
   * fosite's "The refresh token expired." (flow_refresh.go
   * HandleTokenEndpointRequest) rather than "not valid".
   */
  private async findRefreshToken(id: string): Promise<AdapterPayload | undefined> {
    const result = await this.db.prepared<Row & { expired: boolean }>(
      "oidc_refresh_token_find",
      `SELECT payload, consumed_at, coalesce(expires_at <= now(), false) AS expired FROM oidc_payloads WHERE model = $1 AND id = $2`,
      [this.model, id],
    );
    const row = result.rows[0];
    const payload = withConsumed(row);
    // exp 0 is past for oidc-provider's isExpired and its clock tolerance alike.
    return payload && row?.expired ? { ...payload, exp: 0 } : payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    if (!isStorableText(uid)) return undefined;
    const result = await this.db.query<Row>(`${SELECT} WHERE model = $1 AND uid = $2 AND ${LIVE}`, [this.model, uid]);
    return withConsumed(result.rows[0]);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    if (!isStorableText(userCode)) return undefined;
    const result = await this.db.query<Row>(`${SELECT} WHERE model = $1 AND user_code = $2 AND ${LIVE}`, [this.model, userCode]);
    return withConsumed(result.rows[0]);
  }

  async consume(id: string): Promise<void> {
    await this.db.query("UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2", [this.model, id]);
  }

  async destroy(id: string): Promise<void> {
    await this.db.query("DELETE FROM oidc_payloads WHERE model = $1 AND id = $2", [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query("DELETE FROM oidc_payloads WHERE grant_id = $1", [grantId]);
  }
}

/** Clients live in their own table (Hydra's shape); oidc-provider only reads them. */
class ClientAdapter implements Adapter {
  constructor(private readonly clients: ClientRepository) {}
  async find(id: string): Promise<AdapterPayload | undefined> {
    if (!isStorableText(id)) return undefined;
    return this.clients.providerMetadata(id);
  }
  upsert(): Promise<void> {
    return Promise.reject(new Error("clients are managed through the admin API"));
  }
  findByUid(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

export function adapterFactory(db: Db, clients: ClientRepository): (model: string) => Adapter {
  const cache = new Map<string, Adapter>();
  return (model) => {
    let adapter = cache.get(model);
    if (!adapter) {
      adapter = model === "Client" ? new ClientAdapter(clients) : new PostgresAdapter(db, model);
      cache.set(model, adapter);
    }
    return adapter;
  };
}
