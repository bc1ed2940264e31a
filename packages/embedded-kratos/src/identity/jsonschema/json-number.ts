/**
 * JSON numbers with their source text, as ory/jsonschema decodes them
 * (DecodeJSON with UseNumber: a json.Number is the number's text). A number
 * read by parseJsonKeepingNumbers is a JSON.rawJSON value: it keeps its
 * text through JSON.stringify, and the validator reads that text where Go
 * reads the json.Number. A plain JavaScript number stands for its shortest form.
 */

/** A JSON.rawJSON value (Node ≥ 21; TypeScript's lib does not describe it yet). */
export interface RawJsonNumber {
  readonly rawJSON: string;
}

interface JsonWithRaw {
  rawJSON(text: string): RawJsonNumber;
  isRawJSON(value: unknown): value is RawJsonNumber;
  parse(text: string, reviver: (key: string, value: unknown, context?: { source?: string }) => unknown): unknown;
}

const rawJson = JSON as unknown as JsonWithRaw;

/** JSON.parse, with every number kept as its source text. Throws JSON.parse's SyntaxError. */
export function parseJsonKeepingNumbers(text: string): unknown {
  return rawJson.parse(text, (_key, value, context) =>
    typeof value === "number" && context?.source !== undefined ? rawJson.rawJSON(context.source) : value,
  );
}

/** A number kept with its text (the literal as the request wrote it). */
export const rawJsonNumber = (text: string): RawJsonNumber => rawJson.rawJSON(text);

/**
 * The value with each number kept with its text turned into a plain number
 * (what JSON.parse gives for the text), for the code that stores and
 * answers values rather than validating them.
 */
export function withPlainNumbers(value: unknown): unknown {
  if (isRawNumber(value)) return Number(value.rawJSON);
  if (Array.isArray(value)) return value.map(withPlainNumbers);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  // Own data properties, so a `__proto__` key stays a key (as JSON.parse keeps it).
  for (const [key, item] of Object.entries(value))
    Object.defineProperty(out, key, { value: withPlainNumbers(item), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Whether the value is a number kept with its text. */
export const isRawNumber = (value: unknown): value is RawJsonNumber => rawJson.isRawJSON(value);

/** A number's text (json.Number), or undefined for anything that is not a number. */
export function numberText(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (isRawNumber(value)) return value.rawJSON;
  return undefined;
}
