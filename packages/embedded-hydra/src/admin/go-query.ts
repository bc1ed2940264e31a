import { goUrlStringWithRawQuery } from "../keys/go-url-string";

/**
 * r.URL.Query() as Hydra's consent/handler.go reads its query parameters:
 * net/url ParseQuery over the raw query. Pairs split on `&`; a pair holding
 * `;`, or whose key or value has an escape url.QueryUnescape refuses
 * (`%` not followed by two hex digits), is dropped; `+` is a space. WHATWG
 * URLSearchParams keeps both kinds of pair (`%zz` as written), so a
 * parameter Hydra does not see would be read. Bytes that are not UTF-8
 * become U+FFFD, as they would in any answer.
 */

/** url.QueryUnescape: the decoded bytes (one latin1 char a byte), or undefined where Go returns an EscapeError. */
function queryUnescape(input: Buffer): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] ?? 0;
    if (byte === 0x25) {
      const hex = input.subarray(i + 1, i + 3).toString("latin1");
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(byte === 0x2b ? 0x20 : byte);
  }
  return Buffer.from(bytes).toString("latin1");
}

/** url.ParseQuery's pairs in order, as bytes (one latin1 char a byte). */
function parsePairs(rawQuery: string): [string, string][] {
  const pairs: [string, string][] = [];
  const raw = Buffer.from(rawQuery.replace(/^\?/, ""), "utf8");
  for (let start = 0; start <= raw.length;) {
    const end = raw.indexOf(0x26, start) < 0 ? raw.length : raw.indexOf(0x26, start);
    const pair = raw.subarray(start, end);
    start = end + 1;
    if (pair.length === 0 || pair.includes(0x3b)) continue;
    const eq = pair.indexOf(0x3d);
    const key = queryUnescape(eq < 0 ? pair : pair.subarray(0, eq));
    const value = queryUnescape(eq < 0 ? Buffer.alloc(0) : pair.subarray(eq + 1));
    if (key !== undefined && value !== undefined) pairs.push([key, value]);
  }
  return pairs;
}

const utf8 = (bytes: string) => Buffer.from(bytes, "latin1").toString("utf8");

/** url.ParseQuery(rawQuery), without its error (Query() ignores it). */
export function goParseQuery(rawQuery: string): URLSearchParams {
  return new URLSearchParams(parsePairs(rawQuery).map(([key, value]): [string, string] => [utf8(key), utf8(value)]));
}

/** url.QueryEscape of bytes: unreserved bytes as they are, space as `+`, every other byte as %XX. */
function queryEscape(bytes: string): string {
  let out = "";
  for (const char of bytes) {
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char;
    else if (char === " ") out += "+";
    else out += `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * oryx urlx.SetQuery's query: url.ParseQuery of the raw query, each of
 * `params` set (replacing the key's values), then Values.Encode (keys in
 * byte order, each value QueryEscape'd).
 */
export function goSetQuery(rawQuery: string, params: Record<string, string>): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of parsePairs(rawQuery)) values.set(key, [...(values.get(key) ?? []), value]);
  for (const [key, value] of Object.entries(params))
    values.set(Buffer.from(key, "utf8").toString("latin1"), [Buffer.from(value, "utf8").toString("latin1")]);
  return [...values.keys()]
    .sort()
    .flatMap((key) => (values.get(key) ?? []).map((value) => `${queryEscape(key)}=${queryEscape(value)}`))
    .join("&");
}

/** The request's query as Go's r.URL.Query() reads it. */
export const goQuery = (url: URL): URLSearchParams => goParseQuery(url.search);

/**
 * oryx urlx.SetQuery(u, params).String() for u = url.Parse(text): where
 * Hydra's login and consent decisions send the browser (consent/handler.go
 * acceptOAuth2LoginRequest and the others, on the flow's request_url).
 * Undefined when url.Parse refuses the text.
 */
export function goUrlSetQuery(text: string, params: Record<string, string>): string | undefined {
  return goUrlStringWithRawQuery(text, (rawQuery) => goSetQuery(rawQuery, params));
}
