import { goAtoi, goParseInt } from "@olympus/server-kit/go-strconv";
import { goBytes, goEncodeParams, goQueryUnescape, goValuesFirstNonEmpty, utf8Text } from "@olympus/server-kit/go-url";
import type { HttpContext } from "../http/context";
import { adminErrors } from "./errors";

// ——— Kratos' identity list pagination (x/pagination.go, oryx/pagination) ———

export type IdentityPagination =
  { kind: "keyset"; token: string | undefined; size: number | undefined } | { kind: "page"; page: number; perPage: number };

/** The identity list never enumerates more than this many items with `page`/`per_page` (x.PagePaginationLimit). */
const PAGE_PAGINATION_LIMIT = 1000n;

/** pagepagination.PagePaginator.ParsePagination's strconv.ParseInt(v, 10, 0): the int64, or undefined where it fails. */
const parseInt64 = (value: string | null): bigint | undefined => {
  const parsed = value === null ? undefined : goParseInt(goBytes(value));
  return parsed === undefined || "error" in parsed ? undefined : parsed.value;
};

/**
 * x.ParseKeysetOrPagePagination: `page_token`/`page_size` select keyset
 * pagination (keysetpagination.Parse: first non-empty values, the token
 * QueryUnescape'd once more, the size Atoi'd; their errors are the reason of
 * a 400); otherwise `page` selects the legacy page pagination (at most 500
 * per page, 1000 items in all); a lone `per_page` is read as `page_size`
 * (and the query rewritten, as the Link header then shows).
 */
export function parseKeysetOrPagePagination(query: URLSearchParams): IdentityPagination {
  const keyset = (): IdentityPagination => {
    let token: string | undefined;
    const rawToken = goValuesFirstNonEmpty(query, "page_token");
    if (rawToken !== "") {
      const unescaped = goQueryUnescape(goBytes(rawToken));
      if ("error" in unescaped) throw adminErrors.badRequest(unescaped.error);
      token = utf8Text(unescaped.value);
    }
    let size: number | undefined;
    const rawSize = goValuesFirstNonEmpty(query, "page_size");
    if (rawSize !== "") {
      const parsed = goAtoi(goBytes(rawSize));
      if ("error" in parsed) throw adminErrors.badRequest(parsed.error);
      size = Number(parsed.value);
    }
    return { kind: "keyset", token, size };
  };
  if (query.has("page_token") || query.has("page_size")) return keyset();
  if (query.has("page")) {
    let page = parseInt64(query.get("page")) ?? 0n;
    let perPage = parseInt64(query.get("per_page")) ?? 250n;
    if (perPage > 500n) perPage = 500n;
    if (perPage < 1n) perPage = 1n;
    if (page < 0n) page = 0n;
    // Go multiplies in int64, which wraps for pages past 2^63/per_page; the exact product is checked here (README).
    if (page * perPage > PAGE_PAGINATION_LIMIT) {
      throw adminErrors.badRequest(
        `Legacy pagination is not supported for enumerating over ${PAGE_PAGINATION_LIMIT} items. Please switch to using page_token and page_size.`,
      );
    }
    return { kind: "page", page: Number(page), perPage: Number(perPage) };
  }
  if (query.has("per_page")) {
    query.set("page_size", query.get("per_page") ?? "");
    query.delete("per_page");
  }
  return keyset();
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
    return `<${path}?${goEncodeParams(q)}>; rel="${rel}"`;
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
    return `<${path}?${goEncodeParams(q)}>; rel="${rel}"`;
  });
}
