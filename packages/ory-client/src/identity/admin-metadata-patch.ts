/**
 * JSON Patches that change `metadata_admin` one key at a time.
 *
 * Kratos' identity PATCH takes only `add`, `remove` and `replace` (ory/x
 * jsonx.ApplyJSONPatch refuses `test` with "unsupported operation: test"), so
 * a patch cannot be guarded by what was read. Writing each changed key under
 * `/metadata_admin/<key>` instead of the whole object keeps what someone else
 * changed meanwhile in the other keys; the same key is last-write-wins, which
 * is all Kratos offers.
 */

export interface MetadataPatchOperation {
  op: "add" | "remove";
  path: string;
  value?: unknown;
}

export interface AdminMetadataPatchOptions {
  /** Keys this patch must never write (e.g. the Athena role outside the Role form). */
  leave?: readonly string[];
}

/** The operations that turn the stored `metadata_admin` into `next` (null clears it). */
export function adminMetadataPatch(
  stored: unknown,
  next: Record<string, unknown> | null,
  options: AdminMetadataPatchOptions = {},
): MetadataPatchOperation[] {
  const leave = new Set(options.leave ?? []);
  const current = asObject(stored);
  if (!current) {
    // Kratos leaves an unset `metadata_admin` out of the patched document: a key below it has no parent yet.
    const written = next === null ? {} : withoutKeys(next, leave);
    return Object.keys(written).length > 0 || (stored !== null && stored !== undefined)
      ? [{ op: "add", path: "/metadata_admin", value: next === null ? null : written }]
      : [];
  }
  const target = next ?? {};
  const operations: MetadataPatchOperation[] = [];
  for (const key of Object.keys(current)) {
    if (!leave.has(key) && !Object.hasOwn(target, key)) operations.push({ op: "remove", path: metadataPointer(key) });
  }
  for (const [key, value] of Object.entries(target)) {
    if (leave.has(key)) continue;
    if (!Object.hasOwn(current, key) || JSON.stringify(current[key]) !== JSON.stringify(value))
      operations.push({ op: "add", path: metadataPointer(key), value });
  }
  return operations;
}

/** A JSON Pointer (RFC 6901) to one key of `metadata_admin`. */
export function metadataPointer(key: string): string {
  return `/metadata_admin/${escapePointerToken(key)}`;
}

export function escapePointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function withoutKeys(value: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.has(key)));
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
