/**
 * Text Postgres cannot store — NUL characters and unpaired UTF-16
 * surrogates (text and jsonb both refuse them). The servers refuse such
 * input with 400 at the edge instead of failing as a 500 in the middle of a
 * write or a lookup; each server words that 400 itself.
 */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

/** The serialised form of a value as JSON text: `\u0000` and lone `\udXXX` escapes are what jsonb refuses. */
export function isStorableJson(json: string): boolean {
  return (
    !/\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(json) &&
    isStorableText(json)
  );
}

/** Every decoded key and value of a query string or form; false when one cannot be stored. */
export function isStorableQuery(search: URLSearchParams): boolean {
  for (const [key, value] of search) if (!isStorableText(key) || !isStorableText(value)) return false;
  return true;
}

/** Deeper than this a parsed body is refused: JSON.parse bounds nesting by the stack, this walk stops far earlier. */
export const MAX_STORABLE_DEPTH = 64;

/**
 * Why a parsed JSON value cannot be stored, or undefined when it can:
 * `"text"` for a string or object key that fails isStorableText, `"depth"`
 * for nesting beyond MAX_STORABLE_DEPTH. Walks depth-first, keys before
 * their values, and answers the first problem met.
 */
export function unstorableReason(value: unknown, depth = 0): "text" | "depth" | undefined {
  if (typeof value === "string") return isStorableText(value) ? undefined : "text";
  if (typeof value !== "object" || value === null) return undefined;
  if (depth > MAX_STORABLE_DEPTH) return "depth";
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = unstorableReason(item, depth + 1);
      if (reason) return reason;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const reason = unstorableReason(key, depth + 1) ?? unstorableReason(item, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}
