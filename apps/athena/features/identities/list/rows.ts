import type { Identity } from "@olympus/ory-client/admin";
import { asRecord } from "@/shared/json";

/** One identity as the list shows it (plain data: it crosses to the browser). */
export interface IdentityRow {
  id: string;
  identifier: string;
  name: string | null;
  schemaId: string;
  state: string;
  verified: boolean;
  createdAt: string | null;
}

function identifierOf(identity: Identity): string {
  const traits = asRecord(identity.traits);
  for (const key of ["email", "username", "phone"]) {
    const value = traits[key];
    if (typeof value === "string" && value) return value;
  }
  return identity.verifiable_addresses?.[0]?.value ?? identity.id;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined);

/**
 * A person's name from their traits, as the schemas write it: `name` as a
 * string or as `{ first, last }` (also `given`/`family`, `middle`), or
 * `first_name`/`last_name` beside the email.
 */
export function displayName(traits: unknown): string | null {
  const t = asRecord(traits);
  const name = t.name;
  if (typeof name === "string") return text(name) ?? null;
  const parts = (record: Record<string, unknown>, keys: string[][]) =>
    keys.map((options) => options.map((k) => text(record[k])).find(Boolean)).filter(Boolean);
  const fromObject = parts(asRecord(name), [
    ["first", "given", "first_name", "given_name"],
    ["middle"],
    ["last", "family", "last_name", "family_name"],
  ]);
  const words =
    fromObject.length > 0
      ? fromObject
      : parts(t, [
          ["first_name", "given_name"],
          ["last_name", "family_name"],
        ]);
  return words.length > 0 ? words.join(" ") : null;
}

export function toRow(identity: Identity): IdentityRow {
  return {
    id: identity.id,
    identifier: identifierOf(identity),
    name: displayName(identity.traits),
    schemaId: identity.schema_id,
    state: identity.state ?? "active",
    verified: (identity.verifiable_addresses ?? []).some((a) => a.verified),
    createdAt: identity.created_at ?? null,
  };
}

/** Lower case without accents: "Zoë" and "ZOE" are the same search. */
export function foldCase(value: string): string {
  return value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Every word of the search appears in the name (in any order). */
export function nameMatches(identity: Identity, search: string): boolean {
  const name = displayName(identity.traits);
  if (!name) return false;
  const haystack = foldCase(name);
  return foldCase(search)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/**
 * Whether one of the identity's login identifiers starts with `prefix`
 * (case ignored), as Kratos' similar search answers. Athena checks Kratos'
 * answer again because the parameter is experimental: a Kratos that ignores
 * it returns everyone, and the list must still only show matches.
 */
export function identifierStartsWith(identity: Identity, prefix: string): boolean {
  const wanted = prefix.trim().toLowerCase();
  const identifiers = Object.values(identity.credentials ?? {}).flatMap((credential) => credential.identifiers ?? []);
  const candidates = identifiers.length > 0 ? identifiers : [identifierOf(identity)];
  return candidates.some((identifier) => identifier.toLowerCase().startsWith(wanted));
}

/** Newest first; identities created in the same instant keep a stable order by id. */
export function newestFirst(a: Identity, b: Identity): number {
  const time = (identity: Identity) => {
    const parsed = identity.created_at ? Date.parse(identity.created_at) : Number.NaN;
    return Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
  };
  return time(b) - time(a) || a.id.localeCompare(b.id);
}
