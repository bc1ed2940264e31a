import { randomUUID } from "node:crypto";
import type { KratosConfig } from "../../../config/load";
import type { HttpContext } from "../../../http/context";
import { CLIENT_CLOSED_REQUEST, KratosError } from "../../../http/errors";
import { readStoredJson } from "../../../identity/stored-json";
import type { Database } from "../../../storage/database";
import { goTimeString } from "../../../clock/go-time";
import { parseUuid } from "@olympus/server-kit/go-json";

interface ErrorRow {
  id: string;
  /** The jsonb column's text (`error::text`). */
  error: string;
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

  /**
   * Answers JSON clients with the error; sends browsers to the error UI (or
   * JSON when none is configured). A request whose context Go has cancelled
   * (a failed connection read) gets the JSON too: Manager.Forward's
   * CreateErrorContainer fails on that context and it writes the error.
   */
  async forward(ctx: HttpContext, error: KratosError): Promise<void> {
    const uiUrl = this.config.selfservice.flows.error.ui_url;
    const requestCancelled = error.answerStatus === CLIENT_CLOSED_REQUEST;
    if (ctx.isJsonRequest || !uiUrl || requestCancelled) {
      ctx.error(error);
      return;
    }
    const id = randomUUID();
    await this.db.query("INSERT INTO selfservice_errors (id, error) VALUES ($1, $2)", [id, JSON.stringify(error.toBody())]);
    // errorx Manager.Forward writes the error here instead when x.AcceptsJSON
    // holds; it never does past the x.IsJSONRequest check above: gddo picks
    // the same of text/html and application/json from both offer lists (an
    // Accept entry matching `text/*` or `*/*` matches text/html first).
    const url = new URL(uiUrl);
    url.searchParams.set("id", id);
    ctx.redirect(url.toString());
  }

  async get(id: string): Promise<Record<string, unknown> | undefined> {
    // x.ParseUUID (gofrs FromStringOrNil): braced, `urn:uuid:` and 32-digit forms name the same container; anything
    // else is the nil UUID, which names none — never a string left to Postgres' own (different) uuid cast.
    const uuid = parseUuid(id);
    if (uuid === undefined) return undefined;
    const { rows } = await this.db.query<ErrorRow>(
      "UPDATE selfservice_errors SET seen_at = now(), was_seen = true WHERE id = $1 RETURNING id, error::text AS error, created_at, updated_at",
      [uuid],
    );
    const row = rows[0];
    if (!row) return undefined;
    // errorx.ErrorContainer keeps the column as json.RawMessage: the answer
    // carries jsonb's text (its key order and numbers), compacted.
    return {
      id: row.id,
      error: readStoredJson(row.error).text,
      created_at: goTimeString(row.created_at),
      updated_at: goTimeString(row.updated_at),
    };
  }
}

export { KratosError };
