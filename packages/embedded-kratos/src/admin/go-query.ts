import { goQueryParams } from "@olympus/server-kit/go-url";
import type { HttpContext } from "../http/context";
import { goQuote } from "../identity/jsonschema/go-format";

/**
 * Query parameters as Kratos' admin handlers read them: Go's net/url
 * (r.URL.Query(), from server-kit go-url) and strconv. WHATWG
 * URLSearchParams keeps what Go drops (a pair with a bad `%` escape or a
 * `;`, every pair of a query over 10,000 parameters), so the admin GET
 * routes parse with these.
 */

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** The request's query as Go's r.URL.Query() parses it (server-kit go-url). */
export const goQuery = (ctx: HttpContext): URLSearchParams => goQueryParams(ctx.search);

/** strconv.ParseInt(value, 10, 64): the number, or strconv's error text naming `fn` (`Atoi` or `ParseInt`). */
export function goParseInt(value: string, fn: "Atoi" | "ParseInt" = "ParseInt"): { n: bigint } | { error: string } {
  const prefix = `strconv.${fn}: parsing ${goQuote(value)}`;
  if (!/^[+-]?[0-9]+$/.test(value)) return { error: `${prefix}: invalid syntax` };
  const n = BigInt(value);
  if (n > INT64_MAX || n < INT64_MIN) return { error: `${prefix}: value out of range` };
  return { n };
}

/** strconv.Atoi on a 64-bit platform, as a Number (sizes are clamped far below 2^53 afterwards). */
export function goAtoi(value: string): { n: number } | { error: string } {
  const parsed = goParseInt(value, "Atoi");
  return "error" in parsed ? parsed : { n: Number(parsed.n) };
}

/** cmp.Or(q[key]...): the first non-empty value. */
export const firstNonEmpty = (query: URLSearchParams, key: string): string | undefined => query.getAll(key).find((v) => v !== "");
