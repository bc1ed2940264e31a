import { JsonText } from "./json-text";

/**
 * The text a self-service JSON body gave a nested object (its `traits`),
 * kept next to the object the body decoder made of it. Kratos' strategies
 * hold that object as a json.RawMessage (oryx/decoderx decodeJSONForm sets
 * it raw): the identity validator reads its numbers' text, the identity
 * stores the text and the registration answers it. The record follows the
 * very object the decoder made, so traits a strategy builds afresh (form
 * fields typed by the schema, traits from a web hook or an OIDC mapper)
 * carry no text and are handled as values.
 */
interface Submitted {
  /** The compact text, with the decoded value it stands for. */
  text: JsonText;
  /** The same value with each number kept as its text (json-number.ts), for the trait validator. */
  withNumberTexts: unknown;
}

const submitted = new WeakMap<object, Submitted>();

/** Records the text `value` (an object or array the body decoder made) was written as. */
export function recordSubmittedText(value: object, text: string, withNumberTexts: unknown): void {
  submitted.set(value, { text: new JsonText(text, value), withNumberTexts });
}

/** The body's text of `value`, when `value` is the very object a JSON body gave. */
export function submittedTextOf(value: unknown): JsonText | undefined {
  return typeof value === "object" && value !== null ? submitted.get(value)?.text : undefined;
}

/** `value` as the validator should see it: with its numbers' text when a JSON body gave it, else itself. */
export function withSubmittedNumberTexts(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const record = submitted.get(value);
  return record === undefined ? value : record.withNumberTexts;
}
