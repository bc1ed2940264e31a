/**
 * The bytes Go's encoding/json writes, made from what JSON.stringify writes.
 * Both write compact JSON with the same escapes for `"`, `\`, `\b`, `\f`,
 * `\n`, `\r`, `\t` and other control characters (`\u00XX`, lowercase hex);
 * encode.go appendString differs in three ways, all inside strings:
 * - `<`, `>`, `&` become `\u003c`, `\u003e`, `\u0026` when HTML escaping is
 *   on (json.Marshal, and json.NewEncoder unless SetEscapeHTML(false));
 * - U+2028 and U+2029 become `\u2028`, `\u2029` always;
 * - text that is not valid Unicode becomes `\ufffd`: Go's invalid UTF-8 is a
 *   JavaScript string's lone surrogate, which JSON.stringify writes as an
 *   escape of its own (`\ud800`).
 * Encoder.Encode (herodot's JSONWriter) adds a "\n" after the value.
 */

/** One match per change: an escaped backslash (skipped, so `\\ud800` is left alone), a lone surrogate's escape, or a character to escape. */
const HTML_ESCAPED = /\\(?:\\|ud[89a-f][0-9a-f]{2})|[<>&\u2028\u2029]/g;
const NOT_HTML_ESCAPED = /\\(?:\\|ud[89a-f][0-9a-f]{2})|[\u2028\u2029]/g;

const hex4 = (code: number) => `\\u${code.toString(16).padStart(4, "0")}`;

function rewrite(match: string): string {
  if (match === "\\\\") return match;
  if (match.length > 1) return "\\ufffd";
  return hex4(match.charCodeAt(0));
}

/** JSON.stringify's output as encoding/json writes the same value (appendString), with or without HTML escaping. */
export function goEscapeStringified(stringified: string, escapeHtml = true): string {
  return stringified.replace(escapeHtml ? HTML_ESCAPED : NOT_HTML_ESCAPED, rewrite);
}

/**
 * A json.RawMessage's compact text as the encoder writes it (encode.go
 * marshalerEncoder → appendCompact(..., escapeHTML)): with HTML escaping
 * `<`, `>`, `&`, U+2028 and U+2029 are escaped, without it nothing is — not
 * even U+2028, unlike a string's; the rest, lone-surrogate escapes included,
 * is copied as written. Outside strings valid JSON holds none of them.
 */
export function goCompactRawText(compact: string, escapeHtml = true): string {
  return escapeHtml ? compact.replace(/[<>&\u2028\u2029]/g, (ch) => hex4(ch.charCodeAt(0))) : compact;
}

/** json.Marshal(value): HTML escaped, no trailing newline (fosite's token, revocation and error answers). */
export function goJsonMarshal(value: unknown): string {
  return goEscapeStringified(JSON.stringify(value) ?? "null");
}

/**
 * json.NewEncoder(w).Encode(value): json.Marshal's bytes and a "\n" — herodot
 * JSONWriter.WriteCode / WriteErrorCode (json.go); `escapeHtml: false` is
 * herodot.UnescapedHTML (enc.SetEscapeHTML(false)).
 */
export function goJsonEncode(value: unknown, options: { escapeHtml?: boolean } = {}): string {
  return `${goEscapeStringified(JSON.stringify(value) ?? "null", options.escapeHtml ?? true)}\n`;
}
