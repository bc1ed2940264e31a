import { compactJson, jsonTextOf, JsonText } from "../http/json-text";
import { isPlainObject } from "../config/unknown-keys";
import type { Identity } from "./identity";

/**
 * Traits and metadata in their jsonb columns as Kratos keeps them
 * (identity/identity.go: json.RawMessage and sqlxx.NullJSONRawMessage;
 * persistence/sql/identity/persister_identity.go writes and scans them as
 * bytes): the text an admin create or update was given is what Postgres
 * stores — jsonb settles key order, repeated keys (the last wins) and
 * numbers (`1e2` becomes `100`, `2.50` stays) — and a read hands on the
 * text jsonb gives back, compacted when Kratos marshals it.
 */

/** The columns read as text, so jsonb's own text (not a JavaScript value) reaches the admin answers. */
export const JSON_TEXT_COLUMNS: ReadonlySet<string> = new Set(["traits", "metadata_public", "metadata_admin"]);

/** A select-list entry for `column` (`prefix` is a table alias with its dot). */
export const selectColumn = (column: string, prefix = "") =>
  JSON_TEXT_COLUMNS.has(column) ? `${prefix}${column}::text AS ${column}` : `${prefix}${column}`;

/**
 * The parameter a jsonb column is written from: the kept text while the
 * field holds the value it was recorded for, else the value's JSON; SQL
 * NULL for no value, as before.
 */
export function storedJsonParam(value: unknown, kept: JsonText | undefined): string | null {
  if (value === undefined || value === null) return null;
  return jsonTextOf(value, kept) ?? JSON.stringify(value);
}

/** A column read as text: its decoded value, and the compact text kept for the admin API. */
export function readStoredJson(text: string | null): { value: unknown; text: JsonText | undefined } {
  if (text === null) return { value: null, text: undefined };
  const value: unknown = JSON.parse(text);
  return { value, text: new JsonText(compactJson(text), value) };
}

/** An identity's three jsonb columns, read as text, as the Identity fields that hold them. */
export function readIdentityJsonColumns(
  traitsText: string | null,
  metadataPublicText: string | null,
  metadataAdminText: string | null,
): Pick<Identity, "traits" | "metadataPublic" | "metadataAdmin" | "jsonTexts"> {
  const traits = readStoredJson(traitsText);
  const metadataPublic = readStoredJson(metadataPublicText);
  const metadataAdmin = readStoredJson(metadataAdminText);
  return {
    traits: isPlainObject(traits.value) ? traits.value : {},
    metadataPublic: metadataPublic.value,
    metadataAdmin: metadataAdmin.value,
    jsonTexts: { traits: traits.text, metadataPublic: metadataPublic.text, metadataAdmin: metadataAdmin.text },
  };
}
