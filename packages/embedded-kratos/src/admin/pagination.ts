import type { HttpContext } from "../http/context";
import { errors } from "../http/errors";
import { adminErrors } from "./errors";

const MAX_PAGE_SIZE = 1000;

/** `page_size` (default 250, max 1000) as Kratos' keyset pagination reads it. */
export function parsePageSize(query: URLSearchParams, fallback = 250): number {
  const raw = query.get("page_size") ?? query.get("per_page");
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw errors.badRequest("page_size must be a positive integer");
  return Math.min(n, MAX_PAGE_SIZE);
}

// ——— Kratos' identity list pagination (x/pagination.go, oryx/pagination) ———

/** Go's url.QueryEscape: everything but letters, digits and `-_.~` is escaped, a space becomes `+`. */
function goQueryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** Go's url.Values.Encode: keys sorted, values of one key in their order. */
export function goQueryEncode(query: URLSearchParams): string {
  const keys = [...new Set(query.keys())].sort();
  return keys.flatMap((key) => query.getAll(key).map((value) => `${goQueryEscape(key)}=${goQueryEscape(value)}`)).join("&");
}

export type IdentityPagination =
  { kind: "keyset"; token: string | undefined; size: number | undefined } | { kind: "page"; page: number; perPage: number };

/** Go's strconv.ParseInt / Atoi for the page parameters, or undefined where they fail. */
const parseGoInt = (value: string): number | undefined =>
  /^[+-]?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;

const firstNonEmpty = (query: URLSearchParams, key: string) => query.getAll(key).find((v) => v !== "");

/** The identity list never enumerates more than this many items with `page`/`per_page` (x.PagePaginationLimit). */
const PAGE_PAGINATION_LIMIT = 1000;

/**
 * x.ParseKeysetOrPagePagination: `page_token`/`page_size` select keyset
 * pagination; otherwise `page` selects the legacy page pagination (at most
 * 500 per page, 1000 items in all); a lone `per_page` is read as `page_size`
 * (and the query rewritten, as the Link header then shows).
 */
export function parseKeysetOrPagePagination(query: URLSearchParams): IdentityPagination {
  const keyset = (): IdentityPagination => {
    const token = firstNonEmpty(query, "page_token");
    const size = firstNonEmpty(query, "page_size");
    let parsedSize: number | undefined;
    if (size !== undefined) {
      parsedSize = parseGoInt(size);
      if (parsedSize === undefined) throw adminErrors.badRequest(`strconv.Atoi: parsing ${JSON.stringify(size)}: invalid syntax`);
    }
    return { kind: "keyset", token: token === undefined ? undefined : safeUnescape(token), size: parsedSize };
  };
  if (query.has("page_token") || query.has("page_size")) return keyset();
  if (query.has("page")) {
    let page = parseGoInt(query.get("page") ?? "") ?? 0;
    const perPageRaw = query.get("per_page");
    let perPage = perPageRaw === null || perPageRaw === "" ? 250 : (parseGoInt(perPageRaw) ?? 250);
    perPage = Math.max(1, Math.min(perPage, 500));
    page = Math.max(page, 0);
    if (page * perPage > PAGE_PAGINATION_LIMIT) {
      throw adminErrors.badRequest(
        `Legacy pagination is not supported for enumerating over ${PAGE_PAGINATION_LIMIT} items. Please switch to using page_token and page_size.`,
      );
    }
    return { kind: "page", page, perPage };
  }
  if (query.has("per_page")) {
    query.set("page_size", query.get("per_page") ?? "");
    query.delete("per_page");
  }
  return keyset();
}

/** url.QueryUnescape, applied once more to the (already decoded) token as Kratos does. */
function safeUnescape(token: string): string {
  try {
    return decodeURIComponent(token.replace(/\+/g, " "));
  } catch {
    throw adminErrors.badRequest(`invalid URL escape ${JSON.stringify(/%.{0,2}/.exec(token)?.[0] ?? "%")}`);
  }
}

/** keysetpagination.Header: `first` (the default token) and, unless this is the last page, `next`. */
export function setKeysetLinkHeader(
  ctx: HttpContext,
  path: string,
  query: URLSearchParams,
  size: number,
  firstToken: string,
  nextToken: string | undefined,
): void {
  const link = (rel: string, token: string) => {
    const q = new URLSearchParams(query);
    q.set("page_token", token);
    q.set("page_size", String(size));
    return `<${path}?${goQueryEncode(q)}>; rel="${rel}"`;
  };
  ctx.res.setHeader("Link", [link("first", firstToken), ...(nextToken === undefined ? [] : [link("next", nextToken)])].join(","));
}

/**
 * pagination.HeaderWithFormatter: `X-Total-Count` and the first/next/prev/last
 * links Kratos' offset paginations write, each formatted by `link`.
 */
export function setOffsetLinkHeader(
  ctx: HttpContext,
  total: number,
  page: number,
  perPage: number,
  link: (rel: string, limit: number, offset: number) => string,
): void {
  const offset = page * perPage;
  const lastOffset = total % perPage === 0 ? total - perPage : Math.trunc(total / perPage) * perPage;
  const index = Math.trunc(offset / perPage);
  ctx.res.setHeader("X-Total-Count", String(total));
  let links: string[];
  if (offset >= lastOffset) {
    if (total === 0)
      links = [link("first", perPage, 0), link("next", perPage, (index + 1) * perPage), link("prev", perPage, (index - 1) * perPage)];
    else if (total <= perPage) links = [link("first", total, 0)];
    else links = [link("first", perPage, 0), link("prev", perPage, lastOffset - perPage)];
  } else if (offset < perPage) {
    links = [link("next", perPage, perPage), link("last", perPage, lastOffset)];
  } else {
    links = [
      link("first", perPage, 0),
      link("next", perPage, (index + 1) * perPage),
      link("prev", perPage, (index - 1) * perPage),
      link("last", perPage, lastOffset),
    ];
  }
  ctx.res.setHeader("Link", links.join(","));
}

/** pagepagination.PaginationHeader: links carrying `per_page` and `page`. */
export function setPageLinkHeader(
  ctx: HttpContext,
  path: string,
  query: URLSearchParams,
  total: number,
  page: number,
  perPage: number,
): void {
  setOffsetLinkHeader(ctx, total, page, perPage, (rel, limit, offset) => {
    const q = new URLSearchParams(query);
    q.set("per_page", String(limit));
    q.set("page", String(Math.trunc(offset / limit)));
    return `<${path}?${goQueryEncode(q)}>; rel="${rel}"`;
  });
}
