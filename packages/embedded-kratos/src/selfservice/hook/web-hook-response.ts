import { decodeGoJsonValue, GoJsonError, GoSyntaxError, GoValueTooDeepError, scanGoJson, type GoType } from "@olympus/server-kit/go-json";
import type { AddressImport } from "../../admin/identity-body";
import { recoveryAddress, verifiableAddress } from "../../admin/identity-body";
import { matchesTraitAddress, recoveryAddressInput, verifiableAddressInput } from "../../admin/identity-import";
import { KratosError } from "../../http/errors";
import type { RecoveryAddressInput, VerifiableAddressInput } from "../../identity/manager";
import { dotNotation } from "../../identity/jsonschema/field-errors";
import type { Identity } from "../../identity/identity";
import type { UiText } from "../../ui/messages";
import { FlowValidationError } from "../flow/validation-error";
import { JsonText } from "../../http/json-text";
import { jsonbText } from "../../storage/jsonb-text";

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
                // json.RawMessage: any JSON value, `null` too; numbers keep their literal for jsonb.
                context: { kind: "raw", numberText: true },
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
        verifiable_addresses: { kind: "slice", name: "[]identity.VerifiableAddress", elem: verifiableAddress },
        recovery_addresses: { kind: "slice", name: "[]identity.RecoveryAddress", elem: recoveryAddress },
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
export function parseWebHookResponse(status: number, body: Uint8Array, identity: Identity | undefined): IdentityAnswer | undefined {
  if (status === 200) return applyIdentityAnswer(body, identity);
  if (status < 400) return undefined;
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
  const pointers = messages.map((entry) => (isObject(entry) && typeof entry.instance_ptr === "string" ? entry.instance_ptr : ""));
  const fieldErrors = messages.flatMap((entry, index) => {
    const item = isObject(entry) ? entry : {};
    const name = dotNotation(pointers[index] ?? "");
    const details = Array.isArray(item.messages) ? item.messages : [];
    return details.flatMap((detail) => (isObject(detail) ? [{ name, message: uiText(detail) }] : []));
  });
  throw new WebHookValidationError(fieldErrors, pointers);
}

/**
 * The schema.ValidationListError parseWebhookResponse returns: a flow shows
 * its messages; written as a plain error (a before-hook's refusal) it is
 * herodot's 500 with the list's Error() text.
 */
export class WebHookValidationError extends FlowValidationError {
  override name = "WebHookValidationError";
  constructor(
    fieldErrors: FlowValidationError["fieldErrors"],
    /** Each errorMessage's instance_ptr as the target sent it (one schema.NewHookValidationError each). */
    readonly instancePointers: string[],
  ) {
    super(fieldErrors);
  }

  /** ValidationListError.Error(): the count, then each ValidationError.Error() (`I[ptr] S[] message`). */
  get goText(): string {
    const lines = this.instancePointers.map((ptr, index) => `\n(${index}) I[${ptr}] S[] a webhook target returned an error`);
    return `${this.instancePointers.length} validation errors occurred:${lines.join("")}`;
  }
}

/**
 * detailedMessage → text.Message: type "error" stays an error, every other
 * type is info; a context the answer carries (any JSON value, `null` too:
 * a json.RawMessage of `null` is not empty) is taken over, one it lacks
 * stays out (`omitempty`). Kratos answers the flow as it reads it back from
 * its jsonb column (the error handlers' Get…Flow), so the context is
 * answered as jsonb's text of it.
 */
function uiText(detail: Record<string, unknown>): UiText {
  const text: UiText = {
    id: typeof detail.id === "number" ? detail.id : 0,
    text: typeof detail.text === "string" ? detail.text : "",
    type: detail.type === "error" ? "error" : "info",
  };
  if ("context" in detail) text.context = new JsonText(jsonbText(detail.context), detail.context);
  return text;
}

/**
 * What a 200 changes beyond the identity's own fields: addresses it carries
 * (for the schema extensions to merge) and traits that are not an object
 * (for the identity validation to refuse, as Kratos' IdentityValidator does).
 */
export interface IdentityAnswer {
  /** Present (any JSON value, `null` included) and not an object: Kratos takes it over and its validation refuses it. */
  invalidTraits?: { value: unknown };
  verifiableAddresses?: VerifiableAddressInput[];
  recoveryAddresses?: RecoveryAddressInput[];
}

function applyIdentityAnswer(body: Uint8Array, identity: Identity | undefined): IdentityAnswer | undefined {
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
  if (!answer || !identity) return undefined;
  const changes: IdentityAnswer = {};
  // len(RawMessage) > 0: a field present in the answer (even `null`) replaces the value.
  if (isObject(answer.traits)) identity.traits = answer.traits;
  else if ("traits" in answer) changes.invalidTraits = { value: answer.traits };
  if (typeof answer.schema_id === "string" && answer.schema_id !== "") identity.schemaId = answer.schema_id;
  // Any non-empty state is stored, unchecked on this path (State.IsValid is the admin API's); only `active` is active.
  if (typeof answer.state === "string" && answer.state !== "") identity.state = answer.state;
  // len(...) > 0: an empty list changes nothing. Only addresses whose value is the normalised trait can stand for one (extension_*.go has).
  const verifiable = addressesOf(answer.verifiable_addresses);
  if (verifiable.length > 0) changes.verifiableAddresses = verifiable.filter(matchesTraitAddress).map(verifiableAddressInput);
  const recovery = addressesOf(answer.recovery_addresses);
  if (recovery.length > 0) changes.recoveryAddresses = recovery.filter(matchesTraitAddress).map(recoveryAddressInput);
  if ("metadata_public" in answer) identity.metadataPublic = answer.metadata_public;
  if ("metadata_admin" in answer) identity.metadataAdmin = answer.metadata_admin;
  // gjson "identity.external_id" Exists: a `null` the decoder skips still clears it (NullString's zero value).
  if (externalIdPresent(body)) identity.externalId = typeof answer.external_id === "string" ? answer.external_id : null;
  return changes;
}

/** A decoded address slice: each element an identity.VerifiableAddress / RecoveryAddress (`null` elements are zero values). */
function addressesOf(value: unknown): (AddressImport | null)[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => (isObject(item) ? (item as AddressImport) : null));
}

/** gjson.GetBytes(body, "identity.external_id").Exists() on an answer json.Unmarshal accepted. */
function externalIdPresent(body: Uint8Array): boolean {
  const parsed: unknown = JSON.parse(Buffer.from(body).toString("utf8"));
  return isObject(parsed) && isObject(parsed.identity) && "external_id" in parsed.identity;
}
