import "server-only";
import type { Identity } from "@olympus/sdk/admin";
import { z } from "zod";
import { asRecord } from "@/lib/json";
import { kratosAdmin } from "./ory";

export const IDENTITY_STATES = ["active", "inactive"] as const;
export const PAGE_SIZES = [25, 50, 100] as const;

export const identityQuery = z.object({
  q: z.string().trim().max(320).optional().catch(undefined),
  schema: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional().catch(undefined),
  state: z.enum(IDENTITY_STATES).optional().catch(undefined),
  size: z.coerce.number().pipe(z.union(PAGE_SIZES.map((n) => z.literal(n)))).catch(25),
  cursor: z.string().max(2048).optional().catch(undefined),
});
export type IdentityQuery = z.infer<typeof identityQuery>;

export interface IdentityRow {
  id: string;
  identifier: string;
  schemaId: string;
  state: string;
  verified: boolean;
  createdAt: string | null;
}

export interface IdentityPage {
  rows: IdentityRow[];
  nextCursor: string | undefined;
  /** Identities looked at to fill a filtered page (Kratos cannot filter by schema or state itself). */
  scanned: number;
  /** A filtered scan stopped at its budget before the page was full. */
  partial: boolean;
}

/** Kratos pages by keyset token; a filtered page may end inside a Kratos batch, so the cursor keeps both. */
const cursorShape = z.object({ t: z.string().nullable(), s: z.number().int().min(0) });
type Cursor = z.infer<typeof cursorShape>;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(raw: string | undefined): Cursor {
  if (!raw) return { t: null, s: 0 };
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    return { t: null, s: 0 };
  }
}

const SCAN_BATCH = 500;
const SCAN_BUDGET = 10_000;

function identifierOf(identity: Identity): string {
  const traits = asRecord(identity.traits);
  for (const key of ["email", "username", "phone"]) {
    const value = traits[key];
    if (typeof value === "string" && value) return value;
  }
  return identity.verifiable_addresses?.[0]?.value ?? identity.id;
}

export function toRow(identity: Identity): IdentityRow {
  return {
    id: identity.id,
    identifier: identifierOf(identity),
    schemaId: identity.schema_id,
    state: identity.state ?? "active",
    verified: (identity.verifiable_addresses ?? []).some((a) => a.verified),
    createdAt: identity.created_at ?? null,
  };
}

/**
 * One page of identities, paginated on the server. A search goes to Kratos'
 * `credentials_identifier` (exact, indexed); schema and state filters are
 * applied while scanning Kratos' pages in batches, bounded per request.
 */
export async function listIdentityPage(query: IdentityQuery): Promise<IdentityPage> {
  const kratos = kratosAdmin();
  if (query.q) {
    const page = await kratos.listIdentities({ pageSize: query.size, credentialsIdentifier: query.q.toLowerCase() });
    const rows = page.items.filter((i) => matches(i, query)).map(toRow);
    return { rows, nextCursor: undefined, scanned: page.items.length, partial: false };
  }

  const cursor = decodeCursor(query.cursor);
  if (!query.schema && !query.state) {
    const page = await kratos.listIdentities({ pageSize: query.size, pageToken: cursor.t ?? undefined });
    return {
      rows: page.items.map(toRow),
      nextCursor: page.nextPageToken ? encodeCursor({ t: page.nextPageToken, s: 0 }) : undefined,
      scanned: page.items.length,
      partial: false,
    };
  }

  const rows: IdentityRow[] = [];
  let token = cursor.t;
  let skip = cursor.s;
  let scanned = 0;
  while (scanned < SCAN_BUDGET) {
    const batch = await kratos.listIdentities({ pageSize: SCAN_BATCH, pageToken: token ?? undefined });
    for (let index = skip; index < batch.items.length; index++) {
      const identity = batch.items[index];
      scanned++;
      if (!identity || !matches(identity, query)) continue;
      rows.push(toRow(identity));
      if (rows.length === query.size) {
        const more = index + 1 < batch.items.length || batch.nextPageToken !== undefined;
        const next = index + 1 < batch.items.length ? { t: token, s: index + 1 } : { t: batch.nextPageToken ?? null, s: 0 };
        return { rows, nextCursor: more ? encodeCursor(next) : undefined, scanned, partial: false };
      }
    }
    if (!batch.nextPageToken) return { rows, nextCursor: undefined, scanned, partial: false };
    token = batch.nextPageToken;
    skip = 0;
  }
  return { rows, nextCursor: encodeCursor({ t: token, s: 0 }), scanned, partial: true };
}

function matches(identity: Identity, query: IdentityQuery): boolean {
  if (query.schema && identity.schema_id !== query.schema) return false;
  if (query.state && (identity.state ?? "active") !== query.state) return false;
  return true;
}
