import { adminErrors, respondPlainErrorAt400 } from "../admin/errors";
import { uuidParseError } from "../admin/go-json";
import { pageTokenCursor, setLinkHeader } from "../admin/pagination";
import type { Deps } from "../deps";
import { errors } from "../http/errors";
import type { Router } from "../http/router";
import { isUuid } from "../identity/repository";
import { MESSAGE_STATUSES, type MessageStatus, messageToJson } from "./repository";

/**
 * GET /admin/courier/messages and /admin/courier/messages/{id}
 * (courier/handler.go). Subjects and bodies are redacted unless the server
 * runs in dev mode (`dev: true`, Kratos' `--dev`), as in Kratos.
 */
export function registerCourierAdminRoutes(admin: Router, deps: Deps): void {
  const redact = () => deps.config.dev !== true;

  admin.get("/admin/courier/messages", async (ctx) => {
    const q = ctx.query;
    let status: MessageStatus | undefined;
    if (q.has("status")) {
      const value = q.get("status") ?? "";
      if (!(MESSAGE_STATUSES as readonly string[]).includes(value)) throw errors.badRequest("Message status is not valid");
      status = value as MessageStatus;
    }
    // keysetpagination.ParseQueryParams errors are written with WriteErrorCode(400): herodot's body code stays 500.
    const rawSize = q.getAll("page_size").find((v) => v !== "");
    if (rawSize !== undefined && !/^[+-]?\d+$/.test(rawSize))
      return respondPlainErrorAt400(ctx, `strconv.Atoi: parsing ${JSON.stringify(rawSize)}: invalid syntax`);
    // The courier persister pages by 10 by default, at most 500.
    const pageSize = rawSize === undefined || Number(rawSize) <= 0 ? 10 : Math.min(Number(rawSize), 500);
    let afterId: string | undefined;
    try {
      afterId = pageTokenCursor(q);
    } catch {
      // hyrumtoken.Unmarshal's texts: an encrypted token that does not decode or does not open.
      const token = q.getAll("page_token").find((v) => v !== "") ?? "";
      const bad = token.search(/[^A-Za-z0-9_=-]/);
      return respondPlainErrorAt400(ctx, bad >= 0 ? `decode token: illegal base64 data at input byte ${bad}` : "decrypt token: %!w(<nil>)");
    }
    const recipient = q.get("recipient") ?? undefined;

    const page = await deps.courier.messages.list({ pageSize: pageSize + 1, afterId, status, recipient });
    const items = page.slice(0, pageSize);
    const filters = new URLSearchParams();
    if (status) filters.set("status", status);
    if (recipient) filters.set("recipient", recipient);
    setLinkHeader(ctx, "/admin/courier/messages", pageSize, page.length > pageSize ? items[items.length - 1]?.id : undefined, filters);
    ctx.json(
      200,
      items.map((m) => messageToJson(m, { redact: redact() })),
    );
  });

  admin.get("/admin/courier/messages/:id", async (ctx) => {
    const id = ctx.params.id ?? "";
    if (!isUuid(id)) throw adminErrors.badRequestMessage(uuidParseError(id));
    const message = await deps.courier.messages.get(id);
    if (!message) throw adminErrors.noRows();
    ctx.json(200, messageToJson(message, { redact: redact() }));
  });
}
