import type { JsonObject } from "../../http/body";
import { parseMediaType } from "../../http/negotiate";

/**
 * The string fields of the code and link strategies' recovery and
 * verification schemas (selfservice/strategy/{code,link}/.schema/*.json).
 * decodeURLValues sets only a schema's own paths, so these are the fields a
 * query can reach. `transient_payload` (an object) is left to the body.
 */
const QUERY_FIELDS = [
  "method",
  "code",
  "token",
  "email",
  "flow",
  "csrf_token",
  "recovery_address",
  "recovery_select_address",
  "recovery_confirm_address",
  "screen",
] as const;

/**
 * decoderx.Decode with HTTPDecoderUseQueryAndBody, as the code and link
 * strategies decode recovery and verification submissions (decodeRecovery,
 * decodeVerification). Every other self-service strategy reads its fields
 * from the body alone.
 *
 * - JSON (decodeJSONForm): after the body's fields, `values.Set(k,
 *   r.Form.Get(k))` for every query key — the query wins, and an empty query
 *   value removes the field (decodeURLValues skips an empty string).
 * - urlencoded (decodeForm): r.Form holds the body's values before the
 *   query's and Get takes the first — the body wins, the query fills in.
 * - multipart: r.ParseForm leaves the body unread, so r.Form is the query.
 */
export function withQueryFields(body: JsonObject, contentType: string | undefined, query: URLSearchParams): JsonObject {
  const queryWins = contentType !== undefined && parseMediaType(contentType) === "application/json";
  const merged: JsonObject = { ...body };
  for (const name of QUERY_FIELDS) {
    const value = query.get(name);
    if (value === null || (!queryWins && Object.hasOwn(body, name))) continue;
    if (value === "") delete merged[name];
    else merged[name] = value;
  }
  return merged;
}
