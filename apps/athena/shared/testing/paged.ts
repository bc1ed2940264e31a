import type { Page } from "@olympus/ory-client/admin";

/**
 * Serves a list the way Kratos and Hydra page it: `pageSize` items at a time,
 * with an opaque token for the next page (here the offset, which callers must
 * not rely on). Records each request so tests can see how much was fetched.
 */
export function pagedSource<T>(items: () => readonly T[]) {
  const requests: { pageSize: number; pageToken: string | undefined }[] = [];
  return {
    requests,
    page(params: { pageSize: number; pageToken?: string | undefined }): Page<T> {
      requests.push({ pageSize: params.pageSize, pageToken: params.pageToken });
      const start = params.pageToken ? Number(params.pageToken.replace("offset-", "")) : 0;
      const end = start + params.pageSize;
      const all = items();
      return { items: all.slice(start, end), nextPageToken: end < all.length ? `offset-${end}` : undefined };
    },
  };
}
