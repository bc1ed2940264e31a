import { goParseInt } from "@olympus/server-kit/go-strconv";
import { goBytes, goEncodeParams } from "@olympus/server-kit/go-url";
import type { HttpContext } from "../http/context";
import { gjsonGet, gjsonInt } from "./gjson";
import { setOffsetLinkHeader } from "./pagination";

/**
 * oryx/pagination/migrationpagination, used by Kratos for the sessions of
 * one identity and the identity schemas: `page_token`/`page_size` (a token
 * holding an offset) or the legacy `page`/`per_page`; nothing is refused,
 * unreadable values fall back to the defaults (250 per page, at most 1000).
 */

const DEFAULT_ITEMS = 250;
const MAX_ITEMS = 1000;

/** strconv.ParseInt(v, 10, 0): undefined where Go fails (syntax, or past int64). */
const goInt = (value: string | null): number | undefined => {
  const parsed = value === null ? undefined : goParseInt(goBytes(value));
  return parsed === undefined || "error" in parsed ? undefined : Number(parsed.value);
};
const clampItems = (n: number) => Math.max(1, Math.min(n, MAX_ITEMS));

/** tokenpagination.Encode: base64url of `{"offset":"N","v":2}`. */
const encodeOffset = (offset: number) => Buffer.from(`{"offset":"${offset}","v":2}`, "utf8").toString("base64url");

/**
 * tokenpagination decode: base64.RawURLEncoding (no padding, URL alphabet,
 * CR and LF skipped; anything else is an error, read as offset 0), then
 * `int(gjson.Get(text, "offset").Int())` on whatever the bytes are — JSON or
 * not (see ./gjson.ts).
 */
function decodeOffset(token: string): bigint {
  const text = token.replace(/[\r\n]/g, "");
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return 0n;
  return gjsonInt(gjsonGet(Buffer.from(text, "base64url").toString("latin1"), "offset"));
}

/**
 * The rows a page of ListSessionsByIdentity starts at: pop's
 * Paginate(page, perPage) counts pages from 1 and takes anything below as 1,
 * so `page` 0 and 1 are both the first page. Offsets past 2^53 hold no rows
 * (Kratos' int arithmetic wraps there; a negative offset is a database error).
 */
export const popOffset = (page: number, perPage: number): number => Math.min((Math.max(page, 1) - 1) * perPage, Number.MAX_SAFE_INTEGER);

export function parseMigrationPagination(query: URLSearchParams): { page: number; perPage: number } {
  if (query.has("page_token") || query.has("page_size")) {
    const perPage = clampItems(goInt(query.get("page_size")) ?? DEFAULT_ITEMS);
    const token = query.get("page_token") ?? "";
    const offset = token === "" ? 0n : decodeOffset(token);
    // Go's integer division; the page is a Number from here on (exact up to 2^53).
    return { page: offset > 0n ? Number(offset / BigInt(perPage)) : 0, perPage };
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
    return `<${path}?${goEncodeParams(q)}>; rel="${rel}"`;
  });
}
