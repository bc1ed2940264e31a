import type { Database, Queryable } from "../../storage/database";
import { isUuid } from "../../identity/repository";
import { UiContainer, type UiContainerJson } from "../../ui/container";
import type { Flow, FlowKind, FlowType } from "./flow";

interface FlowRow {
  id: string;
  kind: FlowKind;
  type: FlowType;
  state: string;
  ui: UiContainerJson;
  request_url: string;
  return_to: string | null;
  active_method: string | null;
  csrf_token: string;
  identity_id: string | null;
  session_id: string | null;
  requested_aal: Flow["requestedAal"] | null;
  refresh: boolean;
  internal_context: Record<string, unknown>;
  extra: Record<string, unknown>;
  issued_at: Date;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** Persists flows of every kind in one table. */
export class FlowRepository {
  constructor(private readonly db: Database) {}

  /** Inserts or updates the flow; `q` runs it inside a caller's transaction. */
  async save(flow: Flow, q: Queryable = this.db): Promise<void> {
    flow.updatedAt = new Date();
    await q.query(
      `INSERT INTO selfservice_flows (id, kind, type, state, ui, request_url, return_to, active_method, csrf_token, identity_id, session_id,
         requested_aal, refresh, internal_context, extra, issued_at, expires_at, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, ui = EXCLUDED.ui, active_method = EXCLUDED.active_method,
         identity_id = EXCLUDED.identity_id, session_id = EXCLUDED.session_id, internal_context = EXCLUDED.internal_context,
         extra = EXCLUDED.extra, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
      [
        flow.id,
        flow.kind,
        flow.type,
        flow.state,
        JSON.stringify(flow.ui.toJSON()),
        flow.requestUrl,
        flow.returnTo ?? null,
        flow.active ?? null,
        flow.csrfToken,
        flow.identityId ?? null,
        flow.sessionId ?? null,
        flow.requestedAal ?? null,
        flow.refresh,
        JSON.stringify(flow.internal),
        JSON.stringify(flow.extra),
        flow.issuedAt,
        flow.expiresAt,
        flow.createdAt,
        flow.updatedAt,
      ],
    );
  }

  async get(kind: FlowKind, id: string): Promise<Flow | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<FlowRow>("SELECT * FROM selfservice_flows WHERE id = $1 AND kind = $2", [id, kind]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      kind: row.kind,
      type: row.type,
      state: row.state,
      ui: UiContainer.fromJSON(row.ui),
      requestUrl: row.request_url,
      returnTo: row.return_to ?? undefined,
      active: row.active_method ?? undefined,
      csrfToken: row.csrf_token,
      identityId: row.identity_id ?? undefined,
      sessionId: row.session_id ?? undefined,
      requestedAal: row.requested_aal ?? undefined,
      refresh: row.refresh,
      internal: row.internal_context,
      extra: row.extra,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Removes flows that expired more than a day ago (called periodically). */
  async deleteExpired(olderThanMs = 86_400_000): Promise<number> {
    const result = await this.db.query("DELETE FROM selfservice_flows WHERE expires_at < now() - ($1::bigint * interval '1 millisecond')", [olderThanMs]);
    return result.rowCount ?? 0;
  }
}
