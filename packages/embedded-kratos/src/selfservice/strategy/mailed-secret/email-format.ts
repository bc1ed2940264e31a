import type { JsonObject } from "../../../http/body";
import { isEmail } from "../../../identity/jsonschema/go-formats";
import { messages } from "../../../ui/messages";
import { FlowValidationError } from "../../flow/validation-error";

/**
 * The code and link strategies' recovery and verification schemas give
 * `email` `format: email`, checked when decoderx decodes the body — before
 * flow.EnsureCSRF. decoderx leaves an empty value out, so only a non-empty
 * one is checked.
 */
export function requireEmailFormat(body: JsonObject): void {
  const email = body.email;
  if (typeof email === "string" && email !== "" && !isEmail(email)) throw FlowValidationError.field("email", messages.invalidEmail(email));
}
