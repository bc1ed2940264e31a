import { HydraError } from "./errors";

/**
 * Text Postgres cannot store — NUL characters and unpaired UTF-16
 * surrogates (text and jsonb both refuse them). Such input is refused with
 * 400 at the edge instead of failing as a 500 in the middle of a write or
 * a lookup.
 */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

/** The serialised form of a value as JSON text: `\u0000` and lone `\udXXX` escapes are what jsonb refuses. */
export function isStorableJson(json: string): boolean {
  return !/\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(json) && isStorableText(json);
}

export function assertStorable(value: unknown, depth = 0): void {
  if (typeof value === "string") {
    if (!isStorableText(value)) throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
    return;
  }
  if (typeof value !== "object" || value === null) return;
  if (depth > 64) throw HydraError.badRequest("The request body is nested too deeply");
  for (const [key, item] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof key === "string") assertStorable(key, depth + 1);
    assertStorable(item, depth + 1);
  }
}

/** Every decoded key and value of a query string; false when one cannot be stored. */
export function isStorableQuery(search: URLSearchParams): boolean {
  for (const [key, value] of search) if (!isStorableText(key) || !isStorableText(value)) return false;
  return true;
}
