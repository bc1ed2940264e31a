import { parseUuid } from "@olympus/server-kit/go-json";
import { kratosBodyDecoder } from "./request-body";
import type { Fields, GuardedFlow } from "./submission";

/**
 * The fields Kratos' code and link strategies may take from a POST's query
 * string: they decode recovery and verification submissions with ory/x
 * decoderx HTTPDecoderUseQueryAndBody (selfservice/strategy/{code,link}
 * decodeRecovery / decodeVerification); every other strategy that checks a
 * secret or sends a mail reads the body alone.
 */
const QUERY_FIELDS = [
  "method",
  "code",
  // link/strategy_recovery.go Recover and link/strategy_verification.go Verify check a token whenever
  // `len(body.Token) > 0`, and body.Token may come from the query.
  "token",
  "email",
  "recovery_address",
  "recovery_select_address",
  "recovery_confirm_address",
  "screen",
];

/**
 * A recovery or verification POST's fields as Kratos merges them, so the
 * edge charges what Kratos uses. `query` is the query as Go reads it
 * (goQueryParams: no pair with `;` or a bad escape). JSON (decodeJSONForm):
 * the query's first value replaces the body's, an empty one drops the
 * field. A form (decodeForm, r.Form.Get): a urlencoded body's field wins,
 * the query fills in; a multipart body gives r.Form nothing (`fields` is
 * empty for it), so the query alone is what Kratos reads. A body Kratos
 * refuses (any other content type) gets the query added anyway.
 */
export function withQueryFields(kind: GuardedFlow, contentType: string | null, fields: Fields, query: URLSearchParams): Fields {
  if (kind !== "recovery" && kind !== "verification") return fields;
  const decoder = kratosBodyDecoder(contentType);
  const merged: Fields = new Map(fields);
  for (const name of QUERY_FIELDS) {
    const value = query.get(name);
    if (value === null) continue;
    if (decoder === "json") {
      if (value === "") merged.delete(name);
      else merged.set(name, [value]);
    } else if (decoder === "form") {
      if (!merged.has(name)) merged.set(name, [value]);
    } else merged.set(name, [...(merged.get(name) ?? []), value]);
  }
  return merged;
}

/**
 * The flow a submission's `flow` names as Kratos resolves it (flow.GetFlowID:
 * x.ParseUUID, gofrs/uuid FromStringOrNil): the canonical UUID of any
 * spelling gofrs accepts (upper case, braces, `urn:uuid:`, no hyphens), so
 * every spelling of one flow shares its key and is compared with the ids in
 * Kratos' answers. A value Kratos cannot parse is kept as sent (Kratos
 * answers it without reading the flow); none at all is undefined.
 */
export function kratosFlowId(flow: string | null): string | undefined {
  if (flow === null || flow === "") return undefined;
  return parseUuid(flow) ?? flow;
}

/**
 * Whether a POST body names a flow other than its query's. Kratos loads the
 * flow it prices from the query (flow.GetFlowID), but the code and link
 * recovery strategies act on the flow the decoded body names
 * (code/strategy_recovery.go and link/strategy_recovery.go Recover:
 * GetRecoveryFlow(x.ParseUUID(body.Flow))), and for a urlencoded body
 * decodeForm's r.Form.Get("flow") gives the body's value before the
 * query's: the edge would price flow A while Kratos mails or checks a code
 * for flow B. Kratos' own UI and SDKs never send a flow in the body that
 * differs from the query's (the form's action carries it), so any such pair
 * — also in JSON, where decodeJSONForm lets the query win — is refused
 * rather than reasoned about per strategy. Compared as Kratos resolves ids
 * (kratosFlowId): every spelling of the query's flow passes; an empty or
 * unparsable body flow does not.
 */
export function bodyNamesAnotherFlow(bodyFields: Fields, flowId: string): boolean {
  return (bodyFields.get("flow") ?? []).some((flow) => kratosFlowId(flow) !== flowId);
}
