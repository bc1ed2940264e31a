/**
 * Kratos and Hydra page with opaque keyset tokens, announced in the Link
 * header (`<…?page_token=…>; rel="next"`). A page is its items plus the
 * token of the next page, if there is one.
 */
export interface Page<T> {
  items: T[];
  nextPageToken: string | undefined;
}

/** The `page_token` of the rel="next" link, if any. */
export function nextPageToken(linkHeader: unknown): string | undefined {
  if (typeof linkHeader !== "string") return undefined;
  for (const part of linkHeader.split(",")) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (!match?.[1]) continue;
    try {
      return new URL(match[1], "http://link.invalid").searchParams.get("page_token") ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
