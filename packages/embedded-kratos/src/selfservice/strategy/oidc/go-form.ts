import { parseMediaType } from "../../../http/negotiate";

/**
 * Go's net/url and net/http form handling where the oidc strategy depends
 * on it: the redirect of a form_post answer (strategy.go redirectToGET runs
 * r.ParseForm, then url.Values.Encode) and the token endpoint's
 * form-encoded answers (x/oauth2 internal/token.go runs url.ParseQuery).
 *
 * Keys and values are byte strings (one char per byte, latin1), as Go's
 * strings hold bytes: an escape of a byte that is not UTF-8 survives a
 * parse and an Encode unchanged, and keys sort bytewise as Go's sort.Strings
 * sorts them.
 */

/** url.Values: each key's values in the order they came. */
export type GoValues = Map<string, string[]>;

export interface GoParsed {
  values: GoValues;
  /** Go's error, if any (parsing goes on: the pairs that parse are kept, as Go keeps them). */
  error: string | undefined;
}

/**
 * parseQuery's cap (Go ≥ 1.24.12/1.25.6, GODEBUG urlmaxqueryparams unset;
 * Kratos v26.2.0 builds with Go 1.26): at most this many `&`-separated
 * parameters, empty ones included.
 */
const GO_MAX_QUERY_PARAMS = 10_000;

/**
 * url.ParseQuery: a query of more than 10000 parameters parses to nothing
 * (urlParamsWithinMax, checked before any pair); otherwise pairs split on
 * `&`, a pair holding `;` (Go ≥ 1.17) or an escape QueryUnescape refuses
 * left out and making the parse fail.
 */
export function goParseQueryChecked(raw: string): GoParsed {
  const values: GoValues = new Map();
  let error: string | undefined;
  if (countAmpersands(raw) + 1 > GO_MAX_QUERY_PARAMS) return { values, error: "number of URL query parameters exceeded limit" };
  for (const pair of raw.split("&")) {
    if (pair.includes(";")) {
      // parseQuery assigns this one unconditionally: it replaces an earlier escape error.
      error = "invalid semicolon separator in query";
      continue;
    }
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = goQueryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    if (typeof key !== "string") {
      error ??= key.error;
      continue;
    }
    const value = goQueryUnescape(eq < 0 ? "" : pair.slice(eq + 1));
    if (typeof value !== "string") {
      error ??= value.error;
      continue;
    }
    add(values, key, value);
  }
  return { values, error };
}

function countAmpersands(raw: string): number {
  let count = 0;
  for (let at = raw.indexOf("&"); at >= 0; at = raw.indexOf("&", at + 1)) count++;
  return count;
}

/**
 * url.QueryUnescape of a byte string: `+` is a space, `%` needs two hex
 * digits (else Go's EscapeError, `invalid URL escape "%zz"`, quoting at
 * most three bytes). Works on bytes, where admin/go-query.ts'
 * goQueryUnescape reads UTF-8 text.
 */
function goQueryUnescape(bytes: string): string | { error: string } {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i];
    if (ch === "%") {
      const hex = bytes.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { error: `invalid URL escape ${goQuoteBytes(bytes.slice(i, i + 3))}` };
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else out += ch === "+" ? " " : ch;
  }
  return out;
}

/** strconv.Quote of the few bytes an EscapeError holds: printable ASCII as is, UTF-8 runes whole, other bytes as \xNN. */
function goQuoteBytes(bytes: string): string {
  const text = Buffer.from(bytes, "latin1");
  let out = "";
  for (let i = 0; i < text.length;) {
    const c = text[i] ?? 0;
    const rune = c >= 0x80 ? utf8Rune(text, i) : undefined;
    if (rune) {
      out += rune.text;
      i += rune.length;
    } else {
      if (c === 0x22 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
      else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
      else out += `\\x${c.toString(16).padStart(2, "0")}`;
      i++;
    }
  }
  return `"${out}"`;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The printable UTF-8 rune starting at `at`, if one does. */
function utf8Rune(bytes: Buffer, at: number): { text: string; length: number } | undefined {
  for (let n = 2; n <= 4 && at + n <= bytes.length; n++) {
    try {
      const text = strictUtf8.decode(bytes.subarray(at, at + n));
      return /^\P{C}$/u.test(text) ? { text, length: n } : undefined;
    } catch {
      // Not a whole sequence yet.
    }
  }
  return undefined;
}

function add(values: GoValues, key: string, value: string): void {
  const list = values.get(key);
  if (list) list.push(value);
  else values.set(key, [value]);
}

/** url.QueryEscape of a byte string: everything but letters, digits and `-_.~` is escaped; a space is `+`. */
export function goQueryEscape(bytes: string): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    const ch = bytes[i] ?? "";
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (c === 0x20) out += "+";
    else out += `%${c.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** url.Values.Encode: keys sorted bytewise, each value as `key=value`, joined with `&`. */
export function goEncodeValues(values: GoValues): string {
  const parts: string[] = [];
  for (const key of [...values.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const value of values.get(key) ?? []) parts.push(`${goQueryEscape(key)}=${goQueryEscape(value)}`);
  }
  return parts.join("&");
}

/** The body limit of Request.parsePostForm for a body that is not already limited (10 MB). */
export const GO_MAX_FORM_BYTES = 10 << 20;

/**
 * Request.ParseForm of a POST: the body's fields (only for
 * `application/x-www-form-urlencoded`; a missing Content-Type counts as
 * `application/octet-stream`) first, then the query's appended after them.
 * `body` is undefined when it was larger than Go reads (`http: POST too
 * large`). Any error — a bad Content-Type, a body or query that does not
 * parse — is kept in `error` (redirectToGET only asks whether there was one).
 */
export function goParsePostForm(contentType: string | undefined, body: Buffer | undefined, rawQuery: string): GoParsed {
  const form: GoValues = new Map();
  let error: string | undefined;
  const mediaType = parseMediaType(contentType || "application/octet-stream");
  // mime.ParseMediaType's texts vary by the fault; redirectToGET only asks whether there was one.
  if (mediaType === undefined) error = "mime: invalid media type";
  if (mediaType === "application/x-www-form-urlencoded") {
    if (body === undefined) return { values: form, error: "http: POST too large" };
    const parsed = goParseQueryChecked(body.toString("latin1"));
    error ??= parsed.error;
    for (const [key, list] of parsed.values) for (const value of list) add(form, key, value);
  }
  const query = goParseQueryChecked(rawQuery);
  error ??= query.error;
  for (const [key, list] of query.values) for (const value of list) add(form, key, value);
  return { values: form, error };
}

/** Values.Get: the first value, as UTF-8 text (bytes that are not UTF-8 become U+FFFD). */
export function goValuesGet(values: GoValues, key: string): string {
  return Buffer.from(values.get(Buffer.from(key, "utf8").toString("latin1"))?.[0] ?? "", "latin1").toString("utf8");
}
