import { goAtoi } from "@olympus/server-kit/go-strconv";
import {
  goBytes,
  goParseQuery,
  goQueryUnescape,
  goValuesEncode,
  goValuesFirstNonEmpty,
  utf8Text,
  type GoValues,
} from "@olympus/server-kit/go-url";
import type { HydraError } from "../errors";

/**
 * Keyset pagination as Hydra's list endpoints read and announce it (ory/x
 * keysetpagination_v2 request_params.go ParseQueryParams, SetLinkHeader,
 * linkPart; paginator.go Size), over r.URL.Query() — Go's url.ParseQuery,
 * which drops a pair with a `;` or a bad escape and reads `+` as a space.
 * `page_token` and `page_size` are each the first non-empty value
 * (cmp.Or); the token is QueryUnescape'd once more and must be one this
 * server issued, the size must parse with strconv.Atoi (else 400 with
 * Go's error text); a size of 0 or less is the default 100, more than 500
 * is 500. The `Link` header carries `first` and, unless this is the last
 * page, `next`: the request URL with its query parsed as Go parses it, the
 * two parameters set, and written again with Values.Encode.
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface PageRequest {
  size: number;
  /** The key the previous page ended at ("" for the first page). */
  after: string;
}

/** The request's url.Values (byte strings), as r.URL.Query() has them. */
const goQueryOf = (url: URL): GoValues => goParseQuery(goBytes(url.search.slice(1))).values;

/** strconv.Atoi of a byte string, throwing its error text. */
function atoi(bytes: string): number {
  const parsed = goAtoi(bytes);
  if ("error" in parsed) throw new Error(parsed.error);
  // Sizes are clamped to 1..500 next, so a value past 2^53 only needs its sign and size kept.
  return Number(parsed.value);
}

export function encodePageToken(after: string): string {
  return Buffer.from(JSON.stringify({ after }), "utf8").toString("base64url");
}

function decodePageToken(token: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    const after: unknown = typeof decoded === "object" && decoded !== null ? Reflect.get(decoded, "after") : undefined;
    if (typeof after === "string") return after;
  } catch {
    // fall through
  }
  throw new Error("page token is invalid");
}

/** Reads page_size and page_token; `malformed` builds the handler's 400 from the parse error. */
export function parsePageRequest(url: URL, malformed: (message: string) => HydraError): PageRequest {
  const query = goQueryOf(url);
  try {
    let after = "";
    const token = goValuesFirstNonEmpty(query, "page_token");
    if (token !== "") {
      const unescaped = goQueryUnescape(token);
      if ("error" in unescaped) throw new Error(unescaped.error);
      after = decodePageToken(utf8Text(unescaped.value));
    }
    const sizeText = goValuesFirstNonEmpty(query, "page_size");
    const size = sizeText === "" ? 0 : atoi(sizeText);
    return { size: size <= 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE), after };
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : String(error));
  }
}

/** SetLinkHeader: `first` and, when `nextAfter` is given, `next` (linkPart: u.Query(), Set, Encode, u.String()). */
export function linkHeader(url: URL, size: number, nextAfter: string | undefined): string {
  const link = (rel: string, after: string) => {
    const query = goQueryOf(url);
    query.set("page_token", [encodePageToken(after)]);
    query.set("page_size", [String(size)]);
    return `<${url.pathname}?${goValuesEncode(query)}>; rel="${rel}"`;
  };
  return [link("first", ""), ...(nextAfter !== undefined ? [link("next", nextAfter)] : [])].join(",");
}
