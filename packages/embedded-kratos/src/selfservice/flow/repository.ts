import type { Database, Queryable } from "../../storage/database";
import type { AuthenticatorAssuranceLevel } from "../../identity/identity";
import { isUuid } from "../../identity/repository";
import { UiContainer, type UiContainerJson } from "../../ui/container";
import { z } from "zod";
import { isFlowOf, type ContinueWith, type Flow, type FlowFields, type FlowKind, type FlowOf, type FlowType } from "./flow";
import { nowMicroseconds } from "../../clock/clock";
import { keepStoredContextTexts, UI_CONTEXT_TEXTS_SELECT } from "./stored-ui-texts";

interface FlowRow {
  id: string;
  kind: FlowKind;
  type: FlowType;
  state: string;
  ui: UiContainerJson;
  /** The text jsonb gives for each UI text's context (stored-ui-texts.ts). */
  ui_context_texts: string[];
  request_url: string;
  return_to: string | null;
  active_method: string | null;
  csrf_token: string;
  identity_id: string | null;
  session_id: string | null;
  requested_aal: AuthenticatorAssuranceLevel | null;
  refresh: boolean;
  internal_context: Record<string, unknown>;
  extra: Record<string, unknown>;
  issued_at: Date;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

/**
 * The upsert's new internal context, except that the code strategy's
 * submit_count never goes down: countSubmission raises it atomically, and a
 * request saving the copy it read earlier must not write a smaller count back
 * (Kratos keeps submit_count in a column flow updates never write,
 * persistence/sql/persister_code.go incrementOTPCodeSubmitCount).
 */
const STORED_SUBMIT_COUNT = "(selfservice_flows.internal_context #>> '{code,submit_count}')::int";
const KEEP_GREATER_SUBMIT_COUNT = `CASE WHEN ${STORED_SUBMIT_COUNT} IS NULL THEN EXCLUDED.internal_context
         ELSE jsonb_set(EXCLUDED.internal_context, '{code}', COALESCE(EXCLUDED.internal_context -> 'code', '{}'::jsonb)
           || jsonb_build_object('submit_count', GREATEST(${STORED_SUBMIT_COUNT}, COALESCE((EXCLUDED.internal_context #>> '{code,submit_count}')::int, 0))))
         END`;

/** Persists flows of every kind in one table. */
export class FlowRepository {
  constructor(private readonly db: Database) {}

  /** Inserts or updates the flow; `q` runs it inside a caller's transaction. */
  async save(flow: Flow, q: Queryable = this.db): Promise<void> {
    // pop Create/Update stamp updated_at (and created_at when first created) with one microsecond time.
    // A flow never saved holds one object for both (createFlowFields); the copy keeps them apart afterwards.
    const stamp = nowMicroseconds();
    if (flow.createdAt === flow.updatedAt) flow.createdAt = stamp.add(0);
    flow.updatedAt = stamp;
    await q.query(
      `INSERT INTO selfservice_flows (id, kind, type, state, ui, request_url, return_to, active_method, csrf_token, identity_id, session_id,
         requested_aal, refresh, internal_context, extra, issued_at, expires_at, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, ui = EXCLUDED.ui, active_method = EXCLUDED.active_method, csrf_token = EXCLUDED.csrf_token,
         identity_id = EXCLUDED.identity_id, session_id = EXCLUDED.session_id, internal_context = ${KEEP_GREATER_SUBMIT_COUNT},
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
        flow.kind === "login" ? (flow.requestedAal ?? null) : null,
        flow.kind === "login" && flow.refresh,
        JSON.stringify(storedInternal(flow)),
        JSON.stringify(storedExtra(flow)),
        flow.issuedAt,
        flow.expiresAt,
        flow.createdAt,
        flow.updatedAt,
      ],
    );
  }

  async get<K extends FlowKind>(kind: K, id: string): Promise<FlowOf<K> | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<FlowRow>(
      `SELECT *, ${UI_CONTEXT_TEXTS_SELECT} FROM selfservice_flows WHERE id = $1 AND kind = $2`,
      [id, kind],
    );
    const row = rows[0];
    if (!row) return undefined;
    const flow = flowFromRow(row);
    return isFlowOf(flow, kind) ? flow : undefined;
  }

  /** Removes flows that expired more than a day ago (called periodically). */
  async deleteExpired(olderThanMs = 86_400_000): Promise<number> {
    const result = await this.db.query("DELETE FROM selfservice_flows WHERE expires_at < now() - ($1::bigint * interval '1 millisecond')", [
      olderThanMs,
    ]);
    return result.rowCount ?? 0;
  }
}

/**
 * Typed fields ↔ the two JSON columns. `extra` keeps the public fields under
 * their JSON names (and settings' schema keys under a name no client sees);
 * `internal_context` keeps the strategies' state, one key per strategy, and
 * recovery's CSRF exemption.
 */
const SKIP_CSRF_KEY = "dangerous_skip_csrf_check";
const SCHEMA_KEYS_KEY = "__schema_keys";

function storedExtra(flow: Flow): Record<string, unknown> {
  switch (flow.kind) {
    case "login":
    case "registration":
      return {
        ...(flow.identitySchema ? { identity_schema: flow.identitySchema } : {}),
        ...(flow.oauth2LoginChallenge ? { oauth2_login_challenge: flow.oauth2LoginChallenge } : {}),
      };
    case "settings":
      return { [SCHEMA_KEYS_KEY]: flow.schemaKeys, ...(flow.continueWith ? { continue_with: flow.continueWith } : {}) };
    case "recovery":
    case "verification":
      return {};
  }
}

function storedInternal(flow: Flow): Record<string, unknown> {
  return flow.kind === "recovery" && flow.skipCsrfCheck ? { ...flow.internal, [SKIP_CSRF_KEY]: true } : flow.internal;
}

const text = z.string().optional().catch(undefined);
const continueWithSchema: z.ZodType<ContinueWith> = z.union([
  z.object({
    action: z.literal("show_verification_ui"),
    flow: z.object({ id: z.string(), verifiable_address: z.string(), url: z.string().optional() }),
  }),
  z.object({ action: z.literal("show_settings_ui"), flow: z.object({ id: z.string(), url: z.string().optional() }) }),
  z.object({ action: z.literal("show_recovery_ui"), flow: z.object({ id: z.string(), url: z.string().optional() }) }),
  z.object({ action: z.literal("set_ory_session_token"), ory_session_token: z.string() }),
  z.object({ action: z.literal("redirect_browser_to"), redirect_browser_to: z.string() }),
]);
const extraSchema = z.object({
  oauth2_login_challenge: text,
  identity_schema: text,
  continue_with: z.array(continueWithSchema).optional().catch(undefined),
  [SCHEMA_KEYS_KEY]: z.array(z.string()).catch([]).default([]),
});

function flowFromRow(row: FlowRow): Flow {
  const { [SKIP_CSRF_KEY]: skipCsrf, ...internal } = row.internal_context;
  keepStoredContextTexts(row.ui, row.ui_context_texts);
  const fields: FlowFields = {
    id: row.id,
    type: row.type,
    state: row.state,
    ui: UiContainer.fromJSON(row.ui),
    requestUrl: row.request_url,
    returnTo: row.return_to ?? undefined,
    active: row.active_method ?? undefined,
    csrfToken: row.csrf_token,
    identityId: row.identity_id ?? undefined,
    sessionId: row.session_id ?? undefined,
    internal,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  const extra = extraSchema.parse(row.extra);
  switch (row.kind) {
    case "login":
      return {
        ...fields,
        kind: "login",
        requestedAal: row.requested_aal ?? undefined,
        refresh: row.refresh,
        oauth2LoginChallenge: extra.oauth2_login_challenge,
        identitySchema: extra.identity_schema,
      };
    case "registration":
      return { ...fields, kind: "registration", identitySchema: extra.identity_schema, oauth2LoginChallenge: extra.oauth2_login_challenge };
    case "settings":
      return { ...fields, kind: "settings", schemaKeys: extra[SCHEMA_KEYS_KEY], continueWith: extra.continue_with };
    case "recovery":
      return { ...fields, kind: "recovery", skipCsrfCheck: skipCsrf === true };
    case "verification":
      return { ...fields, kind: "verification" };
  }
}
