import { goQueryParams } from "@olympus/server-kit/go-url";
import type { HttpContext } from "../http/context";

/**
 * Query parameters as Kratos' admin handlers read them: Go's net/url
 * (r.URL.Query(), from server-kit go-url; strconv is server-kit go-strconv). WHATWG
 * URLSearchParams keeps what Go drops (a pair with a bad `%` escape or a
 * `;`, every pair of a query over 10,000 parameters), so the admin GET
 * routes parse with these.
 */

/** The request's query as Go's r.URL.Query() parses it (server-kit go-url). */
export const goQuery = (ctx: HttpContext): URLSearchParams => goQueryParams(ctx.search);
