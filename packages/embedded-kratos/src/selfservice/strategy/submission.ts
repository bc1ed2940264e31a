import type { JsonObject } from "../../http/body";
import { submittedTextOf } from "../../http/submitted-json";
import { coerceFormTraits } from "../../identity/extensions";
import { decodingPaths, type IdentitySchema } from "../../identity/schema-registry";

/** A non-empty text field, e.g. the assertion webauthn.js fills in or a mailed token. */
export function hasText(body: JsonObject, key: string): boolean {
  const value = body[key];
  return typeof value === "string" && value !== "";
}

/** A button a form posted (any value but empty or false), as Kratos' strategies detect theirs. */
export function pressed(body: JsonObject, key: string): boolean {
  const value = body[key];
  return value !== undefined && value !== "" && value !== false && value !== "false";
}

/**
 * The traits of a submission as oryx/decoderx types them: a JSON body's
 * nested `traits` object is the strategy's json.RawMessage, kept as sent
 * (its text recorded by the body reader); form fields and flattened JSON
 * keys (`traits.age=1.0`) are converted by the schema's types.
 */
export function submittedTraits(schema: IdentitySchema, body: JsonObject): JsonObject {
  // decoderx lists the schema's paths before it reads the body, JSON bodies too (HTTPDecoderJSONFollowsFormFormat).
  decodingPaths(schema);
  const traits = body.traits;
  if (typeof traits !== "object" || traits === null || Array.isArray(traits)) return {};
  return submittedTextOf(traits) !== undefined ? (traits as JsonObject) : coerceFormTraits(schema, traits as JsonObject);
}

/**
 * The traits the method schema validates: a `traits` the body gave that is
 * no object stays as given (decodeJSONForm and decodeURLValues set it raw),
 * so the schema's `type` refuses it (`expected object, but got number`,
 * validatePayload); otherwise submittedTraits.
 */
export function traitsToValidate(schema: IdentitySchema, body: JsonObject): unknown {
  decodingPaths(schema);
  const traits = body.traits;
  if (traits !== undefined && (typeof traits !== "object" || traits === null || Array.isArray(traits))) return traits;
  return submittedTraits(schema, body);
}
