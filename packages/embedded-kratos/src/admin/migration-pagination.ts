import type { HttpContext } from "../http/context";
import { goQueryEncode, setOffsetLinkHeader } from "./pagination";

/**
 * oryx/pagination/migrationpagination, used by Kratos for the sessions of
 * one identity and the identity schemas: `page_token`/`page_size` (a token
 * holding an offset) or the legacy `page`/`per_page`; nothing is refused,
 * unreadable values fall back to the defaults (250 per page, at most 1000).
 */

const DEFAULT_ITEMS = 250;
const MAX_ITEMS = 1000;

const goInt = (value: string | null): number | undefined => (value !== null && /^[+-]?\d+$/.test(value) ? Number(value) : undefined);
const clampItems = (n: number) => Math.max(1, Math.min(n, MAX_ITEMS));

/** tokenpagination.Encode: base64url of `{"offset":"N","v":2}`. */
const encodeOffset = (offset: number) => Buffer.from(`{"offset":"${offset}","v":2}`, "utf8").toString("base64url");

function decodeOffset(token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    const offset = typeof parsed === "object" && parsed !== null ? (parsed as { offset?: unknown }).offset : undefined;
    const n = Number(offset);
    return Number.isFinite(n) ? Math.trunc(n) : 0;
  } catch {
    return 0;
  }
}

export function parseMigrationPagination(query: URLSearchParams): { page: number; perPage: number } {
  if (query.has("page_token") || query.has("page_size")) {
    const perPage = clampItems(goInt(query.get("page_size")) ?? DEFAULT_ITEMS);
    const token = query.get("page_token") ?? "";
    const offset = token === "" ? 0 : decodeOffset(token);
    return { page: offset > 0 ? Math.trunc(offset / perPage) : 0, perPage };
  }
  const perPageRaw = query.get("per_page");
  const perPage = clampItems(perPageRaw === null || perPageRaw === "" ? DEFAULT_ITEMS : (goInt(perPageRaw) ?? DEFAULT_ITEMS));
  return { page: Math.max(goInt(query.get("page")) ?? 0, 0), perPage };
}

/** migrationpagination.PaginationHeader: links carrying both parameter styles. */
export function setMigrationLinkHeader(
  ctx: HttpContext,
  path: string,
  query: URLSearchParams,
  total: number,
  page: number,
  perPage: number,
): void {
  setOffsetLinkHeader(ctx, total, page, perPage, (rel, limit, offset) => {
    const q = new URLSearchParams(query);
    q.set("page_size", String(limit));
    q.set("page_token", encodeOffset(offset));
    q.set("per_page", String(limit));
    q.set("page", String(Math.trunc(offset / limit)));
    return `<${path}?${goQueryEncode(q)}>; rel="${rel}"`;
  });
}
