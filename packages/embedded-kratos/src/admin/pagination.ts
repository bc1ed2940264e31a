import type { HttpContext } from "../http/context";
import { errors } from "../http/errors";
import { isUuid } from "../identity/repository";

const MAX_PAGE_SIZE = 1000;

/** `page_size` (default 250, max 1000) as Kratos' keyset pagination reads it. */
export function parsePageSize(query: URLSearchParams, fallback = 250): number {
  const raw = query.get("page_size") ?? query.get("per_page");
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw errors.badRequest("page_size must be a positive integer");
  return Math.min(n, MAX_PAGE_SIZE);
}

/** Page tokens are opaque to clients; ours encode the last id of the previous page. */
export function encodePageToken(lastId: string): string {
  return Buffer.from(JSON.stringify({ k: lastId }), "utf8").toString("base64url");
}

export function pageTokenCursor(query: URLSearchParams): string | undefined {
  const token = query.get("page_token");
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { k?: unknown };
    if (typeof parsed.k === "string" && isUuid(parsed.k)) return parsed.k;
  } catch {
    // fall through
  }
  throw errors.badRequest("The page token is invalid, do not craft your own page tokens.");
}

/** Link header with rel="first" and, when there is a next page, rel="next". */
export function setLinkHeader(ctx: HttpContext, path: string, pageSize: number, nextAfterId: string | undefined, extra: URLSearchParams = new URLSearchParams()): void {
  const link = (token?: string) => {
    const q = new URLSearchParams(extra);
    q.set("page_size", String(pageSize));
    if (token) q.set("page_token", token);
    return `<${path}?${q.toString()}>`;
  };
  const parts = [`${link()}; rel="first"`];
  if (nextAfterId) parts.push(`${link(encodePageToken(nextAfterId))}; rel="next"`);
  ctx.res.setHeader("Link", parts.join(","));
}
