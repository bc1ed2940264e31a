import "server-only";
import type { Identity, Page } from "@olympus/ory-client/admin";
import { kratosAdmin } from "@/shared/server/ory";
import { BACK_LIMIT, decodeCursor, encodeCursor, type Cursor, type Position, type StreamStart } from "./cursor";
import type { IdentityQuery } from "./query";
import { identifierStartsWith, nameMatches, newestFirst, toRow, type IdentityRow } from "./rows";

/**
 * The most identities Athena sorts itself: one Kratos page at its largest
 * page size. Kratos lists identities by id only (random UUIDs), so "newest
 * first" needs the whole matching set in hand.
 */
export const SORT_LIMIT = 1000;
/** Identities looked at per request to fill a filtered page in Kratos' order. */
export const SCAN_BUDGET = 10_000;

export interface IdentityPage {
  rows: IdentityRow[];
  /** How the rows are ordered: newest first, or Kratos' order when there were too many to sort. */
  order: "newest" | "kratos";
  /** 0-based index of the first row among all matches. */
  first: number;
  /** An exact total when every match was seen; "at least" when Kratos has more; unknown for a filtered stream. */
  total: { exact: number } | { atLeast: number } | undefined;
  nextCursor: string | undefined;
  /** Absent on the first page; "" means the first page. */
  previousCursor: string | undefined;
  /** A filtered scan stopped at its budget before the page was full. */
  partial: boolean;
}

type Lister = (position: { token: string | null; batch: number }) => Promise<Page<Identity>>;

/**
 * One page of identities. Search by identifier goes to Kratos' similar
 * search (prefix match on login identifiers); name, schema and state are
 * matched here, since Kratos' list API filters by none of them. When the
 * matches fit in one Kratos page (SORT_LIMIT), they are sorted newest first
 * and paged by offset with an exact total; otherwise pages follow Kratos'
 * keyset order, with "more" instead of a total.
 */
export async function listIdentityPage(query: IdentityQuery): Promise<IdentityPage> {
  const kratos = kratosAdmin();
  const list: Lister = ({ token, batch }) =>
    kratos.listIdentities({
      pageSize: batch,
      pageToken: token ?? undefined,
      ...(query.q ? { credentialsIdentifierSimilar: query.q } : {}),
    });
  const filtered = Boolean(query.q || query.name || query.schema || query.state);
  const matches = (identity: Identity) =>
    (!query.q || identifierStartsWith(identity, query.q)) &&
    (!query.name || nameMatches(identity, query.name)) &&
    (!query.schema || identity.schema_id === query.schema) &&
    (!query.state || (identity.state ?? "active") === query.state);

  const cursor = decodeCursor(query.cursor);
  if (cursor?.kind === "stream") return streamPage(list, query, cursor, matches, filtered);

  const probe = await list({ token: null, batch: SORT_LIMIT });
  if (probe.nextPageToken === undefined) {
    // Every candidate is in hand: sort them, page by offset.
    const all = probe.items.filter(matches).sort(newestFirst);
    const offset = cursor?.kind === "sorted" && cursor.offset < all.length ? cursor.offset : 0;
    const rows = all.slice(offset, offset + query.size).map(toRow);
    const next = offset + query.size < all.length ? encodeCursor({ kind: "sorted", offset: offset + query.size }) : undefined;
    const previous =
      offset === 0 ? undefined : offset - query.size <= 0 ? "" : encodeCursor({ kind: "sorted", offset: offset - query.size });
    return {
      rows,
      order: "newest",
      first: offset,
      total: { exact: all.length },
      nextCursor: next,
      previousCursor: previous,
      partial: false,
    };
  }

  // Too many to sort: Kratos' order from the first page on.
  const start: Cursor & { kind: "stream" } = filtered
    ? { kind: "stream", token: null, skip: 0, batch: SORT_LIMIT, seen: 0, back: [] }
    : { kind: "stream", token: null, skip: 0, batch: query.size, seen: 0, back: [] };
  // A filtered scan starts with the batch already fetched.
  return streamPage(list, query, start, matches, filtered, filtered ? probe : undefined);
}

async function streamPage(
  list: Lister,
  query: IdentityQuery,
  cursor: Cursor & { kind: "stream" },
  matches: (identity: Identity) => boolean,
  filtered: boolean,
  prefetched?: Page<Identity>,
): Promise<IdentityPage> {
  const here: StreamStart = { token: cursor.token, skip: cursor.skip, batch: cursor.batch, seen: cursor.seen };
  const before = cursor.back.at(-1);
  // The first page has no cursor (it is where the list starts anew); one too far back to remember goes there too.
  const previousCursor =
    cursor.seen === 0 ? undefined : before ? encodeCursor({ kind: "stream", ...before, back: cursor.back.slice(0, -1) }) : "";
  const onward = (next: Position, shown: number) =>
    encodeCursor({
      kind: "stream",
      ...next,
      seen: cursor.seen + shown,
      back: cursor.seen === 0 ? [] : [...cursor.back, here].slice(-BACK_LIMIT),
    });

  if (!filtered) {
    // Straight through Kratos' own pages at the chosen size.
    const page = await list({ token: cursor.token, batch: query.size });
    const rows = page.items.map(toRow);
    return {
      rows,
      order: "kratos",
      first: cursor.seen,
      total: page.nextPageToken ? { atLeast: Math.max(cursor.seen + rows.length, SORT_LIMIT) } : { exact: cursor.seen + rows.length },
      nextCursor: page.nextPageToken ? onward({ token: page.nextPageToken, skip: 0, batch: query.size }, rows.length) : undefined,
      previousCursor,
      partial: false,
    };
  }

  const rows: IdentityRow[] = [];
  let token = cursor.token;
  let skip = cursor.skip;
  let scanned = 0;
  let batch = prefetched;
  const page = (nextCursor: string | undefined, partial: boolean): IdentityPage => ({
    rows,
    order: "kratos",
    first: cursor.seen,
    total: nextCursor ? undefined : { exact: cursor.seen + rows.length },
    nextCursor,
    previousCursor,
    partial,
  });
  while (scanned < SCAN_BUDGET) {
    batch ??= await list({ token, batch: cursor.batch });
    for (let index = skip; index < batch.items.length; index++) {
      const identity = batch.items[index];
      scanned++;
      if (!identity || !matches(identity)) continue;
      rows.push(toRow(identity));
      if (rows.length === query.size) {
        const inBatch = index + 1 < batch.items.length;
        if (!inBatch && batch.nextPageToken === undefined) return page(undefined, false);
        const next: Position = inBatch
          ? { token, skip: index + 1, batch: cursor.batch }
          : { token: batch.nextPageToken ?? null, skip: 0, batch: cursor.batch };
        return page(onward(next, rows.length), false);
      }
    }
    if (batch.nextPageToken === undefined) return page(undefined, false);
    token = batch.nextPageToken;
    skip = 0;
    batch = undefined;
  }
  return page(onward({ token, skip: 0, batch: cursor.batch }, rows.length), true);
}
