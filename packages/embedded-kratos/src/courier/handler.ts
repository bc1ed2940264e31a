import { adminErrors, respondPlainErrorAt400 } from "../admin/errors";
import { goParseUuid } from "@olympus/server-kit/go-json";
import { goAtoi } from "@olympus/server-kit/go-strconv";
import { goBytes, goEncodeParams, goQueryUnescape, goValuesFirstNonEmpty } from "@olympus/server-kit/go-url";
import { goQuery } from "../admin/go-query";
import type { Deps } from "../deps";
import { errors, KratosError } from "../http/errors";
import type { Router } from "../http/router";
import {
  DEFAULT_MESSAGE_PAGE_TOKEN,
  encryptPageToken,
  matchesMessageColumns,
  messagePageToken,
  paginationKeys,
  parsePageToken,
  type PageTokenColumn,
} from "./page-token";
import { goTimeToPostgres } from "./page-token-time";
import { MESSAGE_STATUSES, type MessageKeysetColumn, type MessageStatus, messageToJson } from "./repository";

/**
 * GET /admin/courier/messages and /admin/courier/messages/{id}
 * (courier/handler.go). Subjects and bodies are redacted unless the server
 * runs in dev mode (`dev: true`, Kratos' `--dev`), as in Kratos.
 */

/** persister_courier.go ListMessages pages by 10 by default; keysetpagination_v2's DefaultMaxSize caps at 500. */
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 500;

/** Paginator.Size: 10 when absent or not positive, at most 500. */
const pageSizeOf = (requested: number | undefined) =>
  requested === undefined || requested <= 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);

/**
 * The token's columns as the query's keyset. Kratos hands a column's value to
 * the database as the token carried it; values that are not a time for
 * created_at or a UUID for id would be database errors (500) there and are
 * x's "invalid pagination token" here, so crafted input never causes a 500.
 */
function keysetOf(columns: readonly PageTokenColumn[]): MessageKeysetColumn[] | undefined {
  const keyset: MessageKeysetColumn[] = [];
  for (const col of columns) {
    const column = col.name === "id" ? "id" : "created_at";
    let value: string | null = null;
    if (col.value?.kind === "time" && column === "created_at") value = goTimeToPostgres(col.value.text) ?? null;
    else if (col.value?.kind === "uuid" && column === "id") value = col.value.text;
    else if (col.value !== null) return undefined;
    keyset.push({ column, value, constrained: col.hasConstraint });
  }
  return keyset;
}

const invalidPaginationToken = () => errors.badRequest("invalid pagination token");

export function registerCourierAdminRoutes(admin: Router, deps: Deps): void {
  const redact = () => deps.config.dev !== true;

  // courier/handler.go listCourierMessages + parseMessagesFilter, keysetpagination_v2 ParseQueryParams.
  admin.get("/admin/courier/messages", async (ctx) => {
    const q = goQuery(ctx);
    let status: MessageStatus | undefined;
    if (q.has("status")) {
      const value = q.get("status") ?? "";
      if (!(MESSAGE_STATUSES as readonly string[]).includes(value)) throw errors.badRequest("Message status is not valid");
      status = value as MessageStatus;
    }
    // The secrets as configured now: Kratos reads SecretsPagination per request.
    const keys = paginationKeys(deps.config.secrets.pagination);
    // ParseQueryParams' errors are written with WriteErrorCode(400): plain Go errors keep herodot's body code 500.
    let columns: PageTokenColumn[] = DEFAULT_MESSAGE_PAGE_TOKEN;
    const rawToken = goValuesFirstNonEmpty(q, "page_token");
    if (rawToken !== "") {
      const unescaped = goQueryUnescape(goBytes(rawToken));
      if ("error" in unescaped) return respondPlainErrorAt400(ctx, unescaped.error);
      const token = parsePageToken(Buffer.from(unescaped.value, "latin1"), keys);
      switch (token.kind) {
        case "decode":
          return respondPlainErrorAt400(ctx, `decode token: illegal base64 data at input byte ${token.offset}`);
        case "decrypt":
          // hyrumtoken wraps a nil error here, which Go's fmt prints so.
          return respondPlainErrorAt400(ctx, "decrypt token: %!w(<nil>)");
        case "unmarshal":
          return respondPlainErrorAt400(ctx, "unmarshal token data: invalid page token data");
        case "expired":
          throw new KratosError(400, {
            reason: "page token expired, do not persist page tokens",
            message: "unmarshal token data: The request was malformed or contained invalid parameters",
          });
        case "ok":
          columns = token.columns;
      }
    }
    const rawSize = goValuesFirstNonEmpty(q, "page_size");
    const size = rawSize === "" ? undefined : goAtoi(goBytes(rawSize));
    if (size && "error" in size) return respondPlainErrorAt400(ctx, size.error);
    const pageSize = pageSizeOf(size === undefined ? undefined : Number(size.value));

    // NewPaginator's validatePageToken, then the query.
    if (!matchesMessageColumns(columns)) throw invalidPaginationToken();
    const keyset = keysetOf(columns);
    if (!keyset) throw invalidPaginationToken();
    const recipient = q.get("recipient") ?? undefined;
    const rows = await deps.courier.messages.list({ limit: pageSize + 1, keyset, status, recipient });
    const page = rows.slice(0, pageSize);
    const last = rows.length > pageSize ? page[page.length - 1] : undefined;

    // SetLinkHeader: the request's own query with page_token and page_size set, Go-encoded; `first` carries the default token.
    const link = (rel: string, token: string) => {
      const query = new URLSearchParams(q);
      query.set("page_token", token);
      query.set("page_size", String(pageSize));
      return `<${ctx.path}?${goEncodeParams(query)}>; rel="${rel}"`;
    };
    const links = [link("first", encryptPageToken(DEFAULT_MESSAGE_PAGE_TOKEN, keys))];
    if (last) links.push(link("next", encryptPageToken(messagePageToken({ createdAt: last.createdAtUtc, id: last.message.id }), keys)));
    ctx.res.setHeader("Link", links.join(","));
    ctx.json(
      200,
      page.map((row) => messageToJson(row.message, { redact: redact() })),
    );
  });

  admin.get("/admin/courier/messages/:id", async (ctx) => {
    // uuid.FromString: every form it accepts names the message, in canonical form.
    const id = goParseUuid(ctx.params.id ?? "");
    if ("error" in id) throw adminErrors.badRequestMessage(id.error);
    const message = await deps.courier.messages.get(id.uuid);
    if (!message) throw adminErrors.noRows();
    ctx.json(200, messageToJson(message, { redact: redact() }));
  });
}
