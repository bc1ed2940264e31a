import type { IncomingMessage, ServerResponse } from "node:http";
import type { Inbox } from "./inbox.ts";
import { INBOX_PAGE } from "./inbox-page.ts";

/**
 * The inbox over HTTP: the part of maildev's REST API that the e2e suites,
 * the resilience runs and developers' scripts use (`/api/email`,
 * `/api/email/:id`, `/html`, `/source`, deletes, `/api/healthz`), and one
 * page for a browser at `/`.
 */
export function inboxHandler(inbox: Inbox): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void route(inbox, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "application/json", JSON.stringify({ error: "internal error" }));
      else res.end();
    });
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
const notFound = (res: ServerResponse) => json(res, 404, { error: "Email was not found" });

/** A mail's own HTML may only lay itself out: no scripts, no forms, nothing fetched but images. */
const MAIL_HTML_CSP = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src * data:; sandbox";

async function route(inbox: Inbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://inbox.invalid");
  const method = req.method ?? "GET";
  const parts = url.pathname.split("/").filter(Boolean);

  if (method === "GET" && url.pathname === "/") {
    send(res, 200, "text/html; charset=utf-8", INBOX_PAGE, {
      "Content-Security-Policy":
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'",
      "X-Frame-Options": "DENY",
    });
    return;
  }
  if (parts[0] !== "api") return notFound(res);
  if (method === "GET" && parts[1] === "healthz" && parts.length === 2) return json(res, 200, true);
  if (parts[1] !== "email") return notFound(res);

  if (parts.length === 2 && method === "GET") return json(res, 200, listed(inbox, url.searchParams));
  if (parts.length === 3 && parts[2] === "all" && method === "DELETE") {
    await inbox.deleteAll();
    return json(res, 200, true);
  }
  if (parts.length === 3 && parts[2] === "read-all" && method === "PATCH") {
    let count = 0;
    for (const mail of inbox.all()) {
      if (mail.read) continue;
      mail.read = true;
      count++;
    }
    return json(res, 200, count);
  }
  const id = parts[2] ?? "";
  const mail = inbox.get(id);
  if (!mail) return notFound(res);
  if (parts.length === 3 && method === "GET") {
    mail.read = true;
    return json(res, 200, mail);
  }
  if (parts.length === 3 && method === "DELETE") {
    await inbox.delete(id);
    return json(res, 200, true);
  }
  if (parts.length === 4 && parts[3] === "html" && method === "GET") {
    if (mail.html === undefined) return json(res, 404, { error: "Email has no HTML content" });
    return send(res, 200, "text/html; charset=utf-8", mail.html, { "Content-Security-Policy": MAIL_HTML_CSP });
  }
  if (parts.length === 4 && parts[3] === "source" && method === "GET") {
    const raw = await inbox.source(id);
    return raw ? send(res, 200, "text/plain; charset=utf-8", raw) : notFound(res);
  }
  json(res, 405, { error: `${method} is not supported here` });
}

/** `GET /api/email`: arrival order unless `sort=asc|desc`; `skip`/`limit` page it; any other parameter filters on a field (`to.address=…`). */
function listed(inbox: Inbox, query: URLSearchParams): unknown[] {
  let mails = [...inbox.all()];
  for (const [key, value] of query) {
    if (key === "skip" || key === "limit" || key === "sort") continue;
    mails = mails.filter((mail) => fieldValues(mail, key.split(".")).some((v) => v === value));
  }
  const sort = query.get("sort");
  if (sort === "asc" || sort === "desc") mails.sort((a, b) => (sort === "asc" ? 1 : -1) * (Date.parse(a.time) - Date.parse(b.time)));
  const skip = Math.max(0, Number.parseInt(query.get("skip") ?? "0", 10) || 0);
  const limit = Number.parseInt(query.get("limit") ?? "", 10);
  return Number.isFinite(limit) && limit > 0 ? mails.slice(skip, skip + limit) : mails.slice(skip);
}

function fieldValues(value: unknown, pathParts: string[]): string[] {
  if (pathParts.length === 0)
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? [String(value)] : [];
  if (Array.isArray(value)) return value.flatMap((item) => fieldValues(item, pathParts));
  if (typeof value !== "object" || value === null) return [];
  const [head = "", ...rest] = pathParts;
  return fieldValues((value as Record<string, unknown>)[head], rest);
}
