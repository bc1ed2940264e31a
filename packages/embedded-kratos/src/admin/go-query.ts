import type { HttpContext } from "../http/context";
import { goQuote } from "../identity/jsonschema/go-format";

/**
 * Query parameters as Kratos' admin handlers read them: Go's net/url
 * (r.URL.Query(), url.QueryUnescape) and strconv. WHATWG URLSearchParams
 * keeps what Go drops (a pair with a bad `%` escape or a `;`), and
 * decodeURIComponent refuses escapes of bytes that are not UTF-8, which Go
 * takes; so the admin GET routes parse with these.
 */

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const HEX = /^[0-9a-fA-F]{2}$/;

/** url.QueryUnescape: the bytes, or Go's EscapeError text naming the first bad escape (at most three bytes of it). */
export function goQueryUnescape(value: string): { bytes: Buffer } | { error: string } {
  const input = Buffer.from(value, "utf8");
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const b = input[i] ?? 0;
    if (b === 0x25 /* % */) {
      const hex = input.subarray(i + 1, i + 3).toString("latin1");
      if (!HEX.test(hex)) return { error: `invalid URL escape ${goQuoteBytes(input.subarray(i, i + 3))}` };
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(b === 0x2b /* + */ ? 0x20 : b);
  }
  return { bytes: Buffer.from(out) };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The length of the UTF-8 sequence starting at `at`, or 0 where the byte starts none. */
function utf8Length(bytes: Buffer, at: number): number {
  for (let n = 1; n <= 4 && at + n <= bytes.length; n++) {
    try {
      if ([...strictUtf8.decode(bytes.subarray(at, at + n))].length === 1) return n;
    } catch {
      // Not a whole sequence yet; try one byte more.
    }
  }
  return 0;
}

/** strconv.Quote of raw bytes: bytes that are not UTF-8 print as \x.. (a JavaScript string cannot hold them). */
function goQuoteBytes(bytes: Buffer): string {
  let out = "";
  for (let i = 0; i < bytes.length;) {
    const n = utf8Length(bytes, i);
    if (n === 0) out += `\\x${(bytes[i] ?? 0).toString(16).padStart(2, "0")}`;
    else out += goQuote(bytes.subarray(i, i + n).toString("utf8")).slice(1, -1);
    i += Math.max(n, 1);
  }
  return `"${out}"`;
}

/**
 * url.ParseQuery as r.URL.Query() runs it: pairs split on `&`, a pair
 * holding `;` or an escape QueryUnescape refuses is dropped, bytes that are
 * not UTF-8 become U+FFFD (as encoding/json writes them in an answer).
 */
export function goParseQuery(rawQuery: string): URLSearchParams {
  const values = new URLSearchParams();
  for (const pair of rawQuery.replace(/^\?/, "").split("&")) {
    if (pair === "" || pair.includes(";")) continue;
    const eq = pair.indexOf("=");
    const key = goQueryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = goQueryUnescape(eq < 0 ? "" : pair.slice(eq + 1));
    if ("error" in key || "error" in value) continue;
    values.append(key.bytes.toString("utf8"), value.bytes.toString("utf8"));
  }
  return values;
}

/** The request's query as Go parses it. */
export const goQuery = (ctx: HttpContext): URLSearchParams => goParseQuery(ctx.search);

/** strconv.ParseInt(value, 10, 64): the number, or strconv's error text naming `fn` (`Atoi` or `ParseInt`). */
export function goParseInt(value: string, fn: "Atoi" | "ParseInt" = "ParseInt"): { n: bigint } | { error: string } {
  const prefix = `strconv.${fn}: parsing ${goQuote(value)}`;
  if (!/^[+-]?[0-9]+$/.test(value)) return { error: `${prefix}: invalid syntax` };
  const n = BigInt(value);
  if (n > INT64_MAX || n < INT64_MIN) return { error: `${prefix}: value out of range` };
  return { n };
}

/** strconv.Atoi on a 64-bit platform, as a Number (sizes are clamped far below 2^53 afterwards). */
export function goAtoi(value: string): { n: number } | { error: string } {
  const parsed = goParseInt(value, "Atoi");
  return "error" in parsed ? parsed : { n: Number(parsed.n) };
}

/** cmp.Or(q[key]...): the first non-empty value. */
export const firstNonEmpty = (query: URLSearchParams, key: string): string | undefined => query.getAll(key).find((v) => v !== "");
