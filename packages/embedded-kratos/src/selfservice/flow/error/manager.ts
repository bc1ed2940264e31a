import { randomUUID } from "node:crypto";
import type { KratosConfig } from "../../../config/load";
import type { HttpContext } from "../../../http/context";
import { type HerodotBody, KratosError } from "../../../http/errors";
import type { Database } from "../../../storage/database";
import { goTimeString } from "../../../clock/go-time";

interface ErrorRow {
  id: string;
  error: HerodotBody;
  created_at: Date;
  updated_at: Date;
}

/**
 * User-facing error store (selfservice/errorx): browser requests are sent to
 * the error UI with `?id=`, which fetches `/self-service/errors?id=`.
 */
export class ErrorManager {
  constructor(
    private readonly db: Database,
    private readonly config: KratosConfig,
  ) {}

  /** Answers JSON clients with the error; sends browsers to the error UI (or JSON when none is configured). */
  async forward(ctx: HttpContext, error: KratosError): Promise<void> {
    const uiUrl = this.config.selfservice.flows.error.ui_url;
    if (ctx.isJsonRequest || !uiUrl) {
      ctx.error(error);
      return;
    }
    const id = randomUUID();
    await this.db.query("INSERT INTO selfservice_errors (id, error) VALUES ($1, $2)", [id, JSON.stringify(error.toBody())]);
    const url = new URL(uiUrl);
    url.searchParams.set("id", id);
    ctx.redirect(url.toString());
  }

  async get(id: string): Promise<Record<string, unknown> | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await this.db.query<ErrorRow>(
      "UPDATE selfservice_errors SET seen_at = now(), was_seen = true WHERE id = $1 RETURNING id, error, created_at, updated_at",
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { id: row.id, error: row.error, created_at: goTimeString(row.created_at), updated_at: goTimeString(row.updated_at) };
  }
}

export { KratosError };
