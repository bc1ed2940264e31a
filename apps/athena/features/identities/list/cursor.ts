import { z } from "zod";

/**
 * Where a page of the identities list starts, as an opaque URL value.
 *
 * - `sorted`: the matching identities were few enough for Athena to sort
 *   them itself (newest first); the page starts at `offset` of that order.
 * - `stream`: too many to sort, so pages follow Kratos' own keyset order.
 *   The page starts `skip` items into the Kratos page that `token` opens
 *   (`batch` items long; a null token is the first page), after `seen`
 *   rows of earlier pages. `back` holds where the earlier pages started,
 *   newest last, so "Previous" needs no state on the server (Kratos' pages
 *   only link forward).
 */
export type Position = { token: string | null; skip: number; batch: number };
/** Where a page of Kratos' order starts, and how many rows came before it. */
export type StreamStart = Position & { seen: number };
export type Cursor = { kind: "sorted"; offset: number } | ({ kind: "stream"; back: StreamStart[] } & StreamStart);

/** How many earlier pages "Previous" can step back through; older ones go to the first page. */
export const BACK_LIMIT = 20;

const start = z.object({
  t: z.string().max(1024).nullable(),
  s: z.number().int().min(0).max(100_000),
  n: z.number().int().min(1).max(1000),
  p: z.number().int().min(0),
});
const wire = z.union([z.object({ o: z.number().int().min(0).max(100_000) }), start.extend({ b: z.array(start).max(BACK_LIMIT) })]);

export function encodeCursor(cursor: Cursor): string {
  const pos = (p: StreamStart) => ({ t: p.token, s: p.skip, n: p.batch, p: p.seen });
  const body = cursor.kind === "sorted" ? { o: cursor.offset } : { ...pos(cursor), b: cursor.back.map(pos) };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

/** The cursor, or undefined (the first page) for one Athena did not issue. */
export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const parsed = wire.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    if ("o" in parsed) return { kind: "sorted", offset: parsed.o };
    const pos = (p: z.infer<typeof start>): StreamStart => ({ token: p.t, skip: p.s, batch: p.n, seen: p.p });
    return { kind: "stream", ...pos(parsed), back: parsed.b.map(pos) };
  } catch {
    return undefined;
  }
}
