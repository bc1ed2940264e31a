import { randomUUID } from "node:crypto";
import type { Database, Queryable } from "../storage/database";
import type { TemplateModel, TemplateType } from "./templates";
import { goTimeString } from "../clock/go-time";

export const MESSAGE_STATUSES = ["queued", "sent", "processing", "abandoned"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessageDispatch {
  id: string;
  messageId: string;
  status: "failed" | "success";
  error: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CourierMessage {
  id: string;
  status: MessageStatus;
  type: "email" | "phone";
  recipient: string;
  subject: string;
  /** The plaintext body (the HTML body is rendered again from template data at send time). */
  body: string;
  templateType: TemplateType;
  templateData: TemplateModel;
  channel: string | null;
  /**
   * The allow-listed headers of the flow request the message was queued for
   * (courier/message.go RequestHeaders): `{}` for templates that carry none,
   * null for messages stored before the column existed.
   */
  requestHeaders: Record<string, string[]> | null;
  sendCount: number;
  createdAt: Date;
  updatedAt: Date;
  dispatches?: MessageDispatch[];
}

interface MessageRow {
  id: string;
  type: "email" | "phone";
  status: MessageStatus;
  recipient: string;
  subject: string;
  body: string;
  template_type: TemplateType;
  template_data: TemplateModel;
  channel: string | null;
  request_headers: Record<string, string[]> | null;
  send_count: number;
  created_at: Date;
  updated_at: Date;
}

interface DispatchRow {
  id: string;
  message_id: string;
  status: "failed" | "success";
  error: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

/** One column of the keyset condition: its value as Postgres text (null compares as SQL NULL), skipped when `constrained`. */
export interface MessageKeysetColumn {
  column: "created_at" | "id";
  value: string | null;
  constrained: boolean;
}

export interface ListMessagesQuery {
  /** Rows to fetch (the page size plus one, to see whether a next page exists). */
  limit: number;
  /** The page token's columns, in its order (created_at, id). */
  keyset: readonly MessageKeysetColumn[];
  status?: MessageStatus;
  recipient?: string;
}

/** A listed message with its created_at at full (microsecond) precision, for the next page token. */
export interface ListedMessage {
  message: CourierMessage;
  createdAtUtc: string;
}

/**
 * keysetpagination_v2 BuildWhereAndOrder for created_at DESC, id ASC: each
 * column compares after equality on the ones before it
 * (`created_at < $1 OR (created_at = $1 AND id > $2)`).
 */
function keysetWhere(keyset: readonly MessageKeysetColumn[], params: unknown[]): string | undefined {
  const free = keyset.filter((k) => !k.constrained);
  if (free.length === 0) return undefined;
  const cast = (k: MessageKeysetColumn) => {
    params.push(k.value);
    return `$${params.length}::${k.column === "id" ? "uuid" : "timestamptz"}`;
  };
  const branches = free.map((k, i) => {
    const equal = free.slice(0, i).map((prev) => `${prev.column} = ${cast(prev)}`);
    return [...equal, `${k.column} ${k.column === "id" ? ">" : "<"} ${cast(k)}`].join(" AND ");
  });
  return `((${branches.join(") OR (")}))`;
}

/** The `courier_messages` queue and its dispatch log. */
export class CourierRepository {
  constructor(private readonly db: Database) {}

  async insert(q: Queryable, message: Omit<CourierMessage, "id" | "status" | "sendCount" | "createdAt" | "updatedAt">): Promise<string> {
    const id = randomUUID();
    await q.query(
      `INSERT INTO courier_messages (id, type, status, recipient, subject, body, template_type, template_data, channel, request_headers)
       VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        message.type,
        message.recipient,
        message.subject,
        message.body,
        message.templateType,
        JSON.stringify(message.templateData),
        message.channel,
        message.requestHeaders === null ? null : JSON.stringify(message.requestHeaders),
      ],
    );
    return id;
  }

  async get(id: string): Promise<CourierMessage | undefined> {
    const { rows } = await this.db.query<MessageRow>("SELECT * FROM courier_messages WHERE id = $1", [id]);
    const row = rows[0];
    if (!row) return undefined;
    const dispatches = await this.db.query<DispatchRow>(
      "SELECT * FROM courier_message_dispatches WHERE message_id = $1 ORDER BY created_at DESC, id",
      [id],
    );
    return { ...fromRow(row), dispatches: dispatches.rows.map(dispatchFromRow) };
  }

  /** persister_courier.go ListMessages: filters, then the page token's keyset, newest first (created_at DESC, id ASC). */
  async list(query: ListMessagesQuery): Promise<ListedMessage[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      params.push(query.status);
      where.push(`status = $${params.length}`);
    }
    if (query.recipient !== undefined && query.recipient !== "") {
      params.push(query.recipient);
      where.push(`recipient = $${params.length}`);
    }
    const keyset = keysetWhere(query.keyset, params);
    if (keyset) where.push(keyset);
    params.push(query.limit);
    const { rows } = await this.db.query<MessageRow & { created_at_utc: string }>(
      `SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_utc
         FROM courier_messages ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY created_at DESC, id ASC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({ message: fromRow(row), createdAtUtc: row.created_at_utc }));
  }

  /**
   * Claims up to `limit` queued messages that are due (first attempt, or the
   * back-off after the last failure has passed) and marks them `processing`.
   * SKIP LOCKED keeps two workers on one database from sending a message twice.
   */
  async claimDue(limit: number, backoffBaseMs: number, backoffMaxMs: number): Promise<CourierMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      `UPDATE courier_messages SET status = 'processing', updated_at = now()
        WHERE id IN (
          SELECT id FROM courier_messages
           WHERE status = 'queued'
             AND (send_count = 0 OR updated_at <= now() - LEAST($2::float8 * power(2, send_count - 1), $3::float8) * interval '1 millisecond')
           ORDER BY created_at, id
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [limit, backoffBaseMs, backoffMaxMs],
    );
    return rows.map(fromRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async incrementSendCount(id: string): Promise<number> {
    const { rows } = await this.db.query<{ send_count: number }>(
      "UPDATE courier_messages SET send_count = send_count + 1, updated_at = now() WHERE id = $1 RETURNING send_count",
      [id],
    );
    return rows[0]?.send_count ?? 0;
  }

  async recordSuccess(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query("UPDATE courier_messages SET status = 'sent', updated_at = now() WHERE id = $1", [id]);
      await tx.query("INSERT INTO courier_message_dispatches (id, message_id, status) VALUES ($1, $2, 'success')", [randomUUID(), id]);
    });
  }

  /** Logs the failed attempt and puts the message back in the queue, or gives up on it. */
  async recordFailure(id: string, error: Record<string, unknown>, abandon: boolean): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query("UPDATE courier_messages SET status = $2, updated_at = now() WHERE id = $1", [id, abandon ? "abandoned" : "queued"]);
      await tx.query("INSERT INTO courier_message_dispatches (id, message_id, status, error) VALUES ($1, $2, 'failed', $3)", [
        randomUUID(),
        id,
        JSON.stringify(error),
      ]);
    });
  }

  /** Messages left `processing` by a worker that died mid-send go back to the queue. */
  async requeueStale(olderThanMs: number): Promise<number> {
    const result = await this.db.query(
      "UPDATE courier_messages SET status = 'queued', updated_at = now() WHERE status = 'processing' AND updated_at < now() - $1::float8 * interval '1 millisecond'",
      [olderThanMs],
    );
    return result.rowCount ?? 0;
  }
}

function fromRow(row: MessageRow): CourierMessage {
  return {
    id: row.id,
    status: row.status,
    type: row.type,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    templateType: row.template_type,
    templateData: row.template_data,
    channel: row.channel,
    requestHeaders: row.request_headers,
    sendCount: row.send_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function dispatchFromRow(row: DispatchRow): MessageDispatch {
  return {
    id: row.id,
    messageId: row.message_id,
    status: row.status,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A failed dispatch's `error` (persister_courier.go RecordDispatch): the
 * error as herodot.ToDefaultError makes it, marshalled — a plain error is
 * code 500 with its text as `message`.
 */
export function dispatchErrorJson(error: unknown): Record<string, unknown> {
  return { code: 500, status: "Internal Server Error", message: error instanceof Error ? error.message : String(error) };
}

/** The courier message JSON of Kratos' admin API (courier/message.go). */
export function messageToJson(message: CourierMessage, options: { redact: boolean }): Record<string, unknown> {
  return {
    id: message.id,
    status: message.status,
    // MessageType.MarshalJSON: the stored `phone` type is `sms` on the wire.
    type: message.type === "phone" ? "sms" : message.type,
    recipient: message.recipient,
    body: options.redact ? "<redacted-unless-dev-mode>" : message.body,
    subject: options.redact ? "<redacted-unless-dev-mode>" : message.subject,
    template_type: message.templateType,
    channel: message.channel,
    send_count: message.sendCount,
    ...(message.dispatches && message.dispatches.length > 0
      ? {
          dispatches: message.dispatches.map((d) => ({
            id: d.id,
            message_id: d.messageId,
            status: d.status,
            ...(d.error ? { error: d.error } : {}),
            created_at: goTimeString(d.createdAt),
            updated_at: goTimeString(d.updatedAt),
          })),
        }
      : {}),
    created_at: goTimeString(message.createdAt),
    updated_at: goTimeString(message.updatedAt),
  };
}
