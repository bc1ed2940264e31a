import { z } from "zod";

export const IDENTITY_STATES = ["active", "inactive"] as const;
export const PAGE_SIZES = [25, 50, 100] as const;

/** An empty field of the filter form means "no filter", not "match the empty string". */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => value || undefined)
    .optional()
    .catch(undefined);

/**
 * The identities list's URL query, parsed leniently: a value that is not
 * valid falls back to "no filter" (or the default size) instead of an error
 * page, since these come from links and the address bar.
 */
export const identityQuery = z.object({
  /** Start of a login identifier (email, username, phone): Kratos' similar search. */
  q: text(320),
  /** Words of the person's name, all of which must appear (case and accents ignored). */
  name: text(200),
  schema: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional()
    .catch(undefined),
  state: z.enum(IDENTITY_STATES).optional().catch(undefined),
  size: z.coerce
    .number()
    .pipe(z.union(PAGE_SIZES.map((n) => z.literal(n))))
    .catch(25),
  cursor: z.string().max(4096).optional().catch(undefined),
});
export type IdentityQuery = z.infer<typeof identityQuery>;

/** Reads Next's searchParams (a value may come as a list) into the query. */
export function parseIdentityQuery(raw: Record<string, string | string[] | undefined>): IdentityQuery {
  return identityQuery.parse(Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value])));
}

/** The list's URL with the current filters and the given overrides (undefined drops a key). */
export function identitiesHref(query: IdentityQuery, overrides: Partial<Record<"cursor", string | undefined>> = {}): string {
  const params = new URLSearchParams();
  const merged: Record<string, string | undefined> = {
    q: query.q,
    name: query.name,
    schema: query.schema,
    state: query.state,
    size: query.size === 25 ? undefined : String(query.size),
    cursor: overrides.cursor,
  };
  for (const [key, value] of Object.entries(merged)) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `/identities?${search}` : "/identities";
}
