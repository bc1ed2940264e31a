import { decodeGoJsonValue, GoJsonError, GoSyntaxError, GoValueTooDeepError, scanGoJson, type GoType } from "@olympus/server-kit/go-json";
import { KratosError } from "../../http/errors";
import { dotNotation } from "../../identity/jsonschema/field-errors";
import type { Identity } from "../../identity/identity";
import type { UiText } from "../../ui/messages";
import { FlowValidationError } from "../flow/validation-error";

const raw: GoType = { kind: "raw" };

/** web_hook.go rawHookResponse / errorMessage / detailedMessage. */
const RAW_HOOK_RESPONSE: GoType = {
  kind: "struct",
  name: "rawHookResponse",
  fields: {
    messages: {
      kind: "slice",
      name: "[]hook.errorMessage",
      elem: {
        kind: "struct",
        name: "errorMessage",
        fields: {
          instance_ptr: { kind: "string", name: "string" },
          messages: {
            kind: "slice",
            name: "[]hook.detailedMessage",
            elem: {
              kind: "struct",
              name: "detailedMessage",
              fields: {
                id: { kind: "int" },
                text: { kind: "string", name: "string" },
                type: { kind: "string", name: "string" },
                context: raw,
              },
            },
          },
        },
      },
    },
  },
};

/**
 * The anonymous `struct { Identity *localIdentity }` parseWebhookResponse
 * reads a 200 into: the identity fields it may copy onto the identity.
 */
const IDENTITY_RESPONSE: GoType = {
  kind: "struct",
  name: "",
  fields: {
    identity: {
      kind: "struct",
      name: "localIdentity",
      pointer: true,
      fields: {
        traits: { kind: "raw", name: "identity.Traits" },
        schema_id: { kind: "string", name: "string" },
        state: { kind: "string", name: "identity.State" },
        metadata_public: { kind: "raw", name: "sqlxx.NullJSONRawMessage" },
        metadata_admin: { kind: "raw", name: "sqlxx.NullJSONRawMessage" },
        external_id: { kind: "string", name: "sqlxx.NullString" },
      },
    },
  },
};

function unreadable(error: unknown): KratosError {
  const text = error instanceof Error ? error.message : String(error);
  return new KratosError(500, { message: `webhook response could not be unmarshalled properly from JSON: ${text}` });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * web_hook.go parseWebhookResponse: a 200 may replace the identity's
 * traits, schema, state, metadata and external id (each only when the
 * answer carries it, non-empty); a 204 or any other status below 400 changes
 * nothing; a status of 400 or more must carry `{"messages": [...]}`, which
 * interrupts the flow with those messages (FlowValidationError, as Kratos'
 * ValidationListError is rendered by ui/container ParseError).
 */
export function parseWebHookResponse(status: number, body: Uint8Array, identity: Identity | undefined): void {
  if (status === 200) return applyIdentityAnswer(body, identity);
  if (status < 400) return;
  let decoded: unknown;
  try {
    // json.NewDecoder(resp.Body).Decode: the first value counts.
    decoded = decodeGoJsonValue(body, RAW_HOOK_RESPONSE, { strict: false });
  } catch (error) {
    // An answer nested past the reader's depth cap is refused as unreadable (Go reads 10,000 levels).
    if (error instanceof GoJsonError || error instanceof GoValueTooDeepError) throw unreadable(error);
    throw error;
  }
  const messages = isObject(decoded) && Array.isArray(decoded.messages) ? decoded.messages : [];
  if (messages.length === 0) throw new KratosError(500, { message: "error while parsing webhook response: got no validation errors" });
  const fieldErrors = messages.flatMap((entry) => {
    const item = isObject(entry) ? entry : {};
    const name = dotNotation(typeof item.instance_ptr === "string" ? item.instance_ptr : "");
    const details = Array.isArray(item.messages) ? item.messages : [];
    return details.flatMap((detail) => (isObject(detail) ? [{ name, message: uiText(detail) }] : []));
  });
  throw new FlowValidationError(fieldErrors);
}

/** detailedMessage → text.Message: type "error" stays an error, every other type is info. */
function uiText(detail: Record<string, unknown>): UiText {
  const text: UiText = {
    id: typeof detail.id === "number" ? detail.id : 0,
    text: typeof detail.text === "string" ? detail.text : "",
    type: detail.type === "error" ? "error" : "info",
  };
  if (isObject(detail.context)) text.context = detail.context;
  return text;
}

function applyIdentityAnswer(body: Uint8Array, identity: Identity | undefined): void {
  let decoded: unknown;
  try {
    // json.Unmarshal: the whole answer must be one JSON value.
    scanGoJson(body, "unmarshal");
    decoded = decodeGoJsonValue(body, IDENTITY_RESPONSE, { strict: false });
  } catch (error) {
    if (error instanceof GoJsonError || error instanceof GoSyntaxError || error instanceof GoValueTooDeepError) throw unreadable(error);
    throw error;
  }
  const answer = isObject(decoded) && isObject(decoded.identity) ? decoded.identity : undefined;
  if (!answer || !identity) return;
  // len(RawMessage) > 0: a field present in the answer replaces the value. Traits that are
  // not an object (which Kratos' identity validation then refuses) are left as they were.
  if (isObject(answer.traits)) identity.traits = answer.traits;
  if (typeof answer.schema_id === "string" && answer.schema_id !== "") identity.schemaId = answer.schema_id;
  // Kratos' identity validation refuses any other state; here such a state is not taken over.
  if (answer.state === "active" || answer.state === "inactive") identity.state = answer.state;
  if ("metadata_public" in answer) identity.metadataPublic = answer.metadata_public;
  if ("metadata_admin" in answer) identity.metadataAdmin = answer.metadata_admin;
  // gjson "identity.external_id" Exists: a `null` the decoder skips still clears it (NullString's zero value).
  if (externalIdPresent(body)) identity.externalId = typeof answer.external_id === "string" ? answer.external_id : null;
}

/** gjson.GetBytes(body, "identity.external_id").Exists() on an answer json.Unmarshal accepted. */
function externalIdPresent(body: Uint8Array): boolean {
  const parsed: unknown = JSON.parse(Buffer.from(body).toString("utf8"));
  return isObject(parsed) && isObject(parsed.identity) && "external_id" in parsed.identity;
}
