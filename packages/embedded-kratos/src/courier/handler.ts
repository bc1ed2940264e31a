import { pageTokenCursor, parsePageSize, setLinkHeader } from "../admin/pagination";
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
    const pageSize = parsePageSize(q);
    const afterId = pageTokenCursor(q);
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
    if (!isUuid(id)) throw errors.badRequest(`could not parse parameter {id} as UUID, got ${id}`);
    const message = await deps.courier.messages.get(id);
    if (!message) throw errors.notFound("Unable to locate the resource");
    ctx.json(200, messageToJson(message, { redact: redact() }));
  });
}
