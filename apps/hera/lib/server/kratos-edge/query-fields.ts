import type { Fields, GuardedFlow } from "./submission";

/**
 * The fields Kratos' code and link strategies may take from a POST's query
 * string: they decode recovery and verification submissions with ory/x
 * decoderx HTTPDecoderUseQueryAndBody (selfservice/strategy/{code,link}
 * decodeRecovery / decodeVerification); every other strategy that checks a
 * secret or sends a mail reads the body alone.
 */
const QUERY_FIELDS = ["method", "code", "email", "recovery_address", "recovery_select_address", "recovery_confirm_address", "screen"];

/**
 * A recovery or verification POST's fields as Kratos merges them, so the
 * edge charges what Kratos uses. JSON (decodeJSONForm): the query's first
 * value replaces the body's, an empty one drops the field. urlencoded
 * (decodeForm, r.Form.Get): a body field wins, the query fills in. Kratos
 * reads no multipart body field at all (r.ParseForm leaves it unparsed), so
 * there the query's value is charged besides what the edge read from the
 * body. Any other content type Kratos refuses; the query is added anyway.
 */
export function withQueryFields(kind: GuardedFlow, contentType: string | null, fields: Fields, query: URLSearchParams): Fields {
  if (kind !== "recovery" && kind !== "verification") return fields;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const merged: Fields = new Map(fields);
  for (const name of QUERY_FIELDS) {
    const value = query.get(name);
    if (value === null) continue;
    if (type === "application/json") {
      if (value === "") merged.delete(name);
      else merged.set(name, [value]);
    } else if (type === "application/x-www-form-urlencoded") {
      if (!merged.has(name)) merged.set(name, [value]);
    } else merged.set(name, [...(merged.get(name) ?? []), value]);
  }
  return merged;
}
