import { HydraError } from "../errors";

/**
 * Keyset pagination as Hydra's list endpoints read and announce it (ory/x
 * keysetpagination_v2 ParseQueryParams, Paginator.Size, SetLinkHeader):
 * `page_size` must parse as an integer (else 400), a size of 0 or less is
 * the default 100, more than 500 is 500; `page_token` is opaque and must be
 * one this server issued (else 400). The `Link` header carries `first` and,
 * unless this is the last page, `next`, each the request URL with its
 * query and the two parameters replaced.
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface PageRequest {
  size: number;
  /** The key the previous page ended at ("" for the first page). */
  after: string;
}

function first(url: URL, name: string): string {
  return url.searchParams.getAll(name).find((value) => value !== "") ?? "";
}

/** Go's strconv.Atoi, with its error text. */
function atoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || Math.abs(value) > 2 ** 63)
    throw new Error(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  return value;
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
  try {
    const token = first(url, "page_token");
    const sizeText = first(url, "page_size");
    const size = sizeText ? atoi(sizeText) : 0;
    return { size: size <= 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE), after: token ? decodePageToken(token) : "" };
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : String(error));
  }
}

export function linkHeader(url: URL, size: number, nextAfter: string | undefined): string {
  const link = (rel: string, after: string) => {
    const target = new URL(url.toString());
    target.searchParams.set("page_token", encodePageToken(after));
    target.searchParams.set("page_size", String(size));
    return `<${target.pathname}${target.search}>; rel="${rel}"`;
  };
  return [link("first", ""), ...(nextAfter !== undefined ? [link("next", nextAfter)] : [])].join(",");
}
