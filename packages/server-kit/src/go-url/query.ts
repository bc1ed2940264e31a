import { goBytes, goQueryEscape, goQueryUnescape, utf8Text } from "./escape";

/**
 * Go's url.Values (url.go ParseQuery, parseQuery, Values.Encode, Get) over
 * byte strings (escape.ts), and r.URL.Query() for handlers that read text.
 */

/** url.Values: each key's values in the order they came. Keys and values are byte strings. */
export type GoValues = Map<string, string[]>;

export interface GoParsedQuery {
  values: GoValues;
  /** ParseQuery's error, if any; the pairs that parsed are kept all the same, as Go keeps them. */
  error: string | undefined;
}

/**
 * parseQuery's cap (urlParamsWithinMax, GODEBUG urlmaxqueryparams unset):
 * at most this many `&`-separated parameters, empty ones included. Go has
 * it since 1.24.12 / 1.25.6; Kratos and Hydra v26.2.0 build with Go 1.26.
 */
export const GO_MAX_QUERY_PARAMS = 10_000;

function countAmpersands(raw: string): number {
  let count = 0;
  for (let at = raw.indexOf("&"); at >= 0; at = raw.indexOf("&", at + 1)) count++;
  return count;
}

function add(values: GoValues, key: string, value: string): void {
  const list = values.get(key);
  if (list) list.push(value);
  else values.set(key, [value]);
}

/** parseQuery's pairs in the order they came, and its error. */
function parsePairs(raw: string): { pairs: [string, string][]; error: string | undefined } {
  const pairs: [string, string][] = [];
  if (countAmpersands(raw) + 1 > GO_MAX_QUERY_PARAMS) return { pairs, error: "number of URL query parameters exceeded limit" };
  let error: string | undefined;
  if (raw === "") return { pairs, error };
  for (const pair of raw.split("&")) {
    if (pair.includes(";")) {
      error = "invalid semicolon separator in query";
      continue;
    }
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = goQueryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    if ("error" in key) {
      error ??= key.error;
      continue;
    }
    const value = goQueryUnescape(eq < 0 ? "" : pair.slice(eq + 1));
    if ("error" in value) {
      error ??= value.error;
      continue;
    }
    pairs.push([key.value, value.value]);
  }
  return { pairs, error };
}

/**
 * url.ParseQuery of a byte string. A query of more than 10,000 parameters
 * parses to nothing (the cap is checked before any pair). Otherwise pairs
 * split on `&`; a pair holding `;` is left out and sets the error to
 * `invalid semicolon separator in query` (replacing an earlier one, as
 * parseQuery assigns it unconditionally); a pair whose key or value
 * QueryUnescape refuses is left out and sets the error if none is set yet.
 */
export function goParseQuery(raw: string): GoParsedQuery {
  const { pairs, error } = parsePairs(raw);
  const values: GoValues = new Map();
  for (const [key, value] of pairs) add(values, key, value);
  return { values, error };
}

const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Values.Encode: keys in byte order, each of a key's values as `key=value` (both QueryEscape'd), joined with `&`. */
export function goValuesEncode(values: GoValues): string {
  const parts: string[] = [];
  for (const key of [...values.keys()].sort(byBytes)) {
    for (const value of values.get(key) ?? []) parts.push(`${goQueryEscape(key)}=${goQueryEscape(value)}`);
  }
  return parts.join("&");
}

/** Values.Get with a text key: the first value as text ("" when there is none). */
export const goValuesGet = (values: GoValues, key: string): string => utf8Text(values.get(goBytes(key))?.[0] ?? "");

/**
 * cmp.Or(values[key]...), as ory/x keysetpagination reads page_token and
 * page_size: the key's first non-empty value, or "" when it has none. Works
 * on url.Values (key and values as byte strings) and on goQueryParams' text.
 */
export function goValuesFirstNonEmpty(values: GoValues | URLSearchParams, key: string): string {
  const list = values instanceof URLSearchParams ? values.getAll(key) : (values.get(key) ?? []);
  return list.find((value) => value !== "") ?? "";
}

/**
 * r.URL.Query() for a handler that reads text: url.ParseQuery of the raw
 * query (a leading `?` ignored), its error dropped as Query() drops it,
 * keys and values as text (bytes that are not UTF-8 become U+FFFD). Unlike
 * WHATWG URLSearchParams, a pair with a `;` or a bad escape is not there,
 * and nothing is there when the query has over 10,000 parameters. Pairs
 * keep the order they came in.
 */
export function goQueryParams(rawQuery: string): URLSearchParams {
  const raw = goBytes(rawQuery.startsWith("?") ? rawQuery.slice(1) : rawQuery);
  return new URLSearchParams(parsePairs(raw).pairs.map(([key, value]): [string, string] => [utf8Text(key), utf8Text(value)]));
}

/** URLSearchParams (text) as url.Values (byte strings), order kept. */
export function goValuesOf(params: URLSearchParams): GoValues {
  const values: GoValues = new Map();
  for (const [key, value] of params) add(values, goBytes(key), goBytes(value));
  return values;
}

/** Values.Encode of text parameters: url.Values built from them in order, then encoded. */
export const goEncodeParams = (params: URLSearchParams): string => goValuesEncode(goValuesOf(params));
